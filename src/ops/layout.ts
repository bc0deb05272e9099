/** Row gathers (index_select along the first axis, without a gradient: the loader's batches). */
import { formatShape, Tensor } from '../tensor.js';
import { backendOf } from './device.js';
import { checkOptionalTensor, checkTensor } from '../validate/index.js';

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
