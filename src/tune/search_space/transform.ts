/**
 * The continuous space numerical parameters are drawn in (Optuna's _SearchSpaceTransform):
 *   float            [low, high]
 *   float, log       [ln low, ln high]
 *   float, step s    [low - s/2, high + s/2]   (each grid value owns an equal-width cell)
 *   int, step s      [low - s/2, high + s/2]
 *   int, log         [ln(low - 1/2), ln(high + 1/2)]
 * and back: exp for log scales, rounding to the grid, clipping to [low, high] (a continuous
 * float stays strictly below high, as a uniform on [low, high) does).
 */
import { FloatDistribution, type NumericalDistribution } from '../distributions.js';

export function transformedBounds(d: NumericalDistribution): [number, number] {
  if (d instanceof FloatDistribution) {
    if (d.log) return [Math.log(d.low), Math.log(d.high)];
    if (d.step !== null) return [d.low - d.step / 2, d.high + d.step / 2];
    return [d.low, d.high];
  }
  if (d.log) return [Math.log(d.low - d.step / 2), Math.log(d.high + d.step / 2)];
  return [d.low - d.step / 2, d.high + d.step / 2];
}

/** The parameter value for a point `x` of the transformed space. */
export function untransform(d: NumericalDistribution, x: number): number {
  if (d instanceof FloatDistribution) {
    if (d.step !== null) return clip(Math.round((x - d.low) / d.step) * d.step + d.low, d.low, d.high);
    const v = d.log ? Math.exp(x) : x;
    return d.single() ? d.low : clip(v, d.low, previousFloat(d.high));
  }
  if (d.log) return clip(Math.round(Math.exp(x)), d.low, d.high);
  return clip(Math.round((x - d.low) / d.step) * d.step + d.low, d.low, d.high);
}

/** The transform itself, for values already in the parameter's range. */
export function transform(d: NumericalDistribution, value: number): number {
  return d.log ? Math.log(value) : value;
}

function clip(v: number, low: number, high: number): number {
  return Math.min(Math.max(v, low), high);
}

const view = new DataView(new ArrayBuffer(8));

/** The largest double below `x` (numpy's nextafter(x, -inf)). */
export function previousFloat(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}
