/**
 * Float64 dense linear algebra for the Gaussian process, in native code (native/cpu/cholesky.cc):
 * the O(n^3) factorization runs once per marginal-likelihood evaluation, and the O(n^2 m)
 * triangular solve once per batch of m acquisition candidates.
 */
import { choleskyF64, choleskyInverseF64, triangularSolveF64 } from '../../backend/host.js';

/** In place: the lower triangle of `a` (n x n, row-major) becomes L with A = L L^T; false if A is not positive definite. */
export function cholesky(a: Float64Array, n: number): boolean {
  return choleskyF64(a, n);
}

/** In place: b (n x m) becomes L^-1 b, or L^-T b with `transpose`. */
export function triangularSolve(l: Float64Array, n: number, b: Float64Array, m: number, transpose: boolean): void {
  triangularSolveF64(l, n, b, m, transpose);
}

/** (L L^T)^-1 from the factor L, as a full n x n matrix. */
export function choleskyInverse(l: Float64Array, n: number, out = new Float64Array(n * n)): Float64Array {
  choleskyInverseF64(l, n, out);
  return out;
}
