/**
 * A 2-layer Transformer encoder that learns to sort: each sample is a sequence of 64 tokens
 * from a vocabulary of 16, the target at position i is the i-th smallest token. Token
 * embedding plus a fixed sinusoidal position encoding (Vaswani et al. 2017, section 3.5), two
 * TransformerEncoderLayers (d 64, 4 heads, feed-forward 256, dropout 0, batch first), a Linear
 * per position; cross-entropy over every position, Adam 1e-3, batch 32. bench:transformer
 * times this model's training step against PyTorch's (bench/transformer/torch_ref.py).
 *
 *   npx tsx examples/transformer.ts        (STEPS=400 by default)
 */
import { fileURLToPath } from 'node:url';
import { add, Generator, manualSeed, nn, noGrad, optim, tensor, type Tensor } from '../src/index.js';

export const SEQ = 64, VOCAB = 16, D_MODEL = 64, HEADS = 4, FEEDFORWARD = 256, BATCH = 32;

/** x + PE, PE[l, 2i] = sin(l / 10000^(2i/d)), PE[l, 2i + 1] = cos(same): a buffer, not trained. */
export class PositionalEncoding extends nn.Module {
  private readonly pe: Tensor;
  constructor(length: number, dModel: number) {
    super();
    const v = new Float32Array(length * dModel);
    for (let l = 0; l < length; l++) {
      for (let i = 0; i < dModel; i += 2) {
        const angle = l / 10000 ** (i / dModel);
        v[l * dModel + i] = Math.sin(angle);
        if (i + 1 < dModel) v[l * dModel + i + 1] = Math.cos(angle);
      }
    }
    this.pe = this.registerBuffer('pe', tensor(v, [length, dModel]));
  }
  forward(x: Tensor): Tensor {
    return add(x, this.pe);
  }
}

/** Embedding -> position encoding -> 2 encoder layers -> Linear, logits flattened to [N * SEQ, VOCAB]. */
export function sortTransformer(): nn.Sequential {
  const layer = () => new nn.TransformerEncoderLayer(D_MODEL, HEADS, { dimFeedforward: FEEDFORWARD, dropout: 0, batchFirst: true });
  return nn.sequential(
    nn.embedding(VOCAB, D_MODEL), new PositionalEncoding(SEQ, D_MODEL), layer(), layer(), nn.linear(D_MODEL, VOCAB), nn.flatten(0, 1));
}

/** A batch of the sort task: tokens [BATCH, SEQ] and each row's sorted tokens, flat [BATCH * SEQ]. */
export function sortBatch(gen: Generator, batch = BATCH): [Tensor, Tensor] {
  const x = Int32Array.from({ length: batch * SEQ }, () => gen.nextInt(VOCAB));
  const y = new Int32Array(x.length);
  for (let b = 0; b < batch; b++) y.set(x.subarray(b * SEQ, (b + 1) * SEQ).slice().sort(), b * SEQ);
  return [tensor(x, [batch, SEQ], { dtype: 'int32' }), tensor(y, [batch * SEQ], { dtype: 'int32' })];
}

async function main() {
  manualSeed(0);
  const steps = Number(process.env.STEPS ?? 400);
  const model = sortTransformer();
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const gen = new Generator(1);
  for (let step = 1; step <= steps; step++) {
    const [x, y] = sortBatch(gen);
    const loss = lossFn.forward(model.forward(x), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    if (step % 100 === 0 || step === steps) console.log(`step ${step}: loss ${loss.item().toFixed(4)}`);
  }
  const [x, y] = sortBatch(gen);
  const accuracy = noGrad(() => {
    const predicted = Array.from(model.eval().forward(x).argmax(1).toArray());
    const want = y.toArray();
    return predicted.reduce((n, p, i) => n + (p === want[i] ? 1 : 0), 0) / want.length;
  });
  console.log(`token accuracy on a fresh batch: ${(100 * accuracy).toFixed(2)}%`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
