// The handbook's training loop, almost verbatim, with a plain SGD step written here (the real
// optimizers live in src/optim), and the proof that a steady-state step allocates no native
// buffers.
import { describe, expect, it } from 'vitest';
import { Generator, memoryStats, nn, noGrad, randn, tensor, type Tensor } from '../../src/index.js';
import { binaryKernel, fillKernel } from '../../src/ops/kernels.js';

/** Minimal SGD over a contiguous gradient arena, as the optimizers do (one arena, views as .grad). */
class PlainSgd {
  private readonly arena: Tensor;
  constructor(private readonly params: Tensor[], private readonly lr: number) {
    const total = params.reduce((n, p) => n + p.size, 0);
    this.arena = noGrad(() => randn([total]));
    let offset = 0;
    for (const p of params) {
      p.grad = this.arena.rows(offset, offset + p.size).reshape(p.shape);
      offset += p.size;
    }
    this.zeroGrad();
  }
  zeroGrad(): void {
    fillKernel(this.arena, 0);
  }
  step(): void {
    // p -= lr * g, one kernel call per parameter, writing in place.
    for (const p of this.params) {
      const g = p.grad as Tensor;
      noGrad(() => {
        const scaled = g.mul(-this.lr);
        binaryKernel('add', p, scaled, { shape: p.shape, rows: 1, cols: p.size, a: 'full', b: 'full' }, p);
        scaled.dispose();
      });
    }
  }
}

/** A tiny separable 10-class problem: class c's inputs cluster around a fixed random centre. */
function* trainLoader(batches: number, batchSize: number): IterableIterator<[Tensor, Tensor]> {
  const gen = new Generator(3);
  const centres = randn([10, 784], { generator: gen }).toFloat32Array();
  for (let b = 0; b < batches; b++) {
    const x = new Float32Array(batchSize * 784);
    const y = new Int32Array(batchSize);
    const noise = randn([batchSize, 784], { generator: gen, std: 0.5 }).toFloat32Array();
    for (let i = 0; i < batchSize; i++) {
      y[i] = (b * batchSize + i) % 10;
      for (let k = 0; k < 784; k++) x[i * 784 + k] = centres[y[i] * 784 + k] + noise[i * 784 + k];
    }
    yield [tensor(x, [batchSize, 784]), tensor(y, [batchSize])];
  }
}

describe('the handbook loop', () => {
  it('reads as the PyTorch loop and learns', () => {
    const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
    const optimizer = new PlainSgd(model.parameters(), 0.05);
    const lossFn = new nn.CrossEntropyLoss();
    const losses: number[] = [];
    for (const [x, y] of trainLoader(40, 32)) {
      const loss = lossFn.forward(model.forward(x), y);
      optimizer.zeroGrad(); loss.backward(); optimizer.step();
      losses.push(loss.item());
    }
    expect(losses[0]).toBeGreaterThan(1.5);
    expect(losses.at(-1)).toBeLessThan(0.2 * losses[0]);
  });

  it('allocates no native buffers per step after warm-up', () => {
    const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
    const optimizer = new PlainSgd(model.parameters(), 0.01);
    const lossFn = new nn.CrossEntropyLoss();
    const [x, y] = trainLoader(1, 32).next().value as [Tensor, Tensor];
    const counts: number[] = [];
    for (let step = 0; step < 12; step++) {
      const logits = model.forward(x);
      const loss = lossFn.forward(logits, y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      counts.push(memoryStats().allocations);
    }
    // Steps 3..12 allocate nothing new: every buffer comes from the pool.
    expect(counts.slice(2).every((c) => c === counts[2])).toBe(true);
  });
});
