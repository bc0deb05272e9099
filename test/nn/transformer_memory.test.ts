// The Transformer of bench:transformer (examples/transformer.ts: Embedding, position encoding,
// two TransformerEncoderLayers, Linear) allocates no native buffer per training step in steady
// state: every projection, score, softmax and residual sum of the attention blocks comes back
// from the pool, proven by the allocation counter.
import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, memoryStats, nn, optim } from '../../src/index.js';
import { sortBatch, sortTransformer } from '../../examples/transformer.js';

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
});
