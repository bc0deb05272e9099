/**
 * Raw kernels: Tensor-level calls into the backend of the tensors' device that allocate their
 * output from that device's pool and record nothing. The differentiable ops (and their
 * backward closures) are built from these.
 */
import type { BinaryName, ReduceName, UnaryName } from '../backend/backend.js';
import type { Shape, Tensor } from '../tensor.js';
import { checkTensor } from '../validate/index.js';
import type { BroadcastPlan, Layout } from './broadcast.js';
import { backendOf, backendOf2 } from './device.js';

export type { BinaryName, ReduceName, UnaryName };

/** A live float32 tensor argument: `op: argument 'x' must be a float32 Tensor, got ...`. */
export const checkFloat = (op: string, name: string, t: unknown): Tensor => checkTensor(op, name, t, 'float32');

export function binaryKernel(name: BinaryName, a: Tensor, b: Tensor, plan: BroadcastPlan, out?: Tensor): Tensor {
  const backend = out ? backendOf(name, a, b, out) : backendOf2(name, a, b);
  const result = out ?? a.newEmpty(plan.shape);
  backend.binary(name, a.buffer, a.offset, plan.a, b.buffer, b.offset, plan.b, result.buffer, result.offset,
    plan.rows, plan.cols);
  return result;
}

export function scalarKernel(name: BinaryName, a: Tensor, s: number, scalarFirst = false, out?: Tensor): Tensor {
  const backend = out ? backendOf2(name, a, out) : a.backend;
  const result = out ?? a.newEmpty(a.shape);
  backend.binaryScalar(name, a.buffer, a.offset, s, scalarFirst, result.buffer, result.offset, a.size);
  return result;
}

export function unaryKernel(name: UnaryName, x: Tensor, p1 = 0, p2 = 0, out?: Tensor): Tensor {
  const backend = out ? backendOf2(name, x, out) : x.backend;
  const result = out ?? x.newEmpty(x.shape);
  backend.unary(name, x.buffer, x.offset, result.buffer, result.offset, x.size, p1, p2);
  return result;
}

export function unaryBackwardKernel(name: UnaryName, x: Tensor, gradOut: Tensor, p1 = 0, p2 = 0): Tensor {
  const backend = backendOf2(name, x, gradOut);
  const result = x.newEmpty(x.shape);
  backend.unaryBackward(name, x.buffer, x.offset, gradOut.buffer, gradOut.offset, result.buffer, result.offset,
    x.size, p1, p2);
  return result;
}

/** Reduces axis `n` of x viewed as [outer, n, inner]; output has `shape`. */
export function reduceKernel(name: ReduceName, x: Tensor, outer: number, n: number, inner: number, shape: Shape): Tensor {
  const result = x.newEmpty(shape);
  x.backend.reduce(name, x.buffer, x.offset, outer, n, inner, result.buffer, result.offset);
  return result;
}

export function fillKernel(t: Tensor, value: number): Tensor {
  t.backend.fill(t.buffer, t.offset, t.size, value);
  return t;
}

/** Copies src's elements into dst (same size). */
export function copyKernel(dst: Tensor, src: Tensor): Tensor {
  if (dst.size !== src.size || dst.dtype !== src.dtype) {
    throw new RangeError(`copy: cannot copy ${src.size} ${src.dtype} elements into ${dst.size} ${dst.dtype}`);
  }
  backendOf2('copy', dst, src);
  dst.buffer.copyFrom(src.buffer, src.offset, dst.offset, src.size);
  return dst;
}

/** Copies src's elements into dst (same size and dtype), through the JS heap when their devices differ. */
export function copyAcrossDevices(dst: Tensor, src: Tensor): Tensor {
  if (dst.backend === src.backend) return copyKernel(dst, src);
  if (dst.size !== src.size || dst.dtype !== src.dtype) {
    throw new RangeError(`copy: cannot copy ${src.size} ${src.dtype} elements into ${dst.size} ${dst.dtype}`);
  }
  dst.buffer.write(src.toArray(), dst.offset);
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
