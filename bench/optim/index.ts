/**
 * bench:optim — fused optimizer step throughput against the machine's copy bandwidth and
 * PyTorch's Adam, in the same run.
 *
 *   npm run bench:optim            (STEEPEST_BENCH_REPS=N for more samples)
 *
 * For n = 1e5, 1e6, 1e7 parameters in one arena:
 * - copy: a threaded native memcpy of n floats (8 bytes per float counted: read + write),
 * - steepest Adam: one fused step (28 bytes per parameter: read p, g, m, v; write p, m, v),
 *   plain and with clipGradNorm + the non-finite check (which add a read-only pass over g),
 * - PyTorch 1.13 Adam, default (for-loop) and foreach, from a /usr/bin/python3 child process
 *   (bench/optim/torch_adam.py) that keeps its optimizer between requests.
 * Samples of the three interleave (ours, torch, ours, torch, ...); each sample times enough
 * steps for ~0.15 s; the table shows medians and [min-max] of the samples.
 * Writes bench/results/optim.json (atomically).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator, numThreads, optim, randn } from '../../src/index.js';
import { addon as optimAddon } from '../../src/backend/addon.js';
import { cpuBackend } from '../../src/backend/cpu.js';
import { Storage } from '../../src/storage.js';

const here = dirname(fileURLToPath(import.meta.url));
const SIZES = [1e5, 1e6, 1e7];
const REPS = Number(process.env.STEEPEST_BENCH_REPS ?? 7);
const TARGET_SECONDS = 0.15;

interface Summary { median: number; min: number; max: number; samples: number[] }

const summarize = (xs: number[]): Summary => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], samples: xs };
};

/** Seconds per call of `fn`, over enough calls for TARGET_SECONDS. */
function timeIt(fn: () => void, iters: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iters; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e9 / iters;
}

function itersFor(fn: () => void): number {
  fn();
  const one = timeIt(fn, 1);
  return Math.max(1, Math.round(TARGET_SECONDS / Math.max(one, 1e-7)));
}

/** The PyTorch child: one request at a time, answered in order. */
class TorchWorker {
  private readonly lines: AsyncIterator<string>;
  private readonly child;
  info: { torch: string; threads: number } = { torch: '?', threads: 0 };

