/**
 * Unary ops and activations against float64 references: values, the native derivative kernels
 * (including PyTorch's conventions at the kinks), and finite-difference gradient checks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abs, clamp, exp, gelu, leakyRelu, log, neg, relu, sigmoid, sign, sqrt, square, tanh, tensor, type Tensor,
} from '../../src/index.js';
import { unaryBackwardKernel, type UnaryName } from '../../src/ops/kernels.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { arbShape, arbValues, awayFrom, expectClose, lcgValues, Phi, phi, runs, size } from './reference.js';
import { onEachDevice } from '../helpers/devices.js';

onEachDevice(() => {

interface UnaryCase {
  op: (x: Tensor) => Tensor;
  kernel: UnaryName;
  p1?: number;
  p2?: number;
  f: (x: number) => number;
  df: (x: number) => number;
  domain: [number, number];
  /** Points where the derivative jumps: finite differences stay away from them. */
  kinks?: number[];
}

const SLOPE = 0.1;
const LO = -1;
const HI = 0.5;
const sig = (x: number) => 1 / (1 + Math.exp(-x));

const cases: Record<string, UnaryCase> = {
  neg: { op: neg, kernel: 'neg', f: (x) => -x, df: () => -1, domain: [-4, 4] },
  exp: { op: exp, kernel: 'exp', f: Math.exp, df: Math.exp, domain: [-4, 4] },
  log: { op: log, kernel: 'log', f: Math.log, df: (x) => 1 / x, domain: [0.05, 8] },
  sqrt: { op: sqrt, kernel: 'sqrt', f: Math.sqrt, df: (x) => 0.5 / Math.sqrt(x), domain: [0.05, 8] },
  abs: { op: abs, kernel: 'abs', f: Math.abs, df: (x) => Math.sign(x), domain: [-4, 4], kinks: [0] },
  sign: { op: sign, kernel: 'sign', f: (x) => Math.sign(x), df: () => 0, domain: [-4, 4], kinks: [0] },
  square: { op: square, kernel: 'square', f: (x) => x * x, df: (x) => 2 * x, domain: [-4, 4] },
  clamp: {
    op: (x) => clamp(x, LO, HI), kernel: 'clamp', p1: LO, p2: HI,
    f: (x) => Math.min(Math.max(x, LO), HI), df: (x) => (x >= LO && x <= HI ? 1 : 0), domain: [-3, 3], kinks: [LO, HI],
  },
  relu: { op: relu, kernel: 'relu', f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0), domain: [-4, 4], kinks: [0] },
  leakyRelu: {
    op: (x) => leakyRelu(x, SLOPE), kernel: 'leakyRelu', p1: SLOPE,
    f: (x) => (x > 0 ? x : SLOPE * x), df: (x) => (x > 0 ? 1 : SLOPE), domain: [-4, 4], kinks: [0],
  },
  sigmoid: { op: sigmoid, kernel: 'sigmoid', f: sig, df: (x) => sig(x) * (1 - sig(x)), domain: [-12, 12] },
  tanh: { op: tanh, kernel: 'tanh', f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2, domain: [-6, 6] },
  gelu: { op: gelu, kernel: 'gelu', f: (x) => x * Phi(x), df: (x) => Phi(x) + x * phi(x), domain: [-5, 5] },
};

describe('unary ops: values and derivative kernels against float64', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name} on random shapes`, () => {
      fc.assert(
        fc.property(
          arbShape(0, 3, 7).chain((s) => fc.tuple(fc.constant(s), arbValues(size(s), ...c.domain), arbValues(size(s), -2, 2))),
          ([shape, x, g]) => {
            const xt = tensor(x, shape);
            const y = c.op(xt);
            expect(y.shape).toEqual(shape);
            expectClose(y.toArray(), Array.from(x, c.f), 2e-6, 1e-6);
            const gi = unaryBackwardKernel(c.kernel, xt, tensor(g, shape), c.p1, c.p2);
            expectClose(gi.toArray(), Array.from(x, (v, i) => g[i] * c.df(v)), 2e-6, 2e-6);
          },
        ),
        runs(40),
      );
    });
  }

  it('a large input takes the parallel path and still matches', () => {
    const x = lcgValues(70_001, 3, -5, 5);
    for (const name of ['gelu', 'sigmoid', 'tanh', 'relu']) {
      const c = cases[name];
      expectClose(c.op(tensor(x)).toArray(), Array.from(x, c.f), 2e-6, 1e-6);
    }
  });

  it('derivatives at the kinks follow PyTorch', () => {
    const at = (name: string, x: number) => {
      const c = cases[name];
      return unaryBackwardKernel(c.kernel, tensor([x]), tensor([1]), c.p1, c.p2).item();
    };
    expect(at('relu', 0)).toBe(0); // torch: threshold_backward, x > 0
    expect(at('leakyRelu', 0)).toBeCloseTo(SLOPE, 7); // torch: x > 0 ? 1 : slope
    expect(at('abs', 0)).toBe(0); // torch: sign(0) = 0
    expect(at('clamp', LO)).toBe(1); // torch: inclusive bounds
    expect(at('clamp', HI)).toBe(1);
    expect(at('sign', 0)).toBe(0);
  });

  it('sigmoid saturates without overflow, log and sqrt of bad inputs give IEEE values', () => {
    expect(Array.from(sigmoid(tensor([-200, 200])).toArray())).toEqual([0, 1]);
    expect(Array.from(log(tensor([0, -1])).toArray())).toEqual([-Infinity, NaN]);
    expect(Number.isNaN(sqrt(tensor([-1])).item())).toBe(true);
    expect(Number.isNaN(relu(tensor([NaN])).item()) || relu(tensor([NaN])).item() === 0).toBe(true);
    expect(Number.isNaN(clamp(tensor([NaN]), 0, 1).item())).toBe(true); // torch.clamp keeps NaN
  });

  it('clamp with one bound, and bad bounds throw naming clamp', () => {
    expect(Array.from(clamp(tensor([-2, 0, 2]), undefined, 1).toArray())).toEqual([-2, 0, 1]);
    expect(Array.from(clamp(tensor([-2, 0, 2]), -1).toArray())).toEqual([-1, 0, 2]);
    expect(() => clamp(tensor([1]), 2, 1)).toThrow(/clamp: argument 'max' must be >= 2, got 1/);
    expect(() => clamp(tensor([1]), NaN, 1)).toThrow(/clamp:/);
    expect(() => exp(tensor([1], { dtype: 'int32' }))).toThrow(/exp: argument 'x' must be a float32 Tensor/);
  });
});

describe('unary gradients (finite differences, float64 reference)', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      fc.assert(
        fc.property(arbShape(1, 3, 4), fc.integer({ min: 1, max: 2 ** 30 }), (shape, seed) => {
          const x = awayFrom(lcgValues(size(shape), seed, ...c.domain), c.kinks ?? [], 0.01);
          expectGradientsMatch(([t]) => c.op(t), ([v]) => Array.from(v, c.f), [tensor(x, shape)]);
        }),
        runs(10),
      );
    });
  }
});
});
