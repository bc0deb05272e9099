/** One-hot encoding of class labels (native/cpu/one_hot.h). */
import { Tensor } from '../tensor.js';
import { labelArray, type Labels } from './labels.js';
import { tensor } from '../ops/creation.js';
import { checkInt32, checkTensor, isInstance, MAX_ELEMENTS } from '../validate/index.js';

/**
 * A float32 [n, numClasses] tensor with a 1 at each sample's class, as
 * torch.nn.functional.one_hot (which returns integers). numClasses defaults to max(label) + 1;
 * a label outside [0, numClasses) is an error naming it.
 */
export function oneHot(labels: Labels, numClasses?: number): Tensor {
  const y = isInstance(labels, Tensor) ? checkTensor('oneHot', 'labels', labels, 'int32') : tensor(labelArray('oneHot', labels), { dtype: 'int32' });
  if (y.ndim !== 1) throw new TypeError(`oneHot: labels must be a 1-D int32 tensor, got shape [${y.shape}]`);
  if (numClasses !== undefined) checkInt32('oneHot', 'numClasses', numClasses, 1);
  let classes = numClasses;
  if (classes === undefined) {
    let max = -1;
    for (const v of y.toArray()) max = Math.max(max, v);
    classes = max + 1;
  }
  if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`oneHot: numClasses must be a positive integer, got ${classes}`);
  if (y.size * classes > MAX_ELEMENTS) throw new RangeError(`oneHot: ${y.size} x ${classes} one-hot rows are more than 2^32 elements`);
  const out = y.newEmpty([y.size, classes]);
  y.backend.oneHot(y.buffer, y.offset, y.size, classes, out.buffer, out.offset);
  return out;
}
