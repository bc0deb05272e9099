/**
 * embedding(weight [V, D], indices int32 [...]): rows of the table, [..., D], as
 * torch.nn.functional.embedding. One native gather forward; the backward is its adjoint, a
 * scatter-add of the output gradient into a zero [V, D] gradient (repeated indices add up), with
 * the paddingIdx row left at zero (PyTorch: that row "does not contribute to the gradient").
 */
import { record } from '../autograd/graph.js';
import { backendOf } from './device.js';
import { formatShape, type Tensor } from '../tensor.js';
import { checkInt32, checkTensor, option, optionKeys, prefixed, readOptions } from '../validate/index.js';
import { checkFloat, fillKernel } from './kernels.js';
import { gatherRows } from './layout.js';

/** Options of the embedding op: paddingIdx, the row that gets no gradient, as torch.nn.functional.embedding's. */
export interface EmbeddingOptions {
  /** A row whose gradient stays zero (default: none); negative counts from the end. */
  paddingIdx?: number;
}

const KEYS = optionKeys<EmbeddingOptions>({ paddingIdx: true });

/** Rows of `weight` [numEmbeddings, dim] picked by the int32 `indices`: the result has shape [...indices.shape, dim]. */
export function embedding(weight: Tensor, indices: Tensor, options: EmbeddingOptions = {}): Tensor {
  checkFloat('embedding', 'weight', weight);
  checkTensor('embedding', 'indices', indices, 'int32');
  if (weight.ndim !== 2) throw new RangeError(`embedding: weight must be [numEmbeddings, embeddingDim], got ${formatShape(weight.shape)}`);
  const o = readOptions<EmbeddingOptions>('embedding', options, KEYS);
  const [V, D] = weight.shape;
  let paddingIdx: number | null = null;
  if (o.paddingIdx !== undefined) {
    const p = checkInt32('embedding', option('paddingIdx'), o.paddingIdx, -V);
    if (p >= V) throw new RangeError(`embedding: option 'paddingIdx' must be in [-${V}, ${V}), got ${p}`);
    paddingIdx = p < 0 ? p + V : p;
  }
  const backend = backendOf('embedding', weight, indices);
  const flat = indices.reshape(indices.size);
  // gatherRows checks every index against the table and names the first one out of range.
  const rows = prefixed('embedding', () => gatherRows(weight, flat, undefined));
  const out = rows.reshape([...indices.shape, D]);
  rows.dispose(); // the view holds the storage now: freeing it frees the gathered rows
  return record(out, 'embedding', [weight], (g) => {
    const dW = weight.newEmpty([V, D], 'float32', true);
    backend.scatterAddRows(g.buffer, g.offset, D, flat.buffer, flat.offset, flat.size, dW.buffer, dW.offset, V);
    if (paddingIdx !== null) {
      const row = dW.rows(paddingIdx, paddingIdx + 1);
      fillKernel(row, 0);
      row.dispose();
    }
    return [dW];
  });
}
