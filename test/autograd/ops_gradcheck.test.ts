// Finite-difference gradient checks (float64 reference, max relative error < 1e-3) for every
// differentiable op in src/ops.
import { describe, it } from 'vitest';
import {
  abs, add, batchNorm, clamp, div, dropout, exp, Generator, gelu, leakyRelu, linear, log, logSoftmax, matmul, mean,
  mul, neg, randn, sign, relu, sigmoid, softmax, sqrt, square, sub, sum, tanh, tensor, transpose, uniform, type Tensor,
} from '../../src/index.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { batchNormRef, erf, linearRef, logSoftmaxRows, map } from '../helpers/ref64.js';
import { onEachDevice } from '../helpers/devices.js';

onEachDevice(() => {

const gen = new Generator(42);
const r = (shape: number[]) => randn(shape, { generator: gen });
const pos = (shape: number[]) => uniform(shape, 0.5, 2, { generator: gen });

describe('elementwise binary ops with broadcasting', () => {
  const cases: [string, (a: Tensor, b: Tensor) => Tensor, (a: number, b: number) => number][] = [
    ['add', add, (a, b) => a + b],
    ['sub', sub, (a, b) => a - b],
    ['mul', mul, (a, b) => a * b],
    ['div', div, (a, b) => a / b],
  ];
  const layouts: [string, number[], number[], (i: number, j: number) => number][] = [
    ['full', [3, 4], [3, 4], (i, j) => i * 4 + j],
    ['row', [3, 4], [4], (_i, j) => j],
    ['column', [3, 4], [3, 1], (i) => i],
    ['scalar', [3, 4], [1], () => 0],
  ];
  for (const [name, op, f] of cases) {
    for (const [layout, sa, sb, idx] of layouts) {
      it(`${name} (${layout})`, () => {
        const b = name === 'div' ? pos(sb) : r(sb);
        expectGradientsMatch(([x, y]) => op(x, y), ([x, y]) => {
          const out: number[] = [];
          for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) out.push(f(x[i * 4 + j], y[idx(i, j)]));
          return out;
        }, [r(sa), b]);
      });
    }
    it(`${name} with a number on either side`, () => {
      expectGradientsMatch(([x]) => op(x, 1.5 as unknown as Tensor), ([x]) => map(x, (v) => f(v, 1.5)), [pos([5])]);
      const left = (x: Tensor) => (name === 'add' ? add(2, x) : name === 'sub' ? sub(2, x) : name === 'mul' ? mul(2, x) : div(2, x));
      expectGradientsMatch(([x]) => left(x), ([x]) => map(x, (v) => f(2, v)), [pos([5])]);
    });
  }
});

describe('elementwise unary ops', () => {
  const Phi = (v: number) => 0.5 * (1 + erf(v / Math.SQRT2));
  const cases: [string, (x: Tensor) => Tensor, (v: number) => number, boolean][] = [
    ['neg', neg, (v) => -v, false],
    ['exp', exp, Math.exp, false],
    ['log', log, Math.log, true],
    ['sqrt', sqrt, Math.sqrt, true],
    ['abs', abs, Math.abs, false],
    ['sign (zero gradient)', sign, Math.sign, false],
    ['square', square, (v) => v * v, false],
    ['relu', relu, (v) => Math.max(0, v), false],
    ['leakyRelu', (x) => leakyRelu(x, 0.2), (v) => (v > 0 ? v : 0.2 * v), false],
    ['sigmoid', sigmoid, (v) => 1 / (1 + Math.exp(-v)), false],
    ['tanh', tanh, Math.tanh, false],
    ['gelu', gelu, (v) => v * Phi(v), false],
    ['clamp', (x) => clamp(x, -0.5, 0.7), (v) => Math.min(0.7, Math.max(-0.5, v)), false],
  ];
  for (const [name, op, f, positive] of cases) {
    it(name, () => expectGradientsMatch(([x]) => op(x), ([x]) => map(x, f), [positive ? pos([4, 5]) : r([4, 5])]));
  }
});

describe('reductions and layout', () => {
  const x = () => r([3, 4]);
  it('sum and mean over everything and each axis', () => {
    expectGradientsMatch(([a]) => sum(a), ([a]) => a.reduce((s, v) => s + v, 0), [x()]);
    expectGradientsMatch(([a]) => mean(a), ([a]) => a.reduce((s, v) => s + v, 0) / 12, [x()]);
    expectGradientsMatch(([a]) => sum(a, 0), ([a]) => [0, 1, 2, 3].map((j) => a[j] + a[4 + j] + a[8 + j]), [x()]);
    expectGradientsMatch(([a]) => mean(a, 1, true), ([a]) => [0, 1, 2].map((i) => (a[i * 4] + a[i * 4 + 1] + a[i * 4 + 2] + a[i * 4 + 3]) / 4), [x()]);
  });
  it('matmul', () => {
    expectGradientsMatch(([a, b]) => matmul(a, b), ([a, b]) => {
      const out: number[] = [];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) out.push(a[i * 4] * b[j] + a[i * 4 + 1] * b[2 + j] + a[i * 4 + 2] * b[4 + j] + a[i * 4 + 3] * b[6 + j]);
      return out;
    }, [x(), r([4, 2])]);
  });
  it('linear, with and without bias and fused ReLU', () => {
    for (const relu of [false, true]) {
      expectGradientsMatch(([a, w, b]) => linear(a, w, b, relu), ([a, w, b]) => linearRef(a, w, b, 3, 5, 4, relu), [x(), r([5, 4]), r([5])]);
      expectGradientsMatch(([a, w]) => linear(a, w, null, relu), ([a, w]) => linearRef(a, w, null, 3, 5, 4, relu), [x(), r([5, 4])]);
    }
  });
  it('transpose, reshape and rows', () => {
    expectGradientsMatch(([a]) => transpose(a), ([a]) => [0, 1, 2, 3].flatMap((j) => [a[j], a[4 + j], a[8 + j]]), [x()]);
    expectGradientsMatch(([a]) => mul(a.reshape(2, 6), 3), ([a]) => map(a, (v) => 3 * v), [x()]);
    expectGradientsMatch(([a]) => mul(a.rows(1, 3), 2), ([a]) => Array.from(a.slice(4, 12), (v) => 2 * v), [x()]);
  });
});

