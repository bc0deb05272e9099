/**
 * The standard normal in log space, and the truncated normal built on it (what TPE's Parzen
 * kernels are). With Φ the standard normal CDF:
 *   logNdtr(x)      = ln Φ(x): directly for x > −20, by the asymptotic series
 *                     ln Φ(x) ≈ −x²/2 − ln(−x) − ½ln 2π + ln Σ_k (−1)^k (2k−1)!! / x^{2k} below
 *   ndtriExp(y)     = Φ⁻¹(e^y): Newton's method on ln Φ from the Abramowitz–Stegun 26.2.23
 *                     start; ln Φ is concave, so the iterates approach the root monotonically
 *   logGaussMass    = ln(Φ(b) − Φ(a)), taken on the side of 0 where it does not cancel
 *   truncated normal on [a, b] (standard units):
 *     pdf(x) = φ(x) / (Φ(b) − Φ(a)),  ppf(q) = Φ⁻¹(Φ(a) + q·(Φ(b) − Φ(a))), in log space
 * (scipy.stats.truncnorm's formulas; Optuna's TPE uses the same.)
 */
import { erfc } from './erf.js';

export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Φ(x). */
export function ndtr(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** ln Φ(x). */
export function logNdtr(x: number): number {
  if (x > 6) return Math.log1p(-0.5 * erfc(x / Math.SQRT2));
  if (x > -20) return Math.log(0.5 * erfc(-x / Math.SQRT2));
  // ln Φ(x) = −x²/2 − ln(−x) − ½ln 2π + ln(1 − 1/x² + 3/x⁴ − 15/x⁶ + …), summed until it settles.
  const inv = 1 / (x * x);
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= -(2 * k - 1) * inv;
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return -0.5 * x * x - Math.log(-x) - LOG_SQRT_2PI + Math.log(sum);
}

/** The x with ln Φ(x) = y, for y <= 0. */
export function ndtriExp(y: number): number {
  if (Number.isNaN(y) || y > 0) return NaN;
  if (y === 0) return Infinity;
  if (y === -Infinity) return -Infinity;
  // Solve on the lower half, where ln Φ is well conditioned: for y > ln ½ use Φ(−x) = 1 − e^y.
  if (y > -Math.LN2) return -solveLower(Math.log(-Math.expm1(y)));
  return solveLower(y);
}

/** Root z <= 0 of ln Φ(z) = w (w <= ln ½). */
function solveLower(w: number): number {
  const t = Math.sqrt(-2 * w);
  let z = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  for (let i = 0; i < 60; i++) {
    const lp = logNdtr(z);
    const slope = Math.exp(-0.5 * z * z - LOG_SQRT_2PI - lp); // d ln Φ / dz = φ/Φ
    const step = (lp - w) / slope;
    if (!Number.isFinite(step)) break;
    z -= step;
    if (Math.abs(step) <= 1e-15 * (1 + Math.abs(z))) break;
  }
  return z;
}

/** ln(e^p + e^q). */
export function logAddExp(p: number, q: number): number {
  if (p === -Infinity) return q;
  if (q === -Infinity) return p;
  const m = Math.max(p, q);
  return m + Math.log1p(Math.exp(-Math.abs(p - q)));
}

/** ln(e^p − e^q), p >= q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** ln(Φ(b) − Φ(a)) for a <= b. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** Quantile q of the standard normal truncated to [a, b]. */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (a === b) return NaN;
  if (q <= 0) return a;
  if (q >= 1) return b;
  const mass = logGaussMass(a, b);
  let x: number;
  if (a < 0) x = ndtriExp(logAddExp(logNdtr(a), Math.log(q) + mass));
  else x = -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + mass));
  return Math.min(Math.max(x, a), b);
}

/** ln pdf at x of the normal N(μ, σ²) truncated to [low, high]. */
export function truncnormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (x < low || x > high) return -Infinity;
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}
