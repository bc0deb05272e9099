/**
 * The fused softmax of attention: y = softmax(scale * x + mask) over the last axis, one native
 * call forward and one backward (native/cpu/masked_softmax.h), as PyTorch's
 * softmax(q k^T / sqrt(d) + attn_mask) inside scaled dot-product attention. The additive mask
 * (float32: 0 to keep, -Infinity to drop a key) broadcasts to x's shape; the kernel reads it in
 * place when it varies along a leading run of x's batch dimensions and is repeated along the
 * rest (an attn_mask [L, S], a key padding mask [N, 1, 1, S] against [N, H, L, S], a
 * combined [N, 1, L, S]); any other broadcast is expanded first. The mask is a constant: it
 * gets no gradient.
 *   dx = scale * y * (g - sum(g * y))
 */
import { record } from '../autograd/graph.js';
import { formatShape, shapeSize, type Tensor } from '../tensor.js';
import { checkNumber, checkOptionalTensor, option, optionKeys, readOptions } from '../validate/index.js';
import { backendOf } from './device.js';
import { checkFloat } from './kernels.js';
import { broadcastShapes, expandKernel } from './strided.js';

/** Options of maskedSoftmax: the scale applied before the softmax and an int32 (keep where nonzero) or additive float32 mask. */
export interface MaskedSoftmaxOptions {
  /** Multiplies x before the mask is added (default 1; attention uses 1 / sqrt(headDim)). */
  scale?: number;
  /** An additive float32 mask broadcast to x's shape, or null. */
  mask?: Tensor | null;
}

const KEYS = optionKeys<MaskedSoftmaxOptions>({ scale: true, mask: true });

/** [L, groupsPerBatch, batchStride, rowStride] when the kernel can read a mask of `maskShape` in place over x [..., L, S], else null. */
function geometry(xShape: readonly number[], maskShape: readonly number[]): number[] | null {
  const nd = xShape.length, L = xShape[nd - 2], S = xShape[nd - 1];
  const m = [...new Array<number>(nd - maskShape.length).fill(1), ...maskShape];
  if (m[nd - 1] !== S) return null;
  const rowStride = m[nd - 2] === 1 ? 0 : S;
  // Leading dims: mask equal to x's along a prefix [0, k), 1 along the rest.
  let k = 0;
  while (k < nd - 2 && m[k] === xShape[k]) k++;
  for (let i = k; i < nd - 2; i++) if (m[i] !== 1) return null;
  const groupsPerBatch = shapeSize(xShape.slice(k, nd - 2));
  return [L, Math.max(groupsPerBatch, 1), (m[nd - 2] === 1 ? 1 : L) * S * (k > 0 ? 1 : 0), rowStride];
}

/** softmax(scale * x + mask) over the last axis of x (at least 2-D when masked). */
export function maskedSoftmax(x: Tensor, options: MaskedSoftmaxOptions = {}): Tensor {
  checkFloat('maskedSoftmax', 'x', x);
  const o = readOptions<MaskedSoftmaxOptions>('maskedSoftmax', options, KEYS);
  const scale = o.scale === undefined ? 1 : checkNumber('maskedSoftmax', option('scale'), o.scale);
  let mask = checkOptionalTensor('maskedSoftmax', option('mask'), o.mask, 'float32');
  if (x.ndim === 0) throw new RangeError('maskedSoftmax: expected at least one dimension, got a scalar');
  const backend = backendOf('maskedSoftmax', x, mask);
  const cols = x.shape[x.ndim - 1];
  const rows = cols === 0 ? 0 : x.size / cols;
  let g = [1, 1, 0, 0];
  let expanded: Tensor | null = null;
  if (mask) {
    const shape = broadcastShapes('maskedSoftmax', x.shape, mask.shape);
    if (shape.length !== x.ndim || shape.some((d, i) => d !== x.shape[i])) {
      throw new RangeError(`maskedSoftmax: mask ${formatShape(mask.shape)} must broadcast to x's shape ${formatShape(x.shape)}`);
    }
    const inPlace = geometry(x.ndim === 1 ? [1, cols] : x.shape, mask.shape);
    if (inPlace) g = inPlace;
    else {
      mask = expanded = expandKernel(mask, x.shape);
      g = [1, 1, cols, 0];
    }
  }
  const y = x.newEmpty(x.shape);
  backend.maskedSoftmax(x.buffer, x.offset, y.buffer, y.offset, rows, cols, scale, mask?.buffer ?? null, mask?.offset ?? 0, g);
  expanded?.dispose();
  return record(y, 'maskedSoftmax', [x], (grad) => {
    const dx = x.newEmpty(x.shape);
    backend.maskedSoftmaxBackward(y.buffer, y.offset, grad.buffer, grad.offset, dx.buffer, dx.offset, rows, cols, scale);
    return [dx];
  });
}
