/**
 * Shared plumbing of the regression metrics: checks that predictions and targets are float32
 * with the same samples and outputs, and computes per-output column sums natively (one
 * kernel chain, one read-back of d numbers per batch).
 */
import { noGrad } from '../../autograd/graph.js';
import { abs, square, sub } from '../../ops/elementwise.js';
import { sum } from '../../ops/reduce.js';
import { formatShape, type Tensor } from '../../tensor.js';
import { checkTensor } from '../../validate/index.js';

/** Both tensors viewed as [n, d]: n samples, d outputs. */
export interface Columns {
  n: number;
  d: number;
}

/** Validates a regression batch: [n] against [n] (or [n, 1]), or [n, d] against [n, d]. */
export function regressionShape(op: string, pred: Tensor, target: Tensor): Columns {
  checkTensor(op, 'pred', pred);
  checkTensor(op, 'target', target);
  if (pred.dtype !== 'float32' || target.dtype !== 'float32') {
    throw new TypeError(`${op}: predictions and targets must be float32, got ${pred.dtype} and ${target.dtype}`);
  }
  const cols = (t: Tensor) => (t.ndim <= 1 ? 1 : t.size / (t.shape[0] || 1));
  const n = pred.ndim === 0 ? 1 : pred.shape[0];
  const d = cols(pred);
  if (pred.size !== target.size || (target.ndim > 0 && target.shape[0] !== n) || cols(target) !== d) {
    throw new RangeError(`${op}: predictions ${formatShape(pred.shape)} and targets ${formatShape(target.shape)} must have the same samples and outputs`);
  }
  return { n, d };
}

/** Σ_i f(pred_i - target_i) per output column, f = square or abs, in float64. */
export function residualColumnSums(pred: Tensor, target: Tensor, cols: Columns, f: 'square' | 'abs'): Float64Array {
  if (cols.n === 0) return new Float64Array(cols.d);
  return noGrad(() => {
    using p = pred.reshape(cols.n, cols.d);
    using t = target.reshape(cols.n, cols.d);
    using diff = sub(p, t);
    using mapped = f === 'square' ? square(diff) : abs(diff);
    using sums = sum(mapped, 0);
    return Float64Array.from(sums.toArray());
  });
}
