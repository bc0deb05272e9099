/** The causal mask of a sequence, as torch.nn.Transformer.generate_square_subsequent_mask. */
import { tensor } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { checkInteger } from '../validate/index.js';

/**
 * A float32 [sz, sz] mask with -Infinity above the diagonal and 0 elsewhere: position i may
 * attend to positions 0..i only (an attnMask for MultiheadAttention / TransformerEncoderLayer).
 */
export function generateSquareSubsequentMask(sz: number): Tensor {
  // sz^2 elements: at most 2^32.
  checkInteger('generateSquareSubsequentMask', 'sz', sz, { min: 1, max: 65536 });
  const values = new Float32Array(sz * sz);
  for (let i = 0; i < sz; i++) values.fill(-Infinity, i * sz + i + 1, (i + 1) * sz);
  return tensor(values, [sz, sz]);
}
