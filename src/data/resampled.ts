/** The output of a resampler, and the shared checks on its inputs. */
import { Tensor, formatShape } from '../tensor.js';
import { labelArray } from './labels.js';
import { checkTensor } from '../validate/index.js';

/** Resampled features and labels. */
export interface Resampled {
  x: Tensor;
  y: Tensor;
}

/** Validates (x, y) for a resampler and returns x as [n, d] and the labels in JS. */
export function resampleInputs(op: string, x: Tensor, y: Tensor | Int32Array | ArrayLike<number>): { x2: Tensor; labels: Int32Array } {
  checkTensor(op, 'x', x, 'float32');
  if (x.ndim < 2) throw new TypeError(`${op}: x must be a float32 [samples, features] tensor, got ${x.dtype} ${formatShape(x.shape)}`);
  const labels = labelArray(op, y);
  const n = x.shape[0];
  if (n === 0) throw new RangeError(`${op}: dataset is empty`);
  if (labels.length !== n) throw new RangeError(`${op}: x has ${n} samples but y has ${labels.length} labels`);
  return { x2: x.reshape(n, x.size / n), labels };
}
