/** Layout ops: transpose and row gathers (index_select along the first axis). */
import { record } from '../autograd/graph.js';
import { formatShape, Tensor } from '../tensor.js';
import { checkFloat } from './kernels.js';
import { backendOf } from './device.js';
import { checkOptionalTensor, checkTensor } from '../validate/index.js';

function transposeKernel(x: Tensor): Tensor {
  const [rows, cols] = x.shape;
  const out = x.newEmpty([cols, rows]);
  x.backend.transpose(x.buffer, x.offset, rows, cols, out.buffer, out.offset);
  return out;
}

/** The transpose of a 2-D tensor, as a new tensor. */
export function transpose(x: Tensor): Tensor {
  checkFloat('transpose', 'x', x);
  if (x.ndim !== 2) throw new RangeError(`transpose: expected a 2-D tensor, got ${formatShape(x.shape)}`);
  return record(transposeKernel(x), 'transpose', [x], (g) => [transposeKernel(g)]);
}

/**
 * Rows of `source` (first axis) picked by int32 `index`: out[i] = source[index[i]].
 * Works for float32 and int32 sources; the loader assembles batches with it. No gradient.
 */
export function gatherRows(source: Tensor, index: Tensor, out?: Tensor): Tensor {
  checkTensor('gatherRows', 'source', source);
  checkTensor('gatherRows', 'index', index, 'int32');
  checkOptionalTensor('gatherRows', 'out', out);
  if (index.ndim !== 1) throw new RangeError(`gatherRows: index must be 1-D, got ${formatShape(index.shape)}`);
  if (source.ndim === 0) throw new RangeError('gatherRows: source must have at least one dimension');
  const srcRows = source.shape[0];
  const rowLength = srcRows === 0 ? 0 : source.size / srcRows;
  const shape = [index.shape[0], ...source.shape.slice(1)];
  if (out && (out.size !== index.shape[0] * rowLength || out.dtype !== source.dtype)) {
    throw new RangeError(`gatherRows: out has shape ${formatShape(out.shape)} (${out.dtype}), expected ${formatShape(shape)} (${source.dtype})`);
  }
  const backend = backendOf('gatherRows', source, index, out);
  const result = out ?? source.newEmpty(shape, source.dtype);
  backend.gatherRows(source.buffer, source.offset, rowLength, srcRows, index.buffer, index.offset, index.shape[0],
    result.buffer, result.offset);
  return result;
}
