/**
 * The Matérn-5/2 kernel with one length scale per input dimension (ARD):
 *
 *   k(x, x') = s (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r),   r^2 = sum_i (x_i - x'_i)^2 / l_i^2
 *
 * (Rasmussen & Williams, "Gaussian Processes for Machine Learning", eq. 4.17). Twice
 * differentiable, so the posterior is smooth enough for a gradient polish of the acquisition,
 * without the squared exponential's overconfidence far from the data.
 *
 * Derivatives used by the marginal likelihood and the acquisition gradient (g(r) below):
 *   dk/dr = -5/3 s r (1 + sqrt5 r) exp(-sqrt5 r)
 *   dk/d log l_i = 5/3 s (1 + sqrt5 r) exp(-sqrt5 r) (x_i - x'_i)^2 / l_i^2 =  g(r) d_i^2 / l_i^2
 *   dk/dx_i      = -g(r) (x_i - x'_i) / l_i^2
 * with g(r) = 5/3 s (1 + sqrt5 r) exp(-sqrt5 r): r cancels, so nothing is singular at r = 0.
 */
const SQRT5 = Math.sqrt(5);

/** k(r) for a kernel scale s. */
export function matern52(r: number, s: number): number {
  return s * (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);
}

/** g(r) = 5/3 s (1 + sqrt5 r) exp(-sqrt5 r), the common factor of every derivative. */
export function matern52Slope(r: number, s: number): number {
  return (5 / 3) * s * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/** The scaled distance r between row a of `x` (n x d) and the point `p` (offset pOff in `pts`). */
export function scaledDistance(x: Float64Array, a: number, pts: Float64Array, p: number, invL2: Float64Array, d: number): number {
  let r2 = 0;
  for (let i = 0; i < d; i++) {
    const diff = x[a * d + i] - pts[p * d + i];
    r2 += diff * diff * invL2[i];
  }
  return Math.sqrt(r2);
}

/** K(i, j) = k(x_i, x_j) for the n x d inputs, plus `noise` on the diagonal. */
export function kernelMatrix(x: Float64Array, n: number, d: number, invL2: Float64Array, s: number, noise: number, out = new Float64Array(n * n)): Float64Array {
  for (let i = 0; i < n; i++) {
    out[i * n + i] = s + noise;
    for (let j = 0; j < i; j++) {
      const v = matern52(scaledDistance(x, i, x, j, invL2, d), s);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}
