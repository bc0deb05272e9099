// Float64 finite-difference gradient checks of the LSTM / GRU op (ops/recurrent.ts): the float32
// backward through time of every input (sequence, initial states, each weight and bias) against
// central differences of the float64 models of test/helpers/recurrent_reference.ts, for each
// of the op's three results, on every device.
import { describe, it } from 'vitest';
import { Generator, randn, type Tensor } from '../../src/index.js';
import { recurrent, type LayerWeights } from '../../src/ops/recurrent.js';
import { onEachDevice } from '../helpers/devices.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { modelForward, type ModelConfig } from '../helpers/recurrent_reference.js';

const gen = new Generator(19);
const r = (shape: number[]) => randn(shape, { generator: gen }).mul(0.7);

interface Check extends ModelConfig { T: number; B: number; states: boolean }

const checks: [string, Check][] = [
  ['LSTM, one layer, with (h0, c0)', { cell: 'lstm', inputSize: 3, hiddenSize: 2, numLayers: 1, bidirectional: false, batchFirst: false, bias: true, T: 4, B: 2, states: true }],
  ['LSTM, two bidirectional batch-first layers', { cell: 'lstm', inputSize: 2, hiddenSize: 2, numLayers: 2, bidirectional: true, batchFirst: true, bias: true, T: 3, B: 2, states: true }],
  ['LSTM, one step of one sequence, bidirectional, no bias', { cell: 'lstm', inputSize: 2, hiddenSize: 3, numLayers: 1, bidirectional: true, batchFirst: true, bias: false, T: 1, B: 1, states: true }],
  ['GRU, one layer, with h0', { cell: 'gru', inputSize: 3, hiddenSize: 2, numLayers: 1, bidirectional: false, batchFirst: false, bias: true, T: 4, B: 2, states: true }],
  ['GRU, two bidirectional batch-first layers, no bias', { cell: 'gru', inputSize: 2, hiddenSize: 2, numLayers: 2, bidirectional: true, batchFirst: true, bias: false, T: 3, B: 2, states: false }],
];

onEachDevice(() => {
  describe('recurrent op gradients', () => {
    for (const [name, c] of checks) {
      const D = c.bidirectional ? 2 : 1, G = c.cell === 'lstm' ? 4 : 3, H = c.hiddenSize;
      const params: number[][] = [];
      for (let k = 0; k < c.numLayers; k++) {
        for (let d = 0; d < D; d++) {
          params.push([G * H, k === 0 ? c.inputSize : D * H], [G * H, H]);
          if (c.bias) params.push([G * H], [G * H]);
        }
      }
      const states = c.states ? (c.cell === 'lstm' ? 2 : 1) : 0;
      const stateShape = [c.numLayers * D, c.B, H];
      const inputs = [r(c.batchFirst ? [c.B, c.T, c.inputSize] : [c.T, c.B, c.inputSize]), ...Array.from({ length: states }, () => r(stateShape)), ...params.map(r)];
      const per = c.bias ? 4 : 2;
      const op = (xs: Tensor[]) => {
        const ws = xs.slice(1 + states);
        const weights: LayerWeights[] = [];
        for (let i = 0; i < ws.length; i += per) weights.push([ws[i], ws[i + 1], c.bias ? ws[i + 2] : null, c.bias ? ws[i + 3] : null]);
        return recurrent(xs[0], states ? xs[1] : null, states === 2 ? xs[2] : null, weights,
          { cell: c.cell, hiddenSize: H, numLayers: c.numLayers, bidirectional: c.bidirectional, batchFirst: c.batchFirst, dropout: 0, training: true, generator: gen });
      };
      const ref = (xs: Float64Array[]) => modelForward(c, c.T, c.B, xs[0], xs.slice(1 + states), states ? xs[1] : null, states === 2 ? xs[2] : null);
      it(`${name}: output`, () => expectGradientsMatch((xs) => op(xs).output, (xs) => ref(xs).output, inputs));
      it(`${name}: hN`, () => expectGradientsMatch((xs) => op(xs).hN, (xs) => ref(xs).hN, inputs));
      if (c.cell === 'lstm') it(`${name}: cN`, () => expectGradientsMatch((xs) => op(xs).cN!, (xs) => ref(xs).cN, inputs));
    }
  });
});
