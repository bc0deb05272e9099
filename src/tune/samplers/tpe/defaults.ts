/**
 * TPE's default splitting and weighting rules (Optuna's samplers/_tpe/sampler.py):
 *   gamma(n)   = min(⌈0.1·n⌉, 25)          trials in the "good" group l(x)
 *   weights(n) = 1 for n < 25; otherwise a linear ramp from 1/n to 1 over the n − 25 oldest
 *                observations, then 1 for the 25 newest (older trials count less).
 * hyperoptDefaultGamma is Hyperopt's ⌈0.25·√n⌉ capped at 25.
 */
import { checkInteger } from '../../../validate/index.js';

/** TPE's default split: the min(⌈0.1 n⌉, 25) best of n trials form the "good" group. */
export function defaultGamma(n: number): number {
  checkInteger('defaultGamma', 'n', n, { min: 0 });
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Hyperopt's split: min(⌈0.25 √n⌉, 25) trials in the "good" group. */
export function hyperoptDefaultGamma(n: number): number {
  checkInteger('hyperoptDefaultGamma', 'n', n, { min: 0 });
  return Math.min(Math.ceil(0.25 * Math.sqrt(n)), 25);
}

/** TPE's default observation weights: 1 for fewer than 25 trials, else a ramp from 1/n to 1 over the oldest n - 25 and 1 for the newest 25. */
export function defaultWeights(n: number): Float64Array {
  checkInteger('defaultWeights', 'n', n, { min: 0, max: 2 ** 31 - 1 });
  const w = new Float64Array(n).fill(1);
  if (n < 25) return w;
  // numpy.linspace(1/n, 1, n − 25): evenly spaced, both ends included.
  const m = n - 25;
  for (let i = 0; i < m; i++) w[i] = m === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (m - 1);
  return w;
}
