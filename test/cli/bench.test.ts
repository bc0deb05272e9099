// `steepest bench`: each part runs from the command line on tiny settings and writes its figures
// to --json; bad arguments are usage errors (exit 2). No timing is asserted: only that the
// figures exist, are finite and positive.
import { spawnSync } from 'node:child_process';
import { torchMlp } from '../../src/bench/gpu_figures.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'steepest-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bench(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'bench', ...args], {
    env: { ...process.env, STEEPEST_NUM_THREADS: '2', ...env }, encoding: 'utf8', timeout: 240_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs one part with --json and returns the file's contents. */
function benchJson(part: string, args: string[], env?: Record<string, string>) {
  const file = join(dir, `${part}-${args.length}.json`);
  const r = bench([part, ...args, '--json', file], env);
  expect(r.err + r.out).not.toMatch(/Error/);
  expect(r.code).toBe(0);
  return { ...r, json: JSON.parse(readFileSync(file, 'utf8')) };
}

const positive = (x: unknown) => {
  expect(typeof x).toBe('number');
  expect(Number.isFinite(x as number) && (x as number) > 0).toBe(true);
};

describe('steepest bench', () => {
  it('gemm: GFLOP/s per shape and thread count, and the fraction of the measured FMA peak', () => {
    const { json, out } = benchJson('gemm', ['--rounds', '1', '--seconds', '0.002']);
    expect(json.steepest).toMatch(/^\d+\.\d+\.\d+/);
    expect(json.system.gemmKernels.chosen).toBe(json.gemm.ourIsa);
    const g = json.gemm;
    expect(['avx512', 'avx2', 'neon', 'scalar']).toContain(g.peakIsa);
    for (const t of Object.keys(g.peakGflops)) positive(g.peakGflops[t]);
    expect(g.rows.length).toBeGreaterThan(0);
    for (const r of g.rows) {
      positive(r.oursGflops);
      positive(r.oursPeakFraction);
      expect(r.refGflops).toBeUndefined();
    }
    expect(out).toMatch(/\| shape \| threads \| ours GFLOP\/s \| rounds \| ours % of peak \|/);
  }, 240_000);

  it('gemm --compare torch: PyTorch side by side, or "torch not found" and the run goes on', () => {
    const { json } = benchJson('gemm', ['--rounds', '1', '--seconds', '0.002', '--compare', 'torch']);
    expect(json.gemm.reference).toMatch(/^PyTorch \d/);
    for (const r of json.gemm.rows) {
      positive(r.refGflops);
      positive(r.ratio);
    }
    const missing = benchJson('gemm', ['--rounds', '1', '--seconds', '0.003', '--compare', 'torch'], { STEEPEST_PYTHON: join(dir, 'no-python') });
    expect(missing.err).toMatch(/--compare torch: torch not found/);
    expect(missing.json.gemm.reference).toBeNull();
  }, 240_000);

  it('optim: Adam GB/s against the copy bandwidth', () => {
    const { json } = benchJson('optim', ['--rounds', '1', '--seconds', '0.002']);
    expect(json.optim.rows.map((r: { n: number }) => r.n)).toEqual([1e5, 1e6, 1e7]);
    for (const r of json.optim.rows) for (const k of ['copyGBs', 'adamGBs', 'adamCheckedGBs', 'adamVsCopy', 'adamMs']) positive(r[k]);
  }, 240_000);

  it('step: µs per handbook step and N-API calls per step', () => {
    const { json } = benchJson('step', ['--rounds', '1', '--steps', '3', '--batches', '1,8']);
    expect(json.step.rows.map((r: { batch: number }) => r.batch)).toEqual([1, 8]);
    for (const r of json.step.rows) {
      positive(r.oursUs);
      positive(r.ours1ThreadUs);
      positive(r.crossings);
      expect(r.allocationsPerStep).toBe(0);
    }
  }, 240_000);

  it('mlp: s/epoch and test accuracy on the bundled slice', () => {
    const { json } = benchJson('mlp', ['--epochs', '1', '--batches', '500']);
    expect([json.mlp.trainSize, json.mlp.testSize]).toEqual([6000, 1000]);
    const [r] = json.mlp.rows;
    expect(r.batch).toBe(500);
    for (const k of ['oursS', 'loopS', 'fitS', 'oursAcc']) positive(r[k]);
    expect(r.oursAcc).toBeGreaterThan(0.3); // chance: 0.1
  }, 240_000);

  it('gpu: says why there is no GPU, and exits 0', () => {
    const { json, out } = benchJson('gpu', []);
    expect(json.gpu.available).toBe(json.system.cuda.available);
    if (!json.gpu.available) expect(out).toContain(`no GPU (${json.system.cuda.reason})`);
  }, 240_000);

  it('gpu: the PyTorch CUDA side of the MLP runs the shipped script, or says why it has no figures', () => {
    const r = torchMlp(640, [32, 64]);
    if (r.rows) {
      expect(r.rows.map((row) => row.batch)).toEqual([32, 64]);
      for (const row of r.rows) positive(row.secondsPerEpoch);
    } else {
      // Here: torch 1.13 CPU, or no torch at all.
      expect(r.note).toMatch(/^(PyTorch \S+: torch sees no CUDA device|torch not found)$/);
    }
  }, 240_000);

  it('refuses unknown parts, options and values with the usage exit code 2', () => {
    const cases: [string[], RegExp][] = [
      [['gem'], /steepest bench: unknown part 'gem' \(did you mean 'gemm'\?\)/],
      [['gemm', '--jsn', 'x.json'], /steepest bench: unknown option '--jsn' \(did you mean '--json'\?\)/],
      [['gemm', '--compare', 'numpy'], /--compare takes 'torch', got 'numpy'/],
      [['gemm', '--rounds', '0'], /--rounds must be an integer >= 1, got '0'/],
      [['gemm', '--seconds', 'soon'], /--seconds must be a number > 0, got 'soon'/],
      [['mlp', '--batches', '32,x'], /--batches must be positive integers/],
      [['gemm', 'optim'], /one part at a time/],
    ];
    for (const [args, message] of cases) {
      const r = bench(args);
      expect(r.err).toMatch(message);
      expect(r.code).toBe(2);
    }
    const help = bench(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: steepest bench \[gemm\|optim\|step\|mlp\|gpu\|all\]/);
  }, 240_000);
});
