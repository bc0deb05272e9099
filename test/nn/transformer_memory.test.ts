// The Transformer of bench:transformer (examples/transformer.ts: Embedding, position encoding,
// two TransformerEncoderLayers, Linear) allocates no native buffer per training step in steady
// state: every projection, score, softmax and residual sum of the attention blocks comes back
// from the pool, proven by the allocation counter.
import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, memoryStats, mseLoss, nn, optim, randn, type Tensor } from '../../src/index.js';
import { sortBatch, sortTransformer } from '../../examples/transformer.js';
import { allocationsPerStep } from '../helpers/steady_state.js';

describe('Transformer training step', () => {
  it('allocates no native buffers per step after warm-up', () => {
    manualSeed(0);
    const model = sortTransformer();
    const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const lossFn = new nn.CrossEntropyLoss();
    const [x, y] = sortBatch(new Generator(4), 4);
    const counts: number[] = [];
    for (let step = 0; step < 8; step++) {
      const loss = lossFn.forward(model.forward(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      loss.dispose();
      counts.push(memoryStats().allocations);
    }
    // Steps 3..8 allocate nothing new: every buffer comes from the pool.
    expect(counts.slice(2).map((c) => c - counts[2])).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('MultiheadAttention with kdim, vdim, addBiasKv and addZeroAttn, called through forwardWithWeights: none either', () => {
    const g = new Generator(5);
    const m = new nn.MultiheadAttention(8, 2, { kdim: 6, vdim: 4, addBiasKv: true, addZeroAttn: true, generator: g });
    const [q, k, v] = [randn([5, 3, 8], { generator: g }), randn([7, 3, 6], { generator: g }), randn([7, 3, 4], { generator: g })];
    const target = randn([5, 3, 8], { generator: g });
    const optimizer = new optim.SGD(m.parameters(), { lr: 0.01 });
    const step = () => {
      const [out, weights]: [Tensor, Tensor] = m.forwardWithWeights(q, k, v);
      const loss = mseLoss(out, target);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      weights.dispose();
    };
    expect(allocationsPerStep(step)).toEqual([0, 0, 0, 0]);
  });
});
