/**
 * The GEMM benchmark (`steepest bench gemm`, `npm run bench:gemm`): GFLOP/s of steepest's native
 * GEMM on squares and the MLP training shapes, at 1 thread and at all threads, as a fraction of
 * the machine's measured fp32 FMA peak (an FMA loop in the widest vectors, before and after the
 * GEMMs; other processes only ever slow it down, so the best sample is the estimate); and,
 * given a reference (OpenBLAS from the repository's C harness, or PyTorch), the reference side
 * by side in the same run.
 *
 * Pairing: each round takes one sample of ours and one of the reference, alternating which goes
 * first, with a pause after each so the other side's spinning threads go idle. The ratio is the
 * median over rounds of (our sample / the reference sample next to it): both samples of a round
 * see the same load, so a slow minute on a shared machine cancels out of that round's ratio.
 * Rounds: at least minRounds; then, while the 90 % interval of that median (medianInterval) is
 * wider than `precision` times the median, more, up to maxRounds. The rule looks only at the
 * spread of the ratios, never at where they lie, so it cannot steer a row towards a threshold.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { clockGHz, fmaPeak, gemmTimer } from '../backend/bench_probes.js';
import { gemmIsa } from '../backend/host.js';
import { median, medianInterval } from './stats.js';

export interface GemmShape {
  name: string;
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
  group: 'square' | 'training';
}

/** The repository's shape list: squares 64..2048 and the forward/backward GEMMs of a 784-128 layer. */
export function gemmShapes(squares = [64, 128, 256, 512, 1024, 2048], batches = [32, 128, 256]): GemmShape[] {
  const out: GemmShape[] = squares.map((n) => ({ name: `square ${n}`, M: n, N: n, K: n, transA: false, transB: false, group: 'square' }));
  for (const b of batches) {
    out.push({ name: `forward ${b}x784 * 784x128`, M: b, N: 128, K: 784, transA: false, transB: false, group: 'training' });
    out.push({ name: `forward ${b}x784 * (128x784)^T`, M: b, N: 128, K: 784, transA: false, transB: true, group: 'training' });
    out.push({ name: `weight grad (${b}x784)^T * ${b}x128`, M: 784, N: 128, K: b, transA: true, transB: false, group: 'training' });
    out.push({ name: `input grad ${b}x128 * (784x128)^T`, M: b, N: 784, K: 128, transA: false, transB: true, group: 'training' });
  }
  return out;
}

/**
 * The other side of the comparison: a process speaking the harness protocol, one line each way:
 * `gemm THREADS TRANSA TRANSB M N K ITERS` -> seconds for ITERS calls after one warm-up.
 */
export interface GemmReference {
  name: string;
  ask(command: string): Promise<string>;
}

export interface GemmOptions {
  shapes?: GemmShape[];
  /** Thread counts (default 1 and all cores). */
  threads?: number[];
  minRounds?: number;
  maxRounds?: number;
  precision?: number;
  /** Seconds per sample (at 100 GFLOP/s per thread: the iteration count is fixed per shape). */
  sampleSeconds?: number;
  /** FMA-loop iterations per peak sample, and samples before and after the GEMMs. */
  peakIters?: number;
  peakSamples?: number;
  reference?: GemmReference;
  log?: (line: string) => void;
}

export interface GemmRow {
  shape: string; group: string; M: number; N: number; K: number; transA: boolean; transB: boolean; threads: number;
  oursGflops: number;
  oursPeakFraction: number;
  rounds: number;
  oursSamples: number[];
  /** With a reference: its median, the median paired ratio ours / reference and its 90 % interval. */
  refGflops?: number; ratio?: number; ratioLow?: number; ratioHigh?: number; ratioOfMedians?: number;
  refSamples?: number[]; pairedRatios?: number[];
}

export interface GemmResult {
  bench: 'gemm';
  date: string;
  cpu: string;
  threads: number;
  ourIsa: string;
  /** One core's clock from dependent adds (null where not measured), and the FMA peak it implies. */
  clockGHz: number | null;
  flopPerCycle: number;
  theoreticalPeakGflopsPerCore: number | null;
  peakIsa: string;
  /** The measured FMA-loop peak per thread count: the "% of peak" denominator. */
  peakGflops: Record<number, number>;
  reference: string | null;
  minRounds: number; maxRounds: number; precision: number; sampleSeconds: number;
  loadavgStart: number[]; loadavgEnd: number[];
  rows: GemmRow[];
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 200));

/** FLOP per cycle per core of the peak loop's vectors with two FMA ports (lanes x 2 ports x 2). */
const FLOP_PER_CYCLE: Record<string, number> = { avx512: 64, avx2: 32, neon: 16, scalar: 4 };