describe('softmax, dropout, batchNorm', () => {
  it('softmax and logSoftmax over the last axis', () => {
    expectGradientsMatch(([a]) => logSoftmax(a), ([a]) => logSoftmaxRows(a, 3, 5), [r([3, 5])]);
    expectGradientsMatch(([a]) => softmax(a), ([a]) => map(logSoftmaxRows(a, 3, 5), Math.exp), [r([3, 5])]);
  });
  it('dropout (the reference replays the mask the forward pass drew)', () => {
    const g = new Generator(9);
    const x0 = r([4, 25]);
    const probe = dropout(x0, 0.3, true, new Generator(9)).toArray();
    const x0v = x0.toArray();
    const mask = Float64Array.from(probe, (v, i) => v / x0v[i]);
    expectGradientsMatch(([a]) => dropout(a, 0.3, true, g), ([a]) => map(a, (v, i) => v * mask[i]), [x0]);
  });
  it('batchNorm in training and in eval', () => {
    expectGradientsMatch(([a, w, b]) => batchNorm(a, { weight: w, bias: b, training: true }),
      ([a, w, b]) => batchNormRef(a, 6, 3, w, b, 1e-5), [r([6, 3]), r([3]), r([3])]);
    const stats = { mean: [0.1, -0.2, 0.3], var: [1.5, 0.7, 2] };
    const rm = tensor(stats.mean);
    const rv = tensor(stats.var);
    expectGradientsMatch(([a, w, b]) => batchNorm(a, { weight: w, bias: b, training: false, runningMean: rm, runningVar: rv }),
      ([a, w, b]) => batchNormRef(a, 6, 3, w, b, 1e-5, stats), [r([6, 3]), r([3]), r([3])]);
  });
});
});
