import { expect } from 'vitest';

/**
 * Asserts max |actual - expected| / max(|expected|_inf, 1e-6) <= tol: the error relative to the
 * array's scale (float32 values near zero would make an elementwise ratio meaningless).
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let err = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Number.isNaN(expected[i]) && Number.isNaN(actual[i]) ? 0 : Math.abs(actual[i] - expected[i]) / scale;
    err = Math.max(err, Number.isNaN(e) ? Infinity : e);
  }
  expect(err).toBeLessThanOrEqual(tol);
}
