/**
 * Raw kernels: Tensor-level calls into the native backend that allocate their output from
 * the pool and record nothing. The differentiable ops (and their backward closures) are
 * built from these.
 */
import { native } from '../backend/native.js';
import { Tensor, type Shape } from '../tensor.js';
import { checkTensor } from '../validate/index.js';
import type { BroadcastPlan, Layout } from './broadcast.js';

export type BinaryName = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum';
export type UnaryName =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'clamp'
  | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'gelu' | 'square';
export type ReduceName = 'sum' | 'mean' | 'max' | 'min';

const code = (table: Record<string, number>, name: string): number => {
  const c = table[name];
  if (c === undefined) throw new Error(`native addon has no op '${name}'`);
  return c;
};

/** A live float32 tensor argument: `op: argument 'x' must be a float32 Tensor, got ...`. */
export const checkFloat = (op: string, name: string, t: unknown): Tensor => checkTensor(op, name, t, 'float32');

export function binaryKernel(name: BinaryName, a: Tensor, b: Tensor, plan: BroadcastPlan, out?: Tensor): Tensor {
  const result = out ?? Tensor.empty(plan.shape);
  const mode = (l: Layout) => code(native.broadcastModes, l);
  native.binary(code(native.binaryOps, name), a.buffer, a.offset, mode(plan.a), b.buffer, b.offset, mode(plan.b),
    result.buffer, result.offset, plan.rows, plan.cols);
  return result;
}

export function scalarKernel(name: BinaryName, a: Tensor, s: number, scalarFirst = false, out?: Tensor): Tensor {
  const result = out ?? Tensor.empty(a.shape);
  native.binaryScalar(code(native.binaryOps, name), a.buffer, a.offset, s, scalarFirst, result.buffer, result.offset, a.size);
  return result;
}

export function unaryKernel(name: UnaryName, x: Tensor, p1 = 0, p2 = 0, out?: Tensor): Tensor {
  const result = out ?? Tensor.empty(x.shape);
  native.unary(code(native.unaryOps, name), x.buffer, x.offset, result.buffer, result.offset, x.size, p1, p2);
  return result;
}

export function unaryBackwardKernel(name: UnaryName, x: Tensor, gradOut: Tensor, p1 = 0, p2 = 0): Tensor {
  const result = Tensor.empty(x.shape);
  native.unaryBackward(code(native.unaryOps, name), x.buffer, x.offset, gradOut.buffer, gradOut.offset,
    result.buffer, result.offset, x.size, p1, p2);
  return result;
}

/** Reduces axis `n` of x viewed as [outer, n, inner]; output has `shape`. */
export function reduceKernel(name: ReduceName, x: Tensor, outer: number, n: number, inner: number, shape: Shape): Tensor {
  const result = Tensor.empty(shape);
  native.reduce(code(native.reduceOps, name), x.buffer, x.offset, outer, n, inner, result.buffer, result.offset);
  return result;
}

export function fillKernel(t: Tensor, value: number): Tensor {
  native.fill(t.buffer, t.offset, t.size, value);
  return t;
}

/** Copies src's elements into dst (same size). */
export function copyKernel(dst: Tensor, src: Tensor): Tensor {
  if (dst.size !== src.size || dst.dtype !== src.dtype) {
    throw new RangeError(`copy: cannot copy ${src.size} ${src.dtype} elements into ${dst.size} ${dst.dtype}`);
  }
  dst.buffer.copyFrom(src.buffer, src.offset, dst.offset, src.size);
  return dst;
}

/** Sum of a broadcast operand's gradient back to its own shape. */
export function reduceToLayout(grad: Tensor, layout: Layout, plan: BroadcastPlan, shape: Shape): Tensor {
  switch (layout) {
    case 'full':
      return grad;
    case 'row':
      return reduceKernel('sum', grad, 1, plan.rows, plan.cols, shape);
    case 'column':
      return reduceKernel('sum', grad, plan.rows, plan.cols, 1, shape);
    case 'scalar':
      return reduceKernel('sum', grad, 1, grad.size, 1, shape);
  }
}
