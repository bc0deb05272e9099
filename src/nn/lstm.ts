/**
 * LSTM, as torch.nn.LSTM (Hochreiter & Schmidhuber 1997, with a forget gate): per layer and step
 *   i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)   f = sigmoid(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)      o = sigmoid(W_io x + b_io + W_ho h + b_ho)
 *   c' = f c + i g     h' = o tanh(c')
 * weight_ih_l{k} stacks [W_ii | W_if | W_ig | W_io] as PyTorch does (the math is in
 * native/common/recurrent_cells.h). forward(x, [h0, c0]?) returns [output, [hN, cN]].
 */
import type { Tensor } from '../tensor.js';
import { checkArray } from '../validate/index.js';
import { RecurrentBase, type RecurrentOptions } from './recurrent.js';

/** An LSTM's state: [h, c], each [numLayers * directions, N, hiddenSize]. */
export type LSTMState = [Tensor, Tensor];

/**
 * Long short-term memory, as torch.nn.LSTM: `forward(x, [h0, c0]?)` returns `[output, [hN, cN]]`,
 * with PyTorch's gate order (i, f, g, o), parameter names and U(±1/√hidden) initialization.
 *
 * ```ts
 * const lstm = new nn.LSTM(32, 128, { batchFirst: true });
 * const [out, [h, c]] = lstm.forward(x); // x [N, T, 32]
 * ```
 */
export class LSTM extends RecurrentBase<[x: Tensor, hx?: LSTMState | null], [Tensor, LSTMState]> {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('LSTM', 'lstm', inputSize, hiddenSize, options);
  }

  /** x [T, B, inputSize] ([B, T, inputSize] when batchFirst, or unbatched [T, inputSize]); hx: [h0, c0], each [numLayers * D, B, hiddenSize]. */
  forward(x: Tensor, hx: LSTMState | null = null): [Tensor, LSTMState] {
    let h0: unknown = null, c0: unknown = null;
    if (hx !== null && hx !== undefined) {
      const pair = checkArray('LSTM.forward', 'hx', hx, 'an array [h0, c0]');
      if (pair.length !== 2) throw new RangeError(`LSTM.forward: argument 'hx' must be [h0, c0], got an array of ${pair.length}`);
      [h0, c0] = pair;
    }
    const r = this.run(x, h0, c0);
    return [r.output, [r.hN, r.cN!]];
  }
}

/** Factory for LSTM: `nn.lstm(32, 128, { numLayers: 2 })`. */
export const lstm = (inputSize: number, hiddenSize: number, options?: RecurrentOptions) => new LSTM(inputSize, hiddenSize, options);
