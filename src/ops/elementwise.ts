/**
 * Differentiable elementwise ops. Binary ops accept a tensor or a number on either side and
 * broadcast as NumPy and PyTorch do: the four common layouts on the fast kernels of
 * broadcast.ts, every other case on the strided kernel (strided.ts). Gradients of a broadcast
 * operand are summed back to its shape.
 */
import { record } from '../autograd/graph.js';
import { Tensor } from '../tensor.js';
import { checkNumber, isInstance, typeError } from '../validate/index.js';
import { fastBroadcast, type BroadcastPlan } from './broadcast.js';
import { fusedRelu } from './deferred.js';
import { binaryStridedKernel, broadcastShapes, sumToShape } from './strided.js';
import {
  binaryKernel, checkFloat, reduceToLayout, scalarKernel, unaryBackwardKernel, unaryKernel,
  type BinaryName, type UnaryName,
} from './kernels.js';

type Operand = Tensor | number;

function binary(name: 'add' | 'sub' | 'mul' | 'div', a: Operand, b: Operand): Tensor {
  if (typeof a === 'number' && typeof b === 'number') {
    throw new TypeError(`${name}: at least one operand must be a tensor, got two numbers`);
  }
  if (typeof b === 'number') return binaryScalar(name, checkFloat(name, 'a', a), b, false);
  if (typeof a === 'number') return binaryScalar(name, checkFloat(name, 'b', b), a, true);
  if (!isInstance(a, Tensor)) typeError(name, 'a', 'a Tensor or a number', a);
  if (!isInstance(b, Tensor)) typeError(name, 'b', 'a Tensor or a number', b);
  checkFloat(name, 'a', a);
  checkFloat(name, 'b', b);
  const plan = fastBroadcast(a.shape, b.shape);
  if (!plan) return binaryGeneral(name, a, b);
  const out = binaryKernel(name, a, b, plan);
  return record(out, name, [a, b], (g) => {
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (a.requiresGrad) {
      // d(a+b)/da = d(a-b)/da = 1, d(a*b)/da = b, d(a/b)/da = 1/b
      const full = name === 'mul' ? binaryKernel('mul', g, b, withLayouts(plan, 'full', plan.b))
        : name === 'div' ? binaryKernel('div', g, b, withLayouts(plan, 'full', plan.b)) : g;
      ga = reduceToLayout(full, plan.a, plan, a.shape);
      if (full !== g && full !== ga) full.dispose();
    }
    if (b.requiresGrad) {
      // d(a+b)/db = 1, d(a-b)/db = -1, d(a*b)/db = a, d(a/b)/db = -a/b^2 = -out/b
      let full: Tensor;
      if (name === 'add') full = g;
      else if (name === 'sub') full = scalarKernel('mul', g, -1);
      else if (name === 'mul') full = binaryKernel('mul', g, a, withLayouts(plan, 'full', plan.a));
      else {
        const ratio = binaryKernel('div', out, b, withLayouts(plan, 'full', plan.b));
        full = binaryKernel('mul', g, ratio, withLayouts(plan, 'full', 'full'));
        ratio.dispose();
        scalarKernel('mul', full, -1, false, full);
      }
      gb = reduceToLayout(full, plan.b, plan, b.shape);
      if (full !== g && full !== gb) full.dispose();
    }
    return [ga, gb];
  });
}

const withLayouts = (plan: BroadcastPlan, a: BroadcastPlan['a'], b: BroadcastPlan['b']) => ({ ...plan, a, b });

/** The general broadcast: both operands read at their own strides over the result's shape. */
function binaryGeneral(name: 'add' | 'sub' | 'mul' | 'div', a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(name, a.shape, b.shape);
  const out = binaryStridedKernel(name, a, b, shape);
  return record(out, name, [a, b], (g) => {
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (a.requiresGrad) {
      const full = name === 'mul' || name === 'div' ? binaryStridedKernel(name, g, b, shape) : g;
      ga = sumToShape(full, a.shape);
      if (full !== g && full !== ga) full.dispose();
    }
    if (b.requiresGrad) {
      let full: Tensor;
      if (name === 'add') full = g;
      else if (name === 'sub') full = scalarKernel('mul', g, -1);
      else if (name === 'mul') full = binaryStridedKernel('mul', g, a, shape);
      else {
        // d(a/b)/db = -out / b
        full = binaryStridedKernel('div', out, b, shape);
        binaryStridedKernel('mul', full, g, shape, full);
        scalarKernel('mul', full, -1, false, full);
      }
      gb = sumToShape(full, b.shape);
      if (full !== g && full !== gb) full.dispose();
    }
    return [ga, gb];
  });
}

