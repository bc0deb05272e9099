// The special functions under TPE's kernels, against scipy (fixtures/make_scipy_reference.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { erfc } from '../../src/tune/math/erf.js';
import { logNdtr, ndtr, ndtriExp, truncnormLogPdf, truncnormPpf } from '../../src/tune/math/normal.js';

const ref = JSON.parse(readFileSync(new URL('./fixtures/scipy_reference.json', import.meta.url), 'utf8'));

/** |a − b| <= tol·max(|b|, tiny): relative error, with an absolute floor for values near 0. */
function close(a: number, b: number, tol: number, floor = 1e-300) {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(Math.abs(b), floor));
}

describe('normal distribution helpers', () => {
  it('erfc matches scipy to 1e-14 relative, far into the tail', () => {
    for (const [x, y] of ref.erfc) close(erfc(x), y, 1e-14);
  });

  it('logNdtr matches scipy.special.log_ndtr on both sides of the series switch at −20', () => {
    for (const [x, y] of ref.logNdtr) close(logNdtr(x), y, 1e-13, 1e-300);
  });

  it('ndtriExp inverts Φ: scipy.special.ndtri(p) from ln p, 1e-300 to 1 − 1e-12', () => {
    for (const [p, x] of ref.ndtri) close(ndtriExp(Math.log(p)), x, 1e-11, 1e-4);
  });

  it('ndtriExp(logNdtr(x)) = x and ndtr is monotone around 0', () => {
    for (const x of [-35, -8, -1, 0.25, 4, 7.5]) close(ndtriExp(logNdtr(x)), x, 1e-12, 1);
    expect(ndtr(-1e-9)).toBeLessThan(ndtr(0));
    expect(ndtr(0)).toBe(0.5);
  });

  it('truncated-normal quantiles and log densities match scipy.stats.truncnorm', () => {
    for (const [q, a, b, x] of ref.truncnormPpf) close(truncnormPpf(q, a, b), x, 1e-10, 1e-10);
    for (const [x, a, b, y] of ref.truncnormLogPdf) close(truncnormLogPdf(x, 0, 1, a, b), y, 1e-11, 1e-10);
  });

  it('a truncated normal has no density outside its interval and the quantile stays inside', () => {
    expect(truncnormLogPdf(2.5, 0, 1, -1, 2)).toBe(-Infinity);
    for (const q of [0, 1e-15, 0.5, 1 - 1e-15, 1]) {
      const x = truncnormPpf(q, 30, 31);
      expect(x).toBeGreaterThanOrEqual(30);
      expect(x).toBeLessThanOrEqual(31);
    }
  });
});
