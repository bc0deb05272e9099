/**
 * The optimizer benchmark (`steepest bench optim`, `npm run bench:optim`): one fused Adam step
 * over n parameters in one arena, in GB/s against the machine's measured copy bandwidth, and
 * with a torch Python, PyTorch's Adam (for-loop and foreach) in the same run.
 *
 * Bytes counted: copy 8 per float (read + write); Adam 28 per parameter (read p, g, m, v; write
 * p, m, v). Per size: copy, Adam plain, Adam with clipGradNorm + the non-finite check (one more
 * read-only pass over g), and PyTorch's two implementations (bench/optim/torch_adam.py, one
 * child process that keeps its optimizer between requests); samples interleave (ours, torch,
 * ours, torch, ...) and each times enough steps for `sampleSeconds`. Figures are medians.
 */
import { Generator, numThreads, optim, randn } from '../index.js';
import { copyTimer } from '../backend/bench_probes.js';
import { benchScript, LineChild, referenceEnv, type TorchPython } from './python.js';
import { itersFor, secondsPerCall, summarize, type Summary } from './stats.js';

export interface OptimOptions {
  sizes?: number[];
  /** Interleaved samples per figure. */
  reps?: number;
  sampleSeconds?: number;
  torch?: TorchPython | null;
  log?: (line: string) => void;
}

export interface OptimRow {
  n: number;
  copyGBs: number;
  adamMs: number; adamGBs: number;
  adamCheckedMs: number; adamCheckedGBs: number;
  /** Adam's bandwidth as a fraction of the copy's. */
  adamVsCopy: number;
  torchDefaultMs?: number; torchDefaultGBs?: number; torchForeachMs?: number; torchForeachGBs?: number;
  speedupVsTorchDefault?: number; speedupVsTorchForeach?: number;
  seconds: Record<string, Summary>;
}

export interface OptimResult {
  bench: 'optim';
  date: string;
  threads: number;
  torch: { torch: string; threads: number } | null;
  reps: number;
  note: string;
  rows: OptimRow[];
}

function makeAdam(n: number, options: ConstructorParameters<typeof optim.Adam>[1]) {
  const p = randn([n], { generator: new Generator(1) }).requiresGrad_();
  const opt = new optim.Adam([p], { lr: 1e-3, ...options });
  const g = randn([n], { generator: new Generator(2), std: 1e-2 });
  opt.arena.gradStorage.buffer.copyFrom(g.buffer, g.offset, 0, n);
  g.dispose();
  return { step: () => { opt.step(); }, dispose: () => { opt.dispose(); p.dispose(); } };
}

