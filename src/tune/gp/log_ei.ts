/**
 * Log expected improvement, the acquisition of the GP sampler (minimization). For a posterior
 * N(mu, sigma^2) and the best value so far f*, with z = (f* - mu) / sigma:
 *
 *   EI = sigma h(z),   h(z) = phi(z) + z Phi(z),   d log h / dz = Phi(z) / h(z)
 *
 * EI underflows to 0 (and its gradient with it) a few standard deviations from the incumbent,
 * which flattens the acquisition over most of the space; its logarithm stays informative
 * (Ament et al. 2023, "Unexpected improvements to expected improvement for Bayesian
 * optimization"). Below z = -8 h is computed from its asymptotic series,
 *   h(z) ~ phi(z) / z^2 (1 - 3/z^2 + 15/z^4 - 105/z^6 + 945/z^8),
 *   Phi(z) ~ phi(z) / -z (1 - 1/z^2 + 3/z^4 - 15/z^6 + 105/z^8),
 * which are accurate to better than 1e-6 there; above it directly, where the cancellation in
 * phi + z Phi costs at most two of double precision's digits.
 */
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * erfc(x) with fractional error below 1.2e-7 everywhere: the Chebyshev fit of Press et al.,
 * "Numerical Recipes", 2nd ed., section 6.2 (erfcc).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export const normalCdf = (z: number) => 0.5 * erfc(-z / Math.SQRT2);
/** Standard normal density. */
export const normalPdf = (z: number) => Math.exp(-0.5 * z * z - LOG_SQRT_2PI);

/** log h(z) and d log h / dz. */
export function logH(z: number): { value: number; slope: number } {
  if (z > -8) {
    const cdf = normalCdf(z);
    const h = normalPdf(z) + z * cdf;
    if (h > 0) return { value: Math.log(h), slope: cdf / h };
  }
  const w = 1 / (z * z);
  const hSeries = 1 - 3 * w + 15 * w * w - 105 * w ** 3 + 945 * w ** 4;
  const cdfSeries = 1 - w + 3 * w * w - 15 * w ** 3 + 105 * w ** 4;
  return {
    value: -0.5 * z * z - LOG_SQRT_2PI + Math.log(w) + Math.log(hSeries),
    slope: -z * (cdfSeries / hSeries),
  };
}

/**
 * log EI at mean mu and variance v for the incumbent best, with the derivatives in mu and v:
 *   d logEI = -rho / sigma dmu + (1 - z rho) / sigma dsigma,   rho = d log h / dz,
 *   dsigma = dv / (2 sigma).
 */
export function logExpectedImprovement(mu: number, v: number, best: number): { value: number; dMean: number; dVariance: number } {
  const sigma = Math.sqrt(v);
  const z = (best - mu) / sigma;
  const { value, slope } = logH(z);
  return {
    value: Math.log(sigma) + value,
    dMean: -slope / sigma,
    dVariance: (1 - z * slope) / sigma / (2 * sigma),
  };
}
