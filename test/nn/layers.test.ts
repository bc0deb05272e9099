// Layers: PyTorch fixtures for Linear and BatchNorm1d, gradient checks of every layer,
// train/eval behaviour of Dropout and BatchNorm1d, on every device.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Generator, mean, nn, noGrad, ones, randn, sum, tensor, type Tensor } from '../../src/index.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { batchNormRef, erf, linearRef, logSoftmaxRows, map } from '../helpers/ref64.js';
import { onEachDevice } from '../helpers/devices.js';
import { expectClose } from './close.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/nn/${name}`, import.meta.url), 'utf8'));

onEachDevice(() => {

describe('PyTorch fixtures', () => {
  it('Linear forward and gradients', () => {
    const f = load('linear.json');
    const layer = nn.linear(5, 3);
    layer.loadStateDict({ weight: tensor(f.weight, [3, 5]), bias: tensor(f.bias) });
    const x = tensor(f.x, f.xShape, { requiresGrad: true });
    const y = layer.forward(x);
    expectClose(y.toArray(), f.y, 1e-5);
    y.backward(tensor(f.w, y.shape));
    expectClose(x.grad!.toArray(), f.dx, 1e-5);
    expectClose(layer.weight.grad!.toArray(), f.dweight, 1e-5);
    expectClose(layer.bias!.grad!.toArray(), f.dbias, 1e-5);
  });

  it('BatchNorm1d over two training steps, then eval', () => {
    const f = load('batchnorm.json');
    const bn = nn.batchNorm1d(4);
    bn.loadStateDict({ ...bn.stateDict(), weight: tensor(f.weight), bias: tensor(f.bias) });
    for (const step of f.train) {
      bn.zeroGrad();
      const x = tensor(step.x, f.shape, { requiresGrad: true });
      const y = bn.forward(x);
      expectClose(y.toArray(), step.y, 1e-5);
      y.backward(tensor(step.w, f.shape));
      expectClose(x.grad!.toArray(), step.dx, 1e-5);
      expectClose(bn.weight!.grad!.toArray(), step.dweight, 1e-5);
      expectClose(bn.bias!.grad!.toArray(), step.dbias, 1e-5);
      expectClose(bn.runningMean!.toArray(), step.runningMean, 1e-5);
      expectClose(bn.runningVar!.toArray(), step.runningVar, 1e-5);
    }
    expect(bn.numBatchesTracked!.item()).toBe(2);
    bn.eval();
    bn.zeroGrad();
    const e = f.eval;
    const x = tensor(e.x, e.shape, { requiresGrad: true });
    const y = bn.forward(x);
    expectClose(y.toArray(), e.y, 1e-5);
    y.backward(tensor(e.w, e.shape));
    expectClose(x.grad!.toArray(), e.dx, 1e-5);
    expectClose(bn.weight!.grad!.toArray(), e.dweight, 1e-5);
    expectClose(bn.bias!.grad!.toArray(), e.dbias, 1e-5);
  });
});

describe('BatchNorm batch count', () => {
  it('continues from a loaded num_batches_tracked, also when loaded through a parent module', () => {
    // momentum null: the cumulative average, running = running (1 - 1/n) + batch / n, n the count.
    const bn = nn.batchNorm1d(2, { momentum: null });
    const model = nn.sequential(bn);
    const state = model.stateDict();
    model.loadStateDict({ ...state, '0.running_mean': tensor([1, 1]), '0.num_batches_tracked': tensor(Int32Array.of(3), [], { dtype: 'int32' }) });
    model.forward(tensor([0, 2, 4, 6], [2, 2])); // batch means [2, 4]
    expect(bn.numBatchesTracked!.item()).toBe(4);
    expectClose(bn.runningMean!.toArray(), [1 * 0.75 + 2 / 4, 1 * 0.75 + 4 / 4], 1e-6);
  });
});

describe('layer gradients against float64 references', () => {
  const gen = new Generator(11);
  const r = (shape: number[]) => randn(shape, { generator: gen });
  const Phi = (v: number) => 0.5 * (1 + erf(v / Math.SQRT2));
  const activations: [string, nn.Module, (v: number) => number][] = [
    ['ReLU', nn.relu(), (v) => Math.max(v, 0)],
    ['LeakyReLU', nn.leakyRelu(0.1), (v) => (v > 0 ? v : 0.1 * v)],
    ['Sigmoid', nn.sigmoid(), (v) => 1 / (1 + Math.exp(-v))],
    ['Tanh', nn.tanh(), Math.tanh],
    ['GELU', nn.gelu(), (v) => v * Phi(v)],
  ];
  for (const [name, m, f] of activations) {
    it(name, () => expectGradientsMatch(([x]) => m.forward(x), ([x]) => map(x, f), [r([3, 4])]));
  }
  it('Softmax and LogSoftmax', () => {
    expectGradientsMatch(([x]) => nn.softmax().forward(x), ([x]) => map(logSoftmaxRows(x, 3, 4), Math.exp), [r([3, 4])]);
    expectGradientsMatch(([x]) => nn.logSoftmax(-1).forward(x), ([x]) => logSoftmaxRows(x, 3, 4), [r([3, 4])]);
  });
  it('Flatten', () => {
    expectGradientsMatch(([x]) => nn.flatten().forward(x).mul(2), ([x]) => map(x, (v) => 2 * v), [r([2, 3, 2])]);
    expect(nn.flatten().forward(r([2, 3, 2])).shape).toEqual([2, 6]);
    expect(nn.flatten(0, 1).forward(r([2, 3, 2])).shape).toEqual([6, 2]);
  });
  it('Linear (input, weight and bias) and a 3-D input', () => {
    const layer = nn.linear(4, 3, { generator: gen });
    const W = Float64Array.from(layer.weight.toArray());
    const b = Float64Array.from(layer.bias!.toArray());
    expectGradientsMatch(([x]) => layer.forward(x), ([x]) => linearRef(x, W, b, 5, 3, 4), [r([5, 4])]);
    expectGradientsMatch(([x]) => layer.forward(x), ([x]) => linearRef(x, W, b, 6, 3, 4), [r([2, 3, 4])]);
  });
  it('Sequential with Linear+ReLU fused, checked for every parameter', () => {
    const model = nn.sequential(nn.linear(4, 5, { generator: gen }), nn.relu(), nn.linear(5, 3, { generator: gen }));
    const [w1, b1, w2, b2] = model.parameters();
    expectGradientsMatch(([x, W1, B1, W2, B2]) => {
      for (const [p, v] of [[w1, W1], [b1, B1], [w2, W2], [b2, B2]] as const) p.buffer.write(v.toFloat32Array(), p.offset);
      return model.forward(x);
    }, ([x, W1, B1, W2, B2]) => linearRef(linearRef(x, W1, B1, 3, 5, 4, true), W2, B2, 3, 3, 5),
    [r([3, 4]), w1, b1, w2, b2], { wrt: [0] });
    // Parameters: the model's own gradients against differences of the reference.
    const x = r([3, 4]);
    model.zeroGrad();
    const out = model.forward(x);
    const w = Float64Array.from({ length: 9 }, (_, i) => Math.sin(i + 1));
    out.backward(tensor(Float32Array.from(w), [3, 3]));
    const base = [x, w1, b1, w2, b2].map((t) => Float64Array.from(t.toArray()));
    const L = (v: Float64Array[]) => linearRef(linearRef(v[0], v[1], v[2], 3, 5, 4, true), v[3], v[4], 3, 3, 5).reduce((s, y, i) => s + y * w[i], 0);
    for (let k = 1; k < 5; k++) {
      const analytic = [w1, b1, w2, b2][k - 1].grad!.toArray();
      const numeric = base[k].map((_, i) => {
        const up = base.map((a) => a.slice()); up[k][i] += 1e-6;
        const dn = base.map((a) => a.slice()); dn[k][i] -= 1e-6;
        return (L(up) - L(dn)) / 2e-6;
      });
      const scale = Math.max(1e-3, ...numeric.map(Math.abs));
      const err = Math.max(...numeric.map((n, i) => Math.abs(n - analytic[i]) / scale));
      expect(err).toBeLessThan(1e-3);
    }
  });
  it('BatchNorm1d module (train) and Dropout module', () => {
    const bn = nn.batchNorm1d(3);
    expectGradientsMatch(([x]) => bn.forward(x), ([x]) => batchNormRef(x, 5, 3, null, null, 1e-5), [r([5, 3])]);
    const drop = nn.dropout(0.4, { generator: new Generator(3) });
    const x0 = r([4, 10]);
    const mask = Float64Array.from(nn.dropout(0.4, { generator: new Generator(3) }).forward(x0).toArray(), (v, i) => v / x0.toArray()[i]);
    expectGradientsMatch(([x]) => drop.forward(x), ([x]) => map(x, (v, i) => v * mask[i]), [x0]);
  });
});

describe('Dropout train/eval', () => {
  it('keeps the expected activation in training and is the identity in eval', () => {
    const drop = nn.dropout(0.3, { generator: new Generator(1) });
    const x = ones([200_000]);
    const y = drop.forward(x).toFloat32Array();
    let zeros = 0;
    let total = 0;
    let wrong = 0;
    for (const v of y) {
      if (v === 0) zeros++;
      else if (Math.abs(v - 1 / 0.7) > 1e-6) wrong++;
      total += v;
    }
    expect(wrong).toBe(0); // survivors are scaled by exactly 1 / (1 - p)
    expect(zeros / y.length).toBeCloseTo(0.3, 2);
    expect(total / y.length).toBeCloseTo(1, 2); // E[y] = x
    drop.eval();
    expect(drop.forward(x)).toBe(x);
    expect(nn.dropout(0).forward(x)).toBe(x);
    expect(Array.from(nn.dropout(1).forward(tensor([1, 2])).toArray())).toEqual([0, 0]);
  });
  it('same seed, same mask; advancing generator, new mask', () => {
    const x = ones([64]);
    const a = nn.dropout(0.5, { generator: new Generator(7) });
    const b = nn.dropout(0.5, { generator: new Generator(7) });
    const ya = a.forward(x).toArray();
    expect(b.forward(x).toArray()).toEqual(ya);
    expect(a.forward(x).toArray()).not.toEqual(ya);
  });
});

describe('BatchNorm1d train/eval', () => {
  it('normalizes with batch statistics in training and running statistics in eval', () => {
    const bn = nn.batchNorm1d(2, { momentum: 0.5 });
    const x = tensor([[1, 10], [3, 20], [5, 30]]);
    const y = noGrad(() => bn.forward(x));
    const m = mean(y, 0).toArray();
    expect(Math.abs(m[0])).toBeLessThan(1e-6);
    expect(Math.abs(m[1])).toBeLessThan(1e-6);
    expectClose(bn.runningMean!.toArray(), [1.5, 10], 1e-6); // 0.5 * 0 + 0.5 * [3, 20]
    expectClose(bn.runningVar!.toArray(), [0.5 + 0.5 * 4, 0.5 + 0.5 * 100], 1e-6); // unbiased batch variance
    bn.eval();
    const ye = bn.forward(tensor([[1.5, 10]])).toArray(); // a single row is fine in eval
    expectClose(ye, [0, 0], 1e-6);
    bn.train();
    expect(() => bn.forward(tensor([[1, 2]]))).toThrow(/more than 1 value per channel/);
  });
  it('[N, C, L] with more values per channel than a GPU block has threads, against float64', () => {
    const [N, C, L, eps] = [3, 4, 150, 1e-5];
    const M = N * L;
    const xv = Float32Array.from({ length: N * C * L }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 7)) + 0.5);
    const gv = Float32Array.from({ length: N * C * L }, (_, i) => Math.cos(i * 0.11));
    const w = [0.5, 1, 1.5, 2], b = [0, 1, -1, 2];
    const bn = nn.batchNorm1d(C, { momentum: 0.3 });
    bn.loadStateDict({ ...bn.stateDict(), weight: tensor(w), bias: tensor(b) });
    const x = tensor(xv, [N, C, L], { requiresGrad: true });
    bn.forward(x).backward(tensor(gv, [N, C, L]));
    // float64: channel c's values sit at (n C + c) L + l.
    const y = new Float64Array(xv.length), dx = new Float64Array(xv.length);
    const mean: number[] = [], unbiased: number[] = [], dw: number[] = [], db: number[] = [];
    const total = (values: number[]) => values.reduce((a, v) => a + v, 0);
    for (let c = 0; c < C; c++) {
      const idx = Array.from({ length: M }, (_, k) => (Math.floor(k / L) * C + c) * L + (k % L));
      const m = total(idx.map((i) => xv[i])) / M;
      const sq = total(idx.map((i) => (xv[i] - m) ** 2));
      const invstd = 1 / Math.sqrt(sq / M + eps);
      const sg = total(idx.map((i) => gv[i])), sgx = total(idx.map((i) => gv[i] * (xv[i] - m) * invstd));
      for (const i of idx) {
        const xhat = (xv[i] - m) * invstd;
        y[i] = xhat * w[c] + b[c];
        dx[i] = w[c] * invstd * (gv[i] - sg / M - xhat * sgx / M);
      }
      mean.push(m); unbiased.push(sq / (M - 1)); dw.push(sgx); db.push(sg);
    }
    expectClose(x.grad!.toArray(), dx, 1e-5);
    expectClose(bn.weight!.grad!.toArray(), dw, 1e-5);
    expectClose(bn.bias!.grad!.toArray(), db, 1e-5);
    expectClose(bn.runningMean!.toArray(), mean.map((m) => 0.3 * m), 1e-6);
    expectClose(bn.runningVar!.toArray(), unbiased.map((v) => 0.7 + 0.3 * v), 1e-6);
    bn.eval();
    const rm = bn.runningMean!.toArray(), rv = bn.runningVar!.toArray();
    const ye = bn.forward(tensor(xv, [N, C, L])).toArray();
    expectClose(ye, Array.from(xv, (v, i) => {
      const c = Math.floor(i / L) % C;
      return ((v - rm[c]) / Math.sqrt(rv[c] + eps)) * w[c] + b[c];
    }), 1e-5);
    bn.train();
    expectClose(bn.forward(tensor(xv, [N, C, L])).toArray(), y, 1e-5);
  });
  it('momentum null averages all batches; no affine; no running stats', () => {
    const bn = nn.batchNorm1d(1, { momentum: null, affine: false });
    noGrad(() => {
      bn.forward(tensor([[0], [2]]));
      bn.forward(tensor([[4], [6]]));
    });
    expectClose(bn.runningMean!.toArray(), [3], 1e-6);
    expect(bn.parameters()).toHaveLength(0);
    const free = nn.batchNorm1d(1, { trackRunningStats: false }).eval();
    expectClose(free.forward(tensor([[0], [2]])).toArray(), [-1, 1], 1e-4);
    expect(sum(free.forward(tensor([[0], [2]]))).item()).toBeCloseTo(0, 6);
  });
});
});

export type { Tensor };