function binaryScalar(name: BinaryName, t: Tensor, s: number, scalarFirst: boolean): Tensor {
  const out = scalarKernel(name, t, s, scalarFirst);
  return record(out, name, [t], (g) => {
    if (name === 'add') return [g];
    if (name === 'sub') return [scalarFirst ? scalarKernel('mul', g, -1) : g];
    if (name === 'mul') return [scalarKernel('mul', g, s)];
    // div: t / s -> 1/s; s / t -> -s / t^2 = -out / t
    if (!scalarFirst) return [scalarKernel('div', g, s)];
    const ratio = binaryKernel('div', out, t, { shape: t.shape, rows: 1, cols: t.size, a: 'full', b: 'full' });
    const r = binaryKernel('mul', g, ratio, { shape: t.shape, rows: 1, cols: t.size, a: 'full', b: 'full' });
    ratio.dispose();
    return [scalarKernel('mul', r, -1, false, r)];
  });
}

/** a + b, elementwise; either may be a number, and the other operand may be one element, a trailing row (a bias) or a per-row column: `add(x, 1)`, `add(x, bias)`. */
export const add = (a: Operand, b: Operand) => binary('add', a, b);
/** a - b, elementwise, broadcasting as add. */
export const sub = (a: Operand, b: Operand) => binary('sub', a, b);
/** a * b, elementwise, broadcasting as add. */
export const mul = (a: Operand, b: Operand) => binary('mul', a, b);
/** a / b, elementwise, broadcasting as add. */
export const div = (a: Operand, b: Operand) => binary('div', a, b);

function unary(name: UnaryName, x: Tensor, p1 = 0, p2 = 0): Tensor {
  checkFloat(name, 'x', x);
  const out = unaryKernel(name, x, p1, p2);
  return record(out, name, [x], (g) => [unaryBackwardKernel(name, x, g, p1, p2)]);
}

/** -x, elementwise. */
export const neg = (x: Tensor) => unary('neg', x);
/** e^x, elementwise. */
export const exp = (x: Tensor) => unary('exp', x);
/** The natural logarithm, elementwise. */
export const log = (x: Tensor) => unary('log', x);
/** The square root, elementwise. */
export const sqrt = (x: Tensor) => unary('sqrt', x);
/** |x|, elementwise (gradient 0 at 0, as PyTorch). */
export const abs = (x: Tensor) => unary('abs', x);
/** The sign of x (-1, 0 or 1), elementwise; its gradient is 0. */
export const sign = (x: Tensor) => unary('sign', x);
/** x², elementwise. */
export const square = (x: Tensor) => unary('square', x);
/** max(x, 0); a Linear or Conv2d output read first by this runs it in that GEMM's epilogue (ops/deferred.ts). */
export const relu = (x: Tensor) => fusedRelu(checkFloat('relu', 'x', x)) ?? unary('relu', x);
/** LeakyReLU with PyTorch's default slope 0.01. */
export const leakyRelu = (x: Tensor, negativeSlope = 0.01) =>
  unary('leakyRelu', x, checkNumber('leakyRelu', 'negativeSlope', negativeSlope));
/** 1 / (1 + e^-x), elementwise. */
export const sigmoid = (x: Tensor) => unary('sigmoid', x);
/** The hyperbolic tangent, elementwise. */
export const tanh = (x: Tensor) => unary('tanh', x);
/** GELU, exact form x * Phi(x) (PyTorch's approximate='none'). */
export const gelu = (x: Tensor) => unary('gelu', x);

/** Clamps to [min, max]; either bound may be omitted. Gradient 1 inside the bounds, 0 outside. */
export function clamp(x: Tensor, min = -Infinity, max = Infinity): Tensor {
  checkFloat('clamp', 'x', x);
  checkNumber('clamp', 'min', min, { infinite: true });
  checkNumber('clamp', 'max', max, { infinite: true, min });
  return unary('clamp', x, min, max);
}
