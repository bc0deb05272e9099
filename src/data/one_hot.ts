/** One-hot encoding of class labels (native/cpu/one_hot.h). */
import { Tensor } from '../tensor.js';
import { labelArray, type Labels } from './labels.js';
import { dataAddon } from './native_data.js';
import { tensor } from '../ops/creation.js';

/**
 * A float32 [n, numClasses] tensor with a 1 at each sample's class, as
 * torch.nn.functional.one_hot (which returns integers). numClasses defaults to max(label) + 1;
 * a label outside [0, numClasses) is an error naming it.
 */
export function oneHot(labels: Labels, numClasses?: number): Tensor {
  const y = labels instanceof Tensor ? labels : tensor(labelArray('oneHot', labels), [labels.length], { dtype: 'int32' });
  if (y.dtype !== 'int32' || y.ndim !== 1) throw new TypeError(`oneHot: labels must be a 1-D int32 tensor, got ${y.dtype} [${y.shape}]`);
  let classes = numClasses;
  if (classes === undefined) {
    let max = -1;
    for (const v of y.toArray()) max = Math.max(max, v);
    classes = max + 1;
  }
  if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`oneHot: numClasses must be a positive integer, got ${classes}`);
  const out = Tensor.empty([y.size, classes]);
  dataAddon.oneHot(y.buffer, y.offset, y.size, classes, out.buffer, out.offset);
  return out;
}
