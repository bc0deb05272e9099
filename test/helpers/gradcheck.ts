/**
 * Gradient checking against a float64 reference.
 *
 * The analytic gradient comes from steepest's float32 autograd, back-propagating
 * L = sum(w * f(inputs)) for fixed random weights w. The numeric gradient comes from central
 * differences of the same L computed by a float64 JavaScript reference of f:
 *   dL/dx_i ~ (L(x + h e_i) - L(x - h e_i)) / 2h,  h = 1e-6 (float64, so truncation and
 * rounding errors are far below float32 precision).
 * The check passes when max |analytic - numeric| / max(|numeric|_inf, floor) < tol.
 */
import { expect } from 'vitest';
import { Tensor, tensor } from '../../src/index.js';

export type Ref64 = (inputs: Float64Array[]) => Float64Array | number[] | number;

export interface GradcheckOptions {
  /** Indices of the inputs to check (default: all float32 inputs). */
  wrt?: number[];
  tol?: number;
  h?: number;
  /** Seed for the output weights w. */
  seed?: number;
}

function lcg(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const asArray = (r: Float64Array | number[] | number): Float64Array =>
  typeof r === 'number' ? Float64Array.of(r) : Float64Array.from(r);

/** Max relative error of the analytic gradient of each checked input. */
export function gradientErrors(
  fn: (inputs: Tensor[]) => Tensor,
  ref: Ref64,
  inputs: Tensor[],
  options: GradcheckOptions = {},
): number[] {
  const { h = 1e-6, seed = 7 } = options;
  const wrt = options.wrt ?? inputs.map((t, i) => (t.dtype === 'float32' ? i : -1)).filter((i) => i >= 0);
  const leaves = inputs.map((t, i) => {
    const copy = tensor(t.toArray(), t.shape, { dtype: t.dtype });
    if (wrt.includes(i)) copy.requiresGrad = true;
    return copy;
  });
  const out = fn(leaves);
  const rnd = lcg(seed);
  const w = Float64Array.from({ length: out.size }, () => rnd());
  out.backward(tensor(Float32Array.from(w), out.shape));

  const base = inputs.map((t) => Float64Array.from(t.toArray()));
  const lossAt = (xs: Float64Array[]) => {
    const y = asArray(ref(xs));
    if (y.length !== w.length) throw new Error(`reference returned ${y.length} values, op returned ${w.length}`);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w[i] * y[i];
    return s;
  };
  return wrt.map((k) => {
    const analytic = leaves[k].grad?.toArray() ?? new Float32Array(inputs[k].size);
    const numeric = new Float64Array(base[k].length);
    for (let i = 0; i < base[k].length; i++) {
      const xs = base.map((b) => Float64Array.from(b));
      xs[k][i] = base[k][i] + h;
      const up = lossAt(xs);
      xs[k][i] = base[k][i] - h;
      const down = lossAt(xs);
      numeric[i] = (up - down) / (2 * h);
    }
    let scale = 1e-3;
    for (const v of numeric) scale = Math.max(scale, Math.abs(v));
    let err = 0;
    for (let i = 0; i < numeric.length; i++) err = Math.max(err, Math.abs(analytic[i] - numeric[i]) / scale);
    return err;
  });
}

/** Asserts every checked gradient is within `tol` (default 1e-3) of the float64 reference. */
export function expectGradientsMatch(
  fn: (inputs: Tensor[]) => Tensor,
  ref: Ref64,
  inputs: Tensor[],
  options: GradcheckOptions = {},
): void {
  const errors = gradientErrors(fn, ref, inputs, options);
  for (const e of errors) expect(e).toBeLessThan(options.tol ?? 1e-3);
}
