/**
 * GRU, as torch.nn.GRU (Cho et al. 2014): per layer and step
 *   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r (W_hn h + b_hn))   h' = (1 - z) n + z h
 * weight_ih_l{k} stacks [W_ir | W_iz | W_in] as PyTorch does (the math is in
 * native/common/recurrent_cells.h). forward(x, h0?) returns [output, hN].
 */
import type { Tensor } from '../tensor.js';
import { RecurrentBase, type RecurrentOptions } from './recurrent.js';

/**
 * Gated recurrent unit, as torch.nn.GRU: `forward(x, h0?)` returns `[output, hN]`, with PyTorch's
 * gates (r, z, n; n = tanh(W_in x + b_in + r * (W_hn h + b_hn))), names and initialization.
 *
 * ```ts
 * const gru = new nn.GRU(32, 64, { bidirectional: true });
 * const [out, h] = gru.forward(x); // x [T, N, 32]
 * ```
 */
export class GRU extends RecurrentBase<[x: Tensor, hx?: Tensor | null], [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('GRU', 'gru', inputSize, hiddenSize, options);
  }

  /** x [T, B, inputSize] ([B, T, inputSize] when batchFirst, or unbatched [T, inputSize]); hx [numLayers * D, B, hiddenSize]. */
  forward(x: Tensor, hx: Tensor | null = null): [Tensor, Tensor] {
    const r = this.run(x, hx, null);
    return [r.output, r.hN];
  }
}

/** Factory for GRU: `nn.gru(32, 64)`. */
export const gru = (inputSize: number, hiddenSize: number, options?: RecurrentOptions) => new GRU(inputSize, hiddenSize, options);
