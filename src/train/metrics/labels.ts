/**
 * Turning a batch of predictions and targets into class labels, with one native op and one
 * read-back each. Predictions are
 *   - float32 [n, C], C >= 2: logits or probabilities; the class is the argmax (native);
 *   - float32 [n] or [n, 1]: a binary score; the class is 1 when score >= threshold
 *     (0.5 for probabilities, 0 for logits);
 *   - int32 [n]: class labels already.
 * Targets are int32 [n] (or [n, 1]) labels, or float32 holding whole numbers (binary 0/1).
 */
import { formatShape, Tensor } from '../../tensor.js';

const isColumn = (t: Tensor) => t.ndim === 1 || (t.ndim === 2 && t.shape[1] === 1);

/** Predicted class per sample. */
export function predictedClasses(op: string, pred: Tensor, threshold: number): Int32Array {
  if (pred.dtype === 'int32') {
    if (!isColumn(pred)) throw new RangeError(`${op}: int32 predictions must be labels [n], got ${formatShape(pred.shape)}`);
    return pred.toArray() as Int32Array;
  }
  if (isColumn(pred)) {
    const scores = pred.toArray();
    const out = new Int32Array(scores.length);
    for (let i = 0; i < scores.length; i++) out[i] = scores[i] >= threshold ? 1 : 0;
    return out;
  }
  if (pred.ndim !== 2) throw new RangeError(`${op}: predictions must be [n, classes], [n] or [n, 1], got ${formatShape(pred.shape)}`);
  const [n, c] = pred.shape;
  using idx = pred.newEmpty([n], 'int32');
  if (n > 0) pred.backend.argmax(pred.buffer, pred.offset, n, c, 1, idx.buffer, idx.offset);
  return idx.toArray() as Int32Array;
}

/** True class per sample; float targets must hold whole numbers. */
export function targetClasses(op: string, target: Tensor): Int32Array {
  if (!isColumn(target)) throw new RangeError(`${op}: targets must be labels [n] or [n, 1], got ${formatShape(target.shape)}`);
  if (target.dtype === 'int32') return target.toArray() as Int32Array;
  const values = target.toArray();
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isInteger(values[i])) throw new RangeError(`${op}: target ${i} is ${values[i]}, expected a class label`);
    out[i] = values[i];
  }
  return out;
}

/** Throws unless every label lies in [0, numClasses). */
export function checkLabels(op: string, what: string, labels: Int32Array, numClasses: number): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || labels[i] >= numClasses) {
      throw new RangeError(`${op}: ${what} ${i} is ${labels[i]}, outside [0, ${numClasses})`);
    }
  }
}
