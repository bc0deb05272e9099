/**
 * Float64 reference GEMM and helpers for the native GEMM tests: the same row-major contract as
 * native/cpu/gemm.h, C = alpha * op(A) op(B) + beta * C (+ bias, then ReLU), computed in double
 * precision, with an error bound per element for comparing the float32 result.
 */
import { addon as native, type NativeBuffer } from '../../src/backend/addon.js';

/** One GEMM call: shapes, transposes, scalars, leading dimensions and epilogue. */
export interface GemmCase {
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  alpha: number;
  beta: number;
  /** Extra elements per row beyond the stored row length (leading dimension padding). */
  padA: number;
  padB: number;
  padC: number;
  bias: boolean;
  relu: boolean;
  seed: number;
}

/** Deterministic uniform [-1, 1) floats (mulberry32), rounded to float32. */
export function randomFloats(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** Stored layout of a case: rows, columns and leading dimension of A, B and C. */
export function layout(c: GemmCase) {
  const aRows = c.transA ? c.K : c.M, aCols = c.transA ? c.M : c.K;
  const bRows = c.transB ? c.N : c.K, bCols = c.transB ? c.K : c.N;
  return {
    aRows, aCols, lda: Math.max(1, aCols + c.padA),
    bRows, bCols, ldb: Math.max(1, bCols + c.padB),
    ldc: Math.max(1, c.N + c.padC),
  };
}

function toBuffer(data: Float32Array): NativeBuffer {
  const buf = new native.NativeBuffer('float32', Math.max(1, data.length));
  if (data.length > 0) buf.write(data, 0);
  return buf;
}

/** Runs the case on the native GEMM and on the float64 reference; returns both C's and bounds. */
export function runCase(c: GemmCase, cInit?: Float32Array) {
  const L = layout(c);
  const a = randomFloats(L.aRows * L.lda, c.seed);
  const b = randomFloats(L.bRows * L.ldb, c.seed + 1);
  const c0 = cInit ?? randomFloats(c.M * L.ldc, c.seed + 2);
  const bias = c.bias ? randomFloats(c.N, c.seed + 3) : null;
  const A = toBuffer(a), B = toBuffer(b), C = toBuffer(c0), Bias = bias ? toBuffer(bias) : null;
  try {
    native.gemm(c.transA, c.transB, c.M, c.N, c.K, c.alpha, A, 0, L.lda, B, 0, L.ldb, c.beta, C, 0, L.ldc,
      Bias, 0, c.relu);
    const got = C.read(0, c.M * L.ldc) as Float32Array;
    const want = new Float64Array(c.M * L.ldc);
    const bound = new Float64Array(c.M * L.ldc);
    // op(A) as M x K rows and op(B)^T as N x K rows, both contiguous: the reference's inner loop
    // then reads two rows in order instead of striding through B (several times faster, which
    // keeps the large cases well inside the test timeout on a loaded machine).
    const rowsA = new Float64Array(c.M * c.K), colsB = new Float64Array(c.N * c.K);
    for (let i = 0; i < c.M; i++) for (let k = 0; k < c.K; k++) rowsA[i * c.K + k] = c.transA ? a[k * L.lda + i] : a[i * L.lda + k];
    for (let j = 0; j < c.N; j++) for (let k = 0; k < c.K; k++) colsB[j * c.K + k] = c.transB ? b[j * L.ldb + k] : b[k * L.ldb + j];
    for (let i = 0; i < c.M; i++) {
      for (let j = 0; j < L.ldc; j++) {
        const at = i * L.ldc + j;
        if (j >= c.N) {
          want[at] = c0[at]; // padding between rows must be left alone
          continue;
        }
        let s = 0, mag = 0;
        const ai = i * c.K, bj = j * c.K;
        for (let k = 0; k < c.K; k++) {
          const p = rowsA[ai + k] * colsB[bj + k];
          s += p;
          mag += Math.abs(p);
        }
        let r = c.alpha * s;
        mag = Math.abs(c.alpha) * mag;
        if (c.beta !== 0) {
          r += c.beta * c0[at];
          mag += Math.abs(c.beta * c0[at]);
        }
        if (bias) {
          r += bias[j];
          mag += Math.abs(bias[j]);
        }
        if (c.relu) r = Math.max(0, r);
        want[at] = r;
        // Worst-case float32 rounding of a K-term sum plus the epilogue's few operations.
        bound[at] = (c.K + 4) * 2 ** -23 * mag + 1e-30;
      }
    }
    return { got, want, bound };
  } finally {
    A.dispose(); B.dispose(); C.dispose(); Bias?.dispose();
  }
}

/** Index of the first element outside its bound (NaN never matches), or -1. */
export function firstMismatch(got: ArrayLike<number>, want: ArrayLike<number>, bound: ArrayLike<number>): number {
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i]) ? !Number.isNaN(got[i]) : !(Math.abs(got[i] - want[i]) <= bound[i])) return i;
  }
  return -1;
}
