/**
 * Maximizing log EI over the unit cube: score many quasi-random (or random) candidates in one
 * batched posterior, then polish the best few with bounded L-BFGS on the analytic gradient.
 * Dimensions marked fixed (one-hot categorical slots) keep the candidate's value during the
 * polish: their gradient is meaningless between the corners.
 */
import type { GaussianProcess } from './gaussian_process.js';
import { lbfgs } from './lbfgs.js';
import { logExpectedImprovement } from './log_ei.js';

export interface AcquisitionOptions {
  /** m x d candidate points in [0, 1]^d. */
  candidates: Float64Array;
  /** Incumbent (standardized) best value. */
  best: number;
  /** How many of the best candidates to polish (default 5). */
  nPolish?: number;
  /** Per dimension: true where the value must not move (categorical one-hot slots). */
  fixed?: readonly boolean[];
}

/** The point of highest log EI found, and its value. */
export function maximizeLogEI(gp: GaussianProcess, options: AcquisitionOptions): { x: Float64Array; value: number } {
  const { d } = gp;
  const { candidates, best, nPolish = 5, fixed } = options;
  const m = candidates.length / d;
  const { mean, variance } = gp.posterior(candidates, m);
  const scores = new Float64Array(m);
  for (let c = 0; c < m; c++) scores[c] = logExpectedImprovement(mean[c], variance[c], best).value;
  const order = Array.from({ length: m }, (_, c) => c).sort((a, b) => scores[b] - scores[a]);
  let bestX: Float64Array = candidates.slice(order[0] * d, order[0] * d + d);
  let bestValue = scores[order[0]];
  const gMean = new Float64Array(d), gVar = new Float64Array(d);
  const lower = new Float64Array(d), upper = new Float64Array(d).fill(1);
  for (const c of order.slice(0, nPolish)) {
    const start = candidates.slice(c * d, c * d + d);
    if (fixed) for (let i = 0; i < d; i++) if (fixed[i]) lower[i] = upper[i] = start[i];
    const negative = (x: Float64Array, grad: Float64Array) => {
      const post = gp.posteriorWithGradient(x, gMean, gVar);
      const ei = logExpectedImprovement(post.mean, post.variance, best);
      for (let i = 0; i < d; i++) grad[i] = fixed?.[i] ? 0 : -(ei.dMean * gMean[i] + ei.dVariance * gVar[i]);
      return -ei.value;
    };
    const r = lbfgs(negative, start, { lower, upper, maxIter: 30, gradTol: 1e-6 });
    if (-r.f > bestValue) { bestValue = -r.f; bestX = r.x; }
    if (fixed) { lower.fill(0); upper.fill(1); }
  }
  return { x: bestX, value: bestValue };
}