  constructor() {
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    this.child = spawn('/usr/bin/python3', [join(here, 'torch_adam.py')], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }

  async ready(): Promise<void> {
    const first = await this.lines.next();
    if (first.done) throw new Error('bench:optim: the PyTorch child exited (is /usr/bin/python3 with torch installed?)');
    this.info = JSON.parse(first.value);
  }

  async time(n: number, impl: 'default' | 'foreach', iters: number): Promise<number> {
    this.child.stdin!.write(`${JSON.stringify({ n, impl, iters })}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error('bench:optim: the PyTorch child exited');
    return JSON.parse(line.value).seconds as number;
  }

  close(): void {
    this.child.stdin!.end();
  }
}

function makeAdam(n: number, options: ConstructorParameters<typeof optim.Adam>[1]) {
  const p = randn([n], { generator: new Generator(1) }).requiresGrad_();
  const opt = new optim.Adam([p], { lr: 1e-3, ...options });
  const g = randn([n], { generator: new Generator(2), std: 1e-2 });
  opt.arena.gradStorage.buffer.copyFrom(g.buffer, g.offset, 0, n);
  g.dispose();
  return { opt, p };
}

async function main(): Promise<void> {
  const torch = new TorchWorker();
  await torch.ready();
  console.log(`steepest threads ${numThreads()}; PyTorch ${torch.info.torch}, ${torch.info.threads} threads; ${REPS} interleaved samples`);
  const rows: Record<string, unknown>[] = [];
  for (const n of SIZES) {
    const src = Storage.acquire('float32', n, true, cpuBackend);
    const dst = Storage.acquire('float32', n, true, cpuBackend);
    const copy = () => optimAddon.copyFloats(dst.buffer, 0, src.buffer, 0, n);
    const plain = makeAdam(n, {});
    const checked = makeAdam(n, { clipGradNorm: 1e9, nonFinite: 'skip' });
    const stepPlain = () => { plain.opt.step(); };
    const stepChecked = () => { checked.opt.step(); };
    const iters = { copy: itersFor(copy), plain: itersFor(stepPlain), checked: itersFor(stepChecked) };
    const torchIters = {
      default: Math.max(1, Math.round(iters.plain / 8)),
      foreach: Math.max(1, Math.round(iters.plain / 8)),
    };
    const samples = { copy: [] as number[], plain: [] as number[], checked: [] as number[], default: [] as number[], foreach: [] as number[] };
    for (let r = 0; r < REPS; r++) {
      samples.copy.push(timeIt(copy, iters.copy));
      samples.plain.push(timeIt(stepPlain, iters.plain));
      samples.default.push(await torch.time(n, 'default', torchIters.default));
      samples.checked.push(timeIt(stepChecked, iters.checked));
      samples.foreach.push(await torch.time(n, 'foreach', torchIters.foreach));
    }
    plain.opt.dispose();
    checked.opt.dispose();
    plain.p.dispose();
    checked.p.dispose();
    src.release();
    dst.release();
    const sec = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])) as Record<keyof typeof samples, Summary>;
    const gbs = (s: number, bytes: number) => (bytes * n) / s / 1e9;
    const row = {
      n,
      copyGBs: gbs(sec.copy.median, 8),
      adamMs: sec.plain.median * 1e3,
      adamGBs: gbs(sec.plain.median, 28),
      adamCheckedMs: sec.checked.median * 1e3,
      adamCheckedGBs: gbs(sec.checked.median, 28),
      torchDefaultMs: sec.default.median * 1e3,
      torchDefaultGBs: gbs(sec.default.median, 28),
      torchForeachMs: sec.foreach.median * 1e3,
      torchForeachGBs: gbs(sec.foreach.median, 28),
      adamVsCopy: gbs(sec.plain.median, 28) / gbs(sec.copy.median, 8),
      speedupVsTorchDefault: sec.default.median / sec.plain.median,
      speedupVsTorchForeach: sec.foreach.median / sec.plain.median,
      seconds: sec,
    };
    rows.push(row);
    const f = (x: number, d = 1) => x.toFixed(d);
    const range = (s: Summary, bytes: number) => `[${f(gbs(s.max, bytes))}-${f(gbs(s.min, bytes))}]`;
    console.log(`\nn = ${n.toExponential(0)}`);
    console.log('  what                         ms/step      GB/s  [range]           ratio');
    console.log(`  copy (8 B/float)             ${f(sec.copy.median * 1e3, 3).padStart(8)}  ${f(row.copyGBs).padStart(8)}  ${range(sec.copy, 8).padEnd(16)}`);
    console.log(`  steepest Adam (28 B/param)   ${f(row.adamMs, 3).padStart(8)}  ${f(row.adamGBs).padStart(8)}  ${range(sec.plain, 28).padEnd(16)}  ${f(row.adamVsCopy, 2)}x copy`);
    console.log(`  steepest Adam +clip +check   ${f(row.adamCheckedMs, 3).padStart(8)}  ${f(row.adamCheckedGBs).padStart(8)}  ${range(sec.checked, 28).padEnd(16)}`);
    console.log(`  PyTorch Adam default         ${f(row.torchDefaultMs, 3).padStart(8)}  ${f(row.torchDefaultGBs).padStart(8)}  ${range(sec.default, 28).padEnd(16)}  steepest ${f(row.speedupVsTorchDefault, 2)}x faster`);
    console.log(`  PyTorch Adam foreach         ${f(row.torchForeachMs, 3).padStart(8)}  ${f(row.torchForeachGBs).padStart(8)}  ${range(sec.foreach, 28).padEnd(16)}  steepest ${f(row.speedupVsTorchForeach, 2)}x faster`);
  }
  torch.close();
  const out = join(here, '..', 'results', 'optim.json');
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.tmp`;
  writeFileSync(tmp, JSON.stringify({
    date: new Date().toISOString(), threads: numThreads(), torch: torch.info, reps: REPS,
    note: 'GB/s: copy counts 8 bytes per float, Adam 28 bytes per parameter; medians of interleaved samples',
    rows,
  }, null, 2));
  renameSync(tmp, out);
  console.log(`\nwrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
