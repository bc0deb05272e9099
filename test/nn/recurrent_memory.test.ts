// An LSTM and a GRU model train with no native allocation per step in steady state (the
// allocation counter of memoryStats): the sequence kernels' workspaces, the layer outputs, the
// dropout buffers and every gradient come from the storage pool, and the kernels' scratch is
// kept between calls.
import { describe, expect, it } from 'vitest';
import { memoryStats, nn, optim, randn, tensor, type Tensor } from '../../src/index.js';

function countsPerStep(cell: 'LSTM' | 'GRU'): number[] {
  const [T, B, I, H] = [7, 4, 5, 6];
  const rnn = cell === 'LSTM'
    ? new nn.LSTM(I, H, { numLayers: 2, bidirectional: true, dropout: 0.3, batchFirst: true })
    : new nn.GRU(I, H, { numLayers: 2, bidirectional: true, dropout: 0.3, batchFirst: true });
  const head = new nn.Linear(2 * H, 3);
  const optimizer = new optim.Adam([...rnn.parameters(), ...head.parameters()], { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = randn([B, T, I]);
  const y = tensor(Int32Array.from([0, 1, 2, 1]), [B], { dtype: 'int32' });
  const yAll = tensor(Int32Array.from({ length: B * T }, (_, i) => i % 3), [B * T], { dtype: 'int32' });
  const counts: number[] = [];
  for (let step = 0; step < 12; step++) {
    // A loss on every step's output and on the final hidden state, so both paths are taken.
    const made: Tensor[] = [];
    const keep = (t: Tensor) => (made.push(t), t);
    const [output, state] = (rnn as nn.LSTM).forward(x) as [Tensor, Tensor | [Tensor, Tensor]];
    const hN = Array.isArray(state) ? state[0] : state;
    if (Array.isArray(state)) keep(state[1]);
    const flat = keep(keep(output).reshape(B * T, 2 * H));
    const perStep = keep(lossFn.forward(keep(head.forward(flat)), yAll));
    // The last layer's two final states (rows 2 and 3 of hN), as one [B, 2H] input.
    const top = keep(keep(keep(hN).rows(2, 4)).reshape(B, 2 * H));
    const last = keep(lossFn.forward(keep(head.forward(top)), y));
    const loss = keep(perStep.add(last));
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    for (const t of made) t.dispose();
    counts.push(memoryStats().allocations);
  }
  return counts;
}

describe('recurrent models allocate nothing per step', () => {
  for (const cell of ['LSTM', 'GRU'] as const) {
    it(`${cell}: two bidirectional layers with dropout, steps 3..12 allocate no native buffer`, () => {
      const counts = countsPerStep(cell);
      expect(counts.slice(2).every((c) => c === counts[2])).toBe(true);
    });
  }
});