export async function benchGemm(o: GemmOptions = {}): Promise<GemmResult> {
  const all = Math.max(1, availableParallelism());
  const threadCounts = o.threads ?? (all > 1 ? [1, all] : [1]);
  const minRounds = o.minRounds ?? 11;
  const maxRounds = Math.max(minRounds, o.maxRounds ?? 33);
  const precision = o.precision ?? 0.2;
  const sampleSeconds = o.sampleSeconds ?? 0.1;
  const peakIters = o.peakIters ?? 20_000_000;
  const peakSamples = o.peakSamples ?? 7;
  const ref = o.reference;
  const log = o.log ?? (() => {});

  const peak: Record<number, number> = {};
  let peakIsa = '';
  let clock = 0;
  const measurePeak = () => {
    for (const t of threadCounts) {
      for (let r = 0; r < peakSamples; r++) {
        const p = fmaPeak(t, peakIters);
        peak[t] = Math.max(peak[t] ?? 0, p.gflops);
        peakIsa = p.isa;
      }
    }
    for (let r = 0; r < peakSamples; r++) clock = Math.max(clock, clockGHz(2_000_000));
  };
  const loadavgStart = loadavg();
  measurePeak();

  const rows: GemmRow[] = [];
  for (const s of o.shapes ?? gemmShapes()) {
    const flops = 2 * s.M * s.N * s.K;
    const ours$ = gemmTimer(s.M, s.N, s.K, s.transA, s.transB);
    try {
      for (const t of threadCounts) {
        const iters = Math.max(1, Math.round((sampleSeconds * 100e9 * t) / flops));
        const ours: number[] = [], refs: number[] = [];
        const ratios = () => ours.map((x, i) => x / refs[i]);
        const settled = () => {
          if (ours.length < minRounds) return false;
          if (!ref) return true;
          const [lo, hi] = medianInterval(ratios());
          return hi - lo <= precision * median(ratios());
        };
        for (let r = 0; r < maxRounds && !settled(); r++) {
          const ourSample = () => ours.push((flops * iters) / ours$.time(t, iters) / 1e9);
          if (!ref) {
            ourSample();
            continue;
          }
          const refSample = async () => {
            const secs = Number(await ref.ask(`gemm ${t} ${+s.transA} ${+s.transB} ${s.M} ${s.N} ${s.K} ${iters}`));
            if (!(secs > 0)) throw new Error(`bench gemm: ${ref.name} answered '${secs}' for ${s.name}`);
            refs.push((flops * iters) / secs / 1e9);
          };
          if (r % 2 === 0) {
            ourSample(); await pause(); await refSample(); await pause();
          } else {
            await refSample(); await pause(); ourSample(); await pause();
          }
        }
        const row: GemmRow = {
          shape: s.name, group: s.group, M: s.M, N: s.N, K: s.K, transA: s.transA, transB: s.transB, threads: t,
          oursGflops: median(ours), oursPeakFraction: 0, rounds: ours.length, oursSamples: ours,
        };
        if (ref) {
          const paired = ratios();
          const [ratioLow, ratioHigh] = medianInterval(paired);
          Object.assign(row, { refGflops: median(refs), ratio: median(paired), ratioLow, ratioHigh,
            ratioOfMedians: median(ours) / median(refs), refSamples: refs, pairedRatios: paired });
        }
        rows.push(row);
        log(`  measured ${s.name}, ${t} thread(s)`);
      }
    } finally {
      ours$.dispose();
    }
  }
  // Peak again at the end (load from other processes comes and goes); the best is kept.
  measurePeak();
  for (const r of rows) r.oursPeakFraction = r.oursGflops / peak[r.threads];
  const flopPerCycle = FLOP_PER_CYCLE[peakIsa] ?? 0;
  return {
    bench: 'gemm', date: new Date().toISOString(), cpu: cpus()[0]?.model.trim() ?? 'unknown', threads: all, ourIsa: gemmIsa(),
    clockGHz: clock > 0 ? clock : null, flopPerCycle, theoreticalPeakGflopsPerCore: clock > 0 ? clock * flopPerCycle : null,
    peakIsa, peakGflops: peak, reference: ref?.name ?? null, minRounds, maxRounds, precision, sampleSeconds,
    loadavgStart, loadavgEnd: loadavg(), rows,
  };
}

const f = (x: number, d = 1) => x.toFixed(d);

export function formatGemm(r: GemmResult): string {
  const lines = [`CPU: ${r.cpu} (${r.threads} threads), our kernels: ${r.ourIsa}`];
  if (r.clockGHz !== null) {
    lines.push(`Clock (dependent adds, 1 thread, best sample): ${f(r.clockGHz, 2)} GHz -> theoretical ` +
      `${f(r.theoreticalPeakGflopsPerCore!)} GFLOP/s/core at ${r.flopPerCycle} FLOP/cycle (2 FMA ports x ${r.flopPerCycle / 4} lanes x 2)`);
  }
  lines.push(`Measured ${r.peakIsa} FMA-loop peak (best sample, before and after; the "% of peak" column): ` +
    Object.entries(r.peakGflops).map(([t, g]) => `${f(g)} GFLOP/s at ${t} thread${Number(t) > 1 ? 's' : ''}`).join(', '));
  lines.push(`Load average (1 min) at start ${f(r.loadavgStart[0], 2)}, at end ${f(r.loadavgEnd[0], 2)} on ${r.threads} cores.`);
  const ref = r.reference;
  lines.push(ref
    ? `Each figure: median of ${r.minRounds}-${r.maxRounds} rounds of ~${r.sampleSeconds}s samples, ours and ${ref} alternating; ` +
      `the ratio is the median of the per-round ratios with its distribution-free 90 % interval.\n`
    : `Each figure: median of ${r.minRounds} samples of ~${r.sampleSeconds}s.\n`);
  const header = ['shape', 'threads', 'ours GFLOP/s', ...(ref ? [`${ref} GFLOP/s`, `ours/${ref}`, '90 % interval'] : []), 'rounds', 'ours % of peak'];
  lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`);
  for (const x of r.rows) {
    const refCells = ref ? [f(x.refGflops!), `${f(x.ratio!, 2)}x`, `${f(x.ratioLow!, 2)}-${f(x.ratioHigh!, 2)}`] : [];
    lines.push(`| ${[x.shape, x.threads, f(x.oursGflops), ...refCells, x.rounds, `${f(100 * x.oursPeakFraction)}%`].join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}
