/**
 * The kernels of a Parzen estimator, batched: one per observation plus one for the prior, all
 * sharing a parameter's range, per dimension of the (transformed) search space:
 *   categorical   a probability row over the choices per kernel
 *   truncnorm     N(μ_k, σ_k²) truncated to [low, high]
 *   discrete      N(μ_k, σ_k²) truncated to [low − s/2, high + s/2] and rounded to the grid
 *                 low + s·ℤ, so the mass of grid value v is the Gaussian mass of [v − s/2, v + s/2]
 *                 (clipped to the range) over the mass of the whole range.
 * Optuna's probability_distributions.py has the same three.
 */
import { logGaussMass, LOG_SQRT_2PI, truncnormPpf } from '../../math/normal.js';

export type Kernels =
  | { kind: 'categorical'; weights: Float64Array[] }
  | { kind: 'truncnorm'; mu: Float64Array; sigma: Float64Array; low: number; high: number }
  | { kind: 'discrete'; mu: Float64Array; sigma: Float64Array; low: number; high: number; step: number };

/** A draw from kernel k, given one uniform u in [0, 1). */
export function sampleKernel(d: Kernels, k: number, u: number): number {
  if (d.kind === 'categorical') {
    const row = d.weights[k];
    let acc = 0;
    for (let i = 0; i < row.length - 1; i++) {
      acc += row[i];
      if (u < acc) return i;
    }
    return row.length - 1;
  }
  const mu = d.mu[k];
  const sigma = d.sigma[k];
  const half = d.kind === 'discrete' ? d.step / 2 : 0;
  const x = mu + sigma * truncnormPpf(u, (d.low - half - mu) / sigma, (d.high + half - mu) / sigma);
  if (d.kind === 'truncnorm') return x;
  return Math.min(Math.max(d.low + Math.round((x - d.low) / d.step) * d.step, d.low), d.high);
}

/** ln density (or mass, for discrete and categorical kernels) of x under every kernel, into out. */
export function kernelLogPdf(d: Kernels, x: number, out: Float64Array, cache: Float64Array): void {
  const n = out.length;
  if (d.kind === 'categorical') {
    const i = Math.round(x);
    for (let k = 0; k < n; k++) out[k] = Math.log(d.weights[k][i]);
    return;
  }
  if (d.kind === 'truncnorm') {
    // cache[k] = ln σ_k + ln(Φ(b_k) − Φ(a_k)): the kernel's normalizer, the same for every x.
    for (let k = 0; k < n; k++) {
      if (x < d.low || x > d.high) {
        out[k] = -Infinity;
        continue;
      }
      const z = (x - d.mu[k]) / d.sigma[k];
      out[k] = -0.5 * z * z - LOG_SQRT_2PI - cache[k];
    }
    return;
  }
  const lo = d.low - d.step / 2;
  const hi = d.high + d.step / 2;
  const xl = Math.max(x - d.step / 2, lo);
  const xh = Math.min(x + d.step / 2, hi);
  for (let k = 0; k < n; k++) {
    const mu = d.mu[k];
    const sigma = d.sigma[k];
    out[k] = xl >= xh ? -Infinity : logGaussMass((xl - mu) / sigma, (xh - mu) / sigma) - cache[k];
  }
}

/**
 * Per-kernel normalizers kernelLogPdf reuses (see there). With `standardized`, a truncnorm kernel's
 * value is its density in standard units, φ(z) / (Φ(b) − Φ(a)) — ln σ_k left out of the normalizer
 * — which is what Optuna 3.1's TPE scores with (its _truncnorm.logpdf drops the scale term;
 * optuna/optuna#5109, changed by #5110 in later releases). It amounts to weighting kernel k by σ_k
 * when l(x) and g(x) are evaluated; discrete and categorical kernels are masses either way.
 */
export function kernelCache(d: Kernels, standardized = false): Float64Array {
  if (d.kind === 'categorical') return new Float64Array(0);
  const n = d.mu.length;
  const out = new Float64Array(n);
  const half = d.kind === 'discrete' ? d.step / 2 : 0;
  for (let k = 0; k < n; k++) {
    const mu = d.mu[k];
    const sigma = d.sigma[k];
    const mass = logGaussMass((d.low - half - mu) / sigma, (d.high + half - mu) / sigma);
    out[k] = d.kind === 'truncnorm' && !standardized ? Math.log(sigma) + mass : mass;
  }
  return out;
}
