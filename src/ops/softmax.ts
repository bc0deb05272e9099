/** Softmax and log-softmax over the last axis, one native call each way. */
import { record } from '../autograd/graph.js';
import { formatShape, Tensor } from '../tensor.js';
import { checkFloat } from './kernels.js';
import { checkInteger } from '../validate/index.js';

function softmaxOp(op: string, x: Tensor, dim: number, log: boolean): Tensor {
  checkFloat(op, 'x', x);
  checkInteger(op, 'dim', dim);
  if (x.ndim === 0) throw new RangeError(`${op}: expected at least one dimension, got a scalar`);
  if (dim !== -1 && dim !== x.ndim - 1) {
    throw new RangeError(`${op}: only the last dimension is supported (dim -1 or ${x.ndim - 1}), got ${dim} for ${formatShape(x.shape)}`);
  }
  const cols = x.shape[x.ndim - 1];
  const rows = cols === 0 ? 0 : x.size / cols;
  const y = x.newEmpty(x.shape);
  x.backend.softmax(x.buffer, x.offset, y.buffer, y.offset, rows, cols, log);
  return record(y, op, [x], (g) => {
    const dx = x.newEmpty(x.shape);
    x.backend.softmaxBackward(y.buffer, y.offset, g.buffer, g.offset, dx.buffer, dx.offset, rows, cols, log);
    return [dx];
  });
}

/** softmax(x)_i = e^x_i / sum_j e^x_j along the last axis. */
export const softmax = (x: Tensor, dim = -1): Tensor => softmaxOp('softmax', x, dim, false);

/** log_softmax(x)_i = x_i - log sum_j e^x_j along the last axis, computed stably. */
export const logSoftmax = (x: Tensor, dim = -1): Tensor => softmaxOp('logSoftmax', x, dim, true);
