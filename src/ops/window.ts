/**
 * The arguments of sliding-window ops (convolution, pooling) as PyTorch takes them: a size as
 * one integer or a pair [h, w], checked and expanded; and the output-size rule they share
 *   out = floor((in + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1
 * (native/common/conv_geometry.h computes the same in the kernels).
 */
import { describeValue } from '../validate/index.js';

export type Pair = number | readonly [number, number];

/** `value` as [h, w]: each an integer >= min. */
export function pair(op: string, name: string, value: unknown, min: number): [number, number] {
  const v = typeof value === 'number' ? [value, value] : Array.isArray(value) && value.length === 2 ? value : null;
  if (!v || !v.every((d) => Number.isSafeInteger(d) && d >= min && d <= 2 ** 31 - 1)) {
    throw new RangeError(`${op}: ${name} must be an integer >= ${min} or a pair [h, w] of them, got ${describeValue(value)}`);
  }
  return [v[0] as number, v[1] as number];
}

export function windowOutput(size: number, kernel: number, stride: number, padding: number, dilation: number): number {
  const span = dilation * (kernel - 1) + 1;
  return size + 2 * padding < span ? 0 : Math.floor((size + 2 * padding - span) / stride) + 1;
}
