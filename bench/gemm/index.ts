/**
 * `npm run bench:gemm`: GFLOP/s of steepest's native GEMM against OpenBLAS, side by side in
 * the same run, at 1 thread and at all threads, for squares 64..2048 and the MLP training
 * shapes; plus the machine's measured fp32 FMA peak and our fraction of it.
 *
 * OpenBLAS is timed by a small C harness (openblas_harness.c) compiled here with `cc` against
 * the system libopenblas and driven over a pipe; its thread count is set per measurement with
 * openblas_set_num_threads. Each shape is measured in ROUNDS rounds, ours and OpenBLAS's
 * samples alternating (and alternating which goes first), and the medians are compared, so
 * that load from other processes hits both sides alike.
 *
 * The ratio column is the median over rounds of (our sample / the OpenBLAS sample taken next to
 * it): both samples of a round see the same load, so a slow minute on this shared VM cancels
 * out of that round's ratio instead of landing on one side of a comparison of medians.
 *
 * How many rounds: at least ROUNDS; then, while the distribution-free 90 % confidence interval
 * of that median (order statistics, see medianInterval) is wider than PRECISION times the
 * median, more rounds, up to MAX_ROUNDS. The rule looks only at the spread of the paired
 * ratios, never at where the ratio lies, so it cannot steer a row towards any threshold; it
 * spends time where another tenant's burst of load made the rounds disagree. The table prints
 * the interval next to the ratio.
 *
 * Environment: GEMM_BENCH_ROUNDS (minimum rounds, default 11), GEMM_BENCH_MAX_ROUNDS (default
 * 33), GEMM_BENCH_PRECISION (default 0.2), GEMM_BENCH_SAMPLE_S (seconds per sample, default
 * 0.1), GEMM_BENCH_FILTER (substring of the shape names to run).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { addon as native, type NativeBuffer } from '../../src/backend/addon.js';

const here = dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.env.GEMM_BENCH_ROUNDS ?? 11);
const maxRounds = Math.max(rounds, Number(process.env.GEMM_BENCH_MAX_ROUNDS ?? 33));
const precision = Number(process.env.GEMM_BENCH_PRECISION ?? 0.2);
const sampleSeconds = Number(process.env.GEMM_BENCH_SAMPLE_S ?? 0.1);
const filter = process.env.GEMM_BENCH_FILTER ?? '';
const gemmIsa = (native as unknown as { gemmIsa(): string }).gemmIsa();

interface Shape {
  name: string;
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
  group: 'square' | 'training';
}

function shapes(): Shape[] {
  const out: Shape[] = [];
  for (const n of [64, 128, 256, 512, 1024, 2048]) {
    out.push({ name: `square ${n}`, M: n, N: n, K: n, transA: false, transB: false, group: 'square' });
  }
  for (const b of [32, 128, 256]) {
    out.push({ name: `forward ${b}x784 * 784x128`, M: b, N: 128, K: 784, transA: false, transB: false, group: 'training' });
    out.push({ name: `forward ${b}x784 * (128x784)^T`, M: b, N: 128, K: 784, transA: false, transB: true, group: 'training' });
    out.push({ name: `weight grad (${b}x784)^T * ${b}x128`, M: 784, N: 128, K: b, transA: true, transB: false, group: 'training' });
    out.push({ name: `input grad ${b}x128 * (784x128)^T`, M: b, N: 784, K: 128, transA: false, transB: true, group: 'training' });
  }
  return out.filter((s) => s.name.includes(filter));
}

/** The OpenBLAS side: a child process answering one command line with one result line. */
class Harness {
  private readonly child;
  private readonly lines: string[] = [];
  private waiter: ((line: string) => void) | null = null;

  constructor(binary: string) {
    const env = { ...process.env };
    // As for every reference run on this machine: OpenBLAS picks its own core type and L2 size.
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    this.child = spawn(binary, [], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w(line);
      } else {
        this.lines.push(line);
      }
    });
  }

  ask(command: string): Promise<string> {
    this.child.stdin.write(command + '\n');
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => { this.waiter = resolve; });
  }

  close(): void {
    this.child.stdin.end('quit\n');
  }
}

function compileHarness(): { binary: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'steepest-gemm-bench-'));
  const binary = join(dir, 'openblas_harness');
  execFileSync('cc', ['-O2', '-o', binary, join(here, 'openblas_harness.c'), '-lopenblas', '-lpthread'], { stdio: 'inherit' });
  return { binary, dir };
}

