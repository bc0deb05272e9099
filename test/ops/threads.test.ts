/**
 * The native thread pool: sized to the cores or STEEPEST_NUM_THREADS, overridable with
 * setNumThreads, and kernels give the same results whatever the thread count (each output
 * element is computed by one thread in a fixed order).
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { add, gelu, numThreads, setNumThreads, sum, tensor, transpose } from '../../src/index.js';
import { lcgValues } from './reference.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const initial = numThreads();
afterEach(() => setNumThreads(initial));

/** numThreads() in a fresh process with the given environment. */
function childThreads(env: Record<string, string>): number {
  const code = "import('./src/runtime.ts').then((m) => process.stdout.write(String(m.numThreads())))";
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', code], {
    cwd: root,
    env: { ...process.env, STEEPEST_NUM_THREADS: '', ...env },
    encoding: 'utf8',
  });
  return Number(out);
}

describe('thread pool', () => {
  it('defaults to the number of cores; STEEPEST_NUM_THREADS overrides it', () => {
    expect(childThreads({})).toBe(availableParallelism());
    expect(childThreads({ STEEPEST_NUM_THREADS: '3' })).toBe(3);
    expect(childThreads({ STEEPEST_NUM_THREADS: 'nonsense' })).toBe(availableParallelism());
  });

  it('setNumThreads changes the count and rejects bad values naming the op', () => {
    setNumThreads(3);
    expect(numThreads()).toBe(3);
    expect(() => setNumThreads(0)).toThrow(/setNumThreads: argument 'n' must be an integer >= 1 and <= 256, got 0/);
    expect(() => setNumThreads(1.5)).toThrow(/setNumThreads: argument 'n' must be an integer >= 1 and <= 256, got 1.5/);
    expect(numThreads()).toBe(3);
  });

  it('kernels give bit-identical results for 1 to 4 threads, over many dispatches', () => {
    const x = tensor(lcgValues(257 * 300, 1, -3, 3), [257, 300]);
    const row = tensor(lcgValues(300, 2), [300]);
    const run = () => [add(x, row), gelu(x), sum(x, 0), sum(x, 1), transpose(x)].map((t) => Buffer.from(t.toArray().buffer));
    setNumThreads(1);
    const reference = run();
    // Growing the pool between dispatches is where new workers join: repeat to catch races.
    for (let round = 0; round < 25; round++) {
      setNumThreads(1 + (round % 4));
      const got = run();
      got.forEach((b, i) => expect(b.equals(reference[i]), `output ${i}, ${numThreads()} threads`).toBe(true));
    }
  });
});
