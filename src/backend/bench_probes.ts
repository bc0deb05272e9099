/**
 * What the benchmarks (src/bench) measure below the public API: the machine's FMA peak and clock,
 * a GEMM and a copy on raw native buffers (no tensor, no autograd: the kernel alone), and a count
 * of N-API crossings. They live here because nothing outside src/backend reaches the addon.
 */
import { addon, type NativeBuffer } from './addon.js';

/** GFLOP/s of an FMA loop on `threads` threads, in the widest vectors the CPU has (native/cpu/fma_peak.h). */
export const fmaPeak = (threads: number, iters: number): { gflops: number; isa: string } => addon.fmaPeak(threads, iters);
/** One core's clock in GHz from dependent adds; 0 where the addon has no such loop. */
export const clockGHz = (iters: number): number => addon.clockGHz(iters);

function randomBuffer(n: number, seed: number): NativeBuffer {
  const data = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s >>> 8) / 16777216 - 0.5;
  }
  const buf = new addon.NativeBuffer('float32', n);
  buf.write(data, 0);
  return buf;
}

export interface Timer {
  /** Seconds for `iters` calls on `threads` threads, after one untimed call. */
  time(threads: number, iters: number): number;
  dispose(): void;
}

/** C = op(A) op(B) for one shape on random operands, row-major, as the GEMM benchmark times it. */
export function gemmTimer(M: number, N: number, K: number, transA: boolean, transB: boolean): Timer {
  const a = randomBuffer(M * K, 1), b = randomBuffer(K * N, 2), c = randomBuffer(M * N, 3);
  const lda = transA ? M : K, ldb = transB ? K : N;
  const call = () => addon.gemm(transA, transB, M, N, K, 1, a, 0, lda, b, 0, ldb, 0, c, 0, N, null, 0, false);
  return timer(call, () => { a.dispose(); b.dispose(); c.dispose(); });
}

/** A threaded copy of n floats between two native buffers: the memory-bandwidth yardstick. */
export function copyTimer(n: number): Timer {
  const src = randomBuffer(n, 4), dst = new addon.NativeBuffer('float32', n);
  return timer(() => addon.copyFloats(dst, 0, src, 0, n), () => { src.dispose(); dst.dispose(); });
}

function timer(call: () => void, dispose: () => void): Timer {
  return {
    time(threads, iters) {
      const before = addon.numThreads();
      addon.setNumThreads(threads);
      try {
        call();
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < iters; i++) call();
        return Number(process.hrtime.bigint() - t0) / 1e9;
      } finally {
        addon.setNumThreads(before);
      }
    },
    dispose,
  };
}

/**
 * Counts N-API crossings from now on: every addon function is replaced by a counting wrapper,
 * and every NativeBuffer created from now on gets a prototype whose methods (read, write,
 * copyFrom, dispose) and native property accessors (length, dtype, disposed) count too. Buffers
 * made before the call are not counted, so call it before any tensor exists, in a process whose
 * timings do not matter (the wrappers cost time).
 */
export function countCrossings(): () => number {
  let calls = 0;
  const table = addon as unknown as Record<string, unknown>;
  const counting = (fn: (...x: unknown[]) => unknown) =>
    function (this: unknown, ...a: unknown[]) {
      calls++;
      return fn.apply(this, a);
    };
  for (const key of Object.keys(table)) {
    const fn = table[key];
    if (typeof fn === 'function' && key !== 'NativeBuffer') table[key] = counting(fn as (...x: unknown[]) => unknown);
  }
  const Original = addon.NativeBuffer as unknown as new (...a: unknown[]) => object;
  const proto = Object.create(Original.prototype) as Record<string, unknown>;
  for (const key of ['read', 'write', 'copyFrom', 'dispose']) {
    const fn = counting(Original.prototype[key as keyof object] as (...x: unknown[]) => unknown);
    Object.defineProperty(proto, key, { value: fn }); // the inherited property is read-only
  }
  for (const key of ['length', 'dtype', 'disposed']) {
    const get = Object.getOwnPropertyDescriptor(Original.prototype, key)?.get;
    if (!get) continue;
    Object.defineProperty(proto, key, {
      get(this: object) {
        calls++;
        return get.call(this);
      },
    });
  }
  table.NativeBuffer = function (...a: unknown[]) {
    calls++;
    const b = new Original(...a);
    Object.setPrototypeOf(b, proto);
    return b;
  };
  return () => calls;
}