function randomBuffer(n: number, seed: number): NativeBuffer {
  const data = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s >>> 8) / 16777216 - 0.5;
  }
  const buf = new native.NativeBuffer('float32', n);
  buf.write(data, 0);
  return buf;
}

/** Operands of one shape and a timer for `iters` calls of our GEMM on them (after a warm-up). */
function ourGemm(s: Shape) {
  const a = randomBuffer(s.M * s.K, 1), b = randomBuffer(s.K * s.N, 2), c = randomBuffer(s.M * s.N, 3);
  const lda = s.transA ? s.M : s.K, ldb = s.transB ? s.K : s.N;
  const call = () => native.gemm(s.transA, s.transB, s.M, s.N, s.K, 1, a, 0, lda, b, 0, ldb, 0, c, 0, s.N, null, 0, false);
  return {
    time(threads: number, iters: number): number {
      native.setNumThreads(threads);
      call();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iters; i++) call();
      return Number(process.hrtime.bigint() - t0) / 1e9;
    },
    dispose(): void { a.dispose(); b.dispose(); c.dispose(); },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A distribution-free confidence interval of about 90 % (93 % at n = 11, 92 % at 33) for the median of xs: the order statistics
 * k and n - 1 - k (0-based) with k = floor(n / 2 - 0.82 sqrt(n)), from the normal approximation
 * of the Binomial(n, 1/2) count of samples below the median (1.645 / 2 = 0.82). For n = 11 it
 * is the 3rd to the 9th smallest.
 */
function medianInterval(xs: number[]): [number, number] {
  const s = [...xs].sort((x, y) => x - y);
  const k = Math.max(0, Math.floor(s.length / 2 - 0.82 * Math.sqrt(s.length)));
  return [s[k], s[s.length - 1 - k]];
}

const fmt = (x: number, d = 1) => x.toFixed(d);
const pause = () => new Promise((resolve) => setTimeout(resolve, 200));

async function main(): Promise<void> {
  const { binary, dir } = compileHarness();
  const blas = new Harness(binary);
  const allThreads = Math.max(1, availableParallelism());
  const threadCounts = allThreads > 1 ? [1, allThreads] : [1];
  const initialThreads = native.numThreads();
  try {
    // Peak: a 12-chain FMA loop per thread (the widest vectors the CPU has), before and after the
    // GEMMs. Other processes on this shared machine only ever slow it down, so the best of the
    // 2 x 7 samples is the estimate; the
    // same for the clock (a dependent add chain: one add per cycle).
    const measurePeak = async () => {
      const peak: Record<number, number> = {};
      let isa = '';
      for (const t of threadCounts) {
        const samples: number[] = [];
        for (let r = 0; r < 7; r++) {
          const [gflops, name] = (await blas.ask(`peak ${t} 20000000`)).split(' ');
          samples.push(Number(gflops));
          isa = name;
        }
        peak[t] = Math.max(...samples);
      }
      const clocks: number[] = [];
      for (let r = 0; r < 7; r++) clocks.push(Number(await blas.ask('clock')));
      return { peak, isa, clockGHz: Math.max(...clocks) };
    };
    const loadavgStart = loadavg();
    const { peak, isa: peakIsa, clockGHz: clockStart } = await measurePeak();
    // FLOP per cycle per core of the FMA loop's vectors, if the CPU has two FMA ports: the
    // theoretical peak at the measured clock, printed next to the measured FMA-loop figure.
    const flopPerCycle = peakIsa === 'avx512' ? 64 : 32;
    const rows: Record<string, unknown>[] = [];
    const header = ['shape', 'threads', 'ours GFLOP/s', 'OpenBLAS GFLOP/s', 'ours/OpenBLAS', '90 % interval', 'rounds', 'ours % of peak'];
    for (const s of shapes()) {
      const flops = 2 * s.M * s.N * s.K;
      const ours$ = ourGemm(s);
      for (const t of threadCounts) {
        const iters = Math.max(1, Math.round((sampleSeconds * 100e9 * t) / flops));
        const ours: number[] = [], ref: number[] = [];
        const settled = () => {
          if (ours.length < rounds) return false;
          const ratios = ours.map((x, i) => x / ref[i]);
          const [lo, hi] = medianInterval(ratios);
          return hi - lo <= precision * median(ratios);
        };
        for (let r = 0; r < maxRounds && !settled(); r++) {
          const blasSample = async () => {
            const secs = Number(await blas.ask(`gemm ${t} ${+s.transA} ${+s.transB} ${s.M} ${s.N} ${s.K} ${iters}`));
            ref.push((flops * iters) / secs / 1e9);
          };
          const ourSample = () => ours.push((flops * iters) / ours$.time(t, iters) / 1e9);
          // OpenBLAS's idle threads keep spinning for ~2^28 cycles (its THREAD_TIMEOUT) after a
          // call, and ours for a shorter while: a pause after each sample lets the other side's
          // threads go idle, so neither measurement competes with the other's spinning workers.
          if (r % 2 === 0) {
            ourSample(); await pause(); await blasSample(); await pause();
          } else {
            await blasSample(); await pause(); ourSample(); await pause();
          }
        }
        const o = median(ours), b = median(ref);
        const pairedRatios = ours.map((x, i) => x / ref[i]);
        const [ratioLow, ratioHigh] = medianInterval(pairedRatios);
        rows.push({
          shape: s.name, group: s.group, M: s.M, N: s.N, K: s.K, transA: s.transA, transB: s.transB, threads: t,
          oursGflops: o, openblasGflops: b, ratio: median(pairedRatios), ratioLow, ratioHigh,
          rounds: pairedRatios.length, ratioOfMedians: o / b,
          oursSamples: ours, openblasSamples: ref, pairedRatios,
        });
        process.stderr.write(`  measured ${s.name}, ${t} thread(s)\n`);
      }
      ours$.dispose();
    }

    // Peak again at the end (load from other processes comes and goes); keep the best.
    const after = await measurePeak();
    for (const t of threadCounts) peak[t] = Math.max(peak[t], after.peak[t]);
    const clockGHz = Math.max(clockStart, after.clockGHz);
    console.log(`CPU: ${cpus()[0]?.model ?? '?'} (${allThreads} threads), our kernels: ${gemmIsa}`);
    console.log(`Clock (dependent adds, 1 thread, best of 14): ${fmt(clockGHz, 2)} GHz -> theoretical ` +
      `${fmt(clockGHz * flopPerCycle)} GFLOP/s/core at ${flopPerCycle} FLOP/cycle (2 FMA ports x ${flopPerCycle / 4} lanes x 2)`);
    console.log(`Measured ${peakIsa} FMA-loop peak (best of 14, before and after; the "% of peak" column): ` +
      threadCounts.map((t) => `${fmt(peak[t])} GFLOP/s at ${t} thread${t > 1 ? 's' : ''}`).join(', '));
    console.log(`Load average (1 min) at start ${fmt(loadavgStart[0], 2)}, at end ${fmt(loadavg()[0], 2)} on ${allThreads} cores.`);
    console.log(`Each figure: median of ${rounds}-${maxRounds} rounds of ~${sampleSeconds}s samples, ours and OpenBLAS ` +
      'alternating; the ratio is the median of the per-round ratios (ours / the OpenBLAS sample next to it), ' +
      `with its distribution-free 90 % interval; rounds are added past ${rounds} while that interval is wider ` +
      `than ${precision} x the ratio.\n`);

    console.log(`| ${header.join(' | ')} |`);
    console.log(`|${header.map(() => ' --- ').join('|')}|`);
    for (const r of rows) {
      const t = r.threads as number, o = r.oursGflops as number, b = r.openblasGflops as number;
      r.oursPeakFraction = o / peak[t];
      const interval = `${fmt(r.ratioLow as number, 2)}-${fmt(r.ratioHigh as number, 2)}`;
      console.log(`| ${[r.shape, t, fmt(o), fmt(b), fmt(r.ratio as number, 2) + 'x', interval, r.rounds,
        fmt((100 * o) / peak[t]) + '%'].join(' | ')} |`);
    }

    const result = {
      date: new Date().toISOString(),
      cpu: cpus()[0]?.model, threads: allThreads, ourIsa: gemmIsa, clockGHz, flopPerCycle,
      theoreticalPeakGflopsPerCore: clockGHz * flopPerCycle, peakIsa, peakGflops: peak,
      minRounds: rounds, maxRounds, precision, sampleSeconds, loadavgStart, loadavgEnd: loadavg(), rows,
    };
    const outDir = join(here, '..', 'results');
    mkdirSync(outDir, { recursive: true });
    const target = join(outDir, 'gemm.json');
    const temp = `${target}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(result, null, 2) + '\n');
    renameSync(temp, target);
    console.log(`\nwrote ${target}`);
  } finally {
    blas.close();
    native.setNumThreads(initialThreads);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