export async function benchOptim(o: OptimOptions = {}): Promise<OptimResult> {
  const sizes = o.sizes ?? [1e5, 1e6, 1e7];
  const reps = o.reps ?? 7;
  const sampleSeconds = o.sampleSeconds ?? 0.15;
  const log = o.log ?? (() => {});
  const torch = o.torch ? new LineChild(o.torch.python, [benchScript('optim/torch_adam.py')], referenceEnv(), 'bench optim: torch_adam.py') : null;
  let torchInfo: OptimResult['torch'] = null;
  const rows: OptimRow[] = [];
  try {
    if (torch) torchInfo = JSON.parse(await torch.next()) as { torch: string; threads: number };
    const torchTime = async (n: number, impl: 'default' | 'foreach', iters: number) =>
      (JSON.parse(await torch!.ask(JSON.stringify({ n, impl, iters }))) as { seconds: number }).seconds;
    for (const n of sizes) {
      const copy = copyTimer(n);
      const plain = makeAdam(n, {});
      const checked = makeAdam(n, { clipGradNorm: 1e9, nonFinite: 'skip' });
      try {
        const threads = numThreads();
        const copyCall = () => { copy.time(threads, 1); };
        const iters = { copy: itersFor(copyCall, sampleSeconds), plain: itersFor(plain.step, sampleSeconds), checked: itersFor(checked.step, sampleSeconds) };
        const torchIters = Math.max(1, Math.round(iters.plain / 8));
        const samples: Record<string, number[]> = { copy: [], plain: [], checked: [], ...(torch ? { default: [], foreach: [] } : {}) };
        for (let r = 0; r < reps; r++) {
          samples.copy.push(copy.time(threads, iters.copy) / iters.copy);
          samples.plain.push(secondsPerCall(plain.step, iters.plain));
          if (torch) samples.default.push(await torchTime(n, 'default', torchIters));
          samples.checked.push(secondsPerCall(checked.step, iters.checked));
          if (torch) samples.foreach.push(await torchTime(n, 'foreach', torchIters));
        }
        const sec = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
        const gbs = (s: number, bytes: number) => (bytes * n) / s / 1e9;
        const row: OptimRow = {
          n, copyGBs: gbs(sec.copy.median, 8),
          adamMs: sec.plain.median * 1e3, adamGBs: gbs(sec.plain.median, 28),
          adamCheckedMs: sec.checked.median * 1e3, adamCheckedGBs: gbs(sec.checked.median, 28),
          adamVsCopy: gbs(sec.plain.median, 28) / gbs(sec.copy.median, 8),
          seconds: sec,
        };
        if (torch) {
          Object.assign(row, {
            torchDefaultMs: sec.default.median * 1e3, torchDefaultGBs: gbs(sec.default.median, 28),
            torchForeachMs: sec.foreach.median * 1e3, torchForeachGBs: gbs(sec.foreach.median, 28),
            speedupVsTorchDefault: sec.default.median / sec.plain.median, speedupVsTorchForeach: sec.foreach.median / sec.plain.median,
          });
        }
        rows.push(row);
        log(`  measured n = ${n}`);
      } finally {
        copy.dispose();
        plain.dispose();
        checked.dispose();
      }
    }
  } finally {
    torch?.close();
  }
  return {
    bench: 'optim', date: new Date().toISOString(), threads: numThreads(), torch: torchInfo, reps,
    note: 'GB/s: copy counts 8 bytes per float, Adam 28 bytes per parameter; medians of interleaved samples', rows,
  };
}

export function formatOptim(r: OptimResult): string {
  const f = (x: number, d = 1) => x.toFixed(d);
  const lines = [`steepest threads ${r.threads}; ${r.torch ? `PyTorch ${r.torch.torch}, ${r.torch.threads} threads; ` : ''}${r.reps} interleaved samples, medians`];
  for (const x of r.rows) {
    const range = (k: string, bytes: number) => `[${f((bytes * x.n) / x.seconds[k].max / 1e9)}-${f((bytes * x.n) / x.seconds[k].min / 1e9)}]`;
    const line = (what: string, ms: number, gbs: number, k: string, bytes: number, note = '') =>
      `  ${what.padEnd(29)}${f(ms, 3).padStart(8)}  ${f(gbs).padStart(8)}  ${range(k, bytes).padEnd(16)}  ${note}`.trimEnd();
    lines.push(`\nn = ${x.n.toExponential(0)}`, '  what                         ms/step      GB/s  [range]           ratio');
    lines.push(line('copy (8 B/float)', x.seconds.copy.median * 1e3, x.copyGBs, 'copy', 8));
    lines.push(line('steepest Adam (28 B/param)', x.adamMs, x.adamGBs, 'plain', 28, `${f(x.adamVsCopy, 2)}x copy`));
    lines.push(line('steepest Adam +clip +check', x.adamCheckedMs, x.adamCheckedGBs, 'checked', 28));
    if (x.torchDefaultMs !== undefined) {
      lines.push(line('PyTorch Adam default', x.torchDefaultMs, x.torchDefaultGBs!, 'default', 28, `steepest ${f(x.speedupVsTorchDefault!, 2)}x faster`));
      lines.push(line('PyTorch Adam foreach', x.torchForeachMs!, x.torchForeachGBs!, 'foreach', 28, `steepest ${f(x.speedupVsTorchForeach!, 2)}x faster`));
    }
  }
  return lines.join('\n') + '\n';
}
