/**
 * Selection ops, as PyTorch's: where(cond, a, b), maskedFill(x, mask, value) and
 * indexSelect(x, dim, index). Conditions and masks are int32 tensors (nonzero = true; PyTorch's
 * bool), broadcast with the operands (strided.ts). where and indexSelect also select int32
 * values (labels, indices), as PyTorch's integer tensors: the result is int32 and has no
 * gradient. Gradients of float32 operands:
 *   where:       da = g where cond, 0 elsewhere;  db = g where not cond (each summed to its shape)
 *   maskedFill:  dx = g where not mask
 *   indexSelect: dx = index_add of g into zeros (repeated indices add up)
 */
import { record } from '../autograd/graph.js';
import type { Backend } from '../backend/backend.js';
import { formatShape, shapeSize, Tensor, type DType, type Shape } from '../tensor.js';
import { checkInteger, checkNumber, checkTensor, isInstance, typeError } from '../validate/index.js';
import { backendOf } from './device.js';
import { checkFloat, fillKernel } from './kernels.js';
import { normalizeDim } from './shape.js';
import { broadcastShapes, broadcastStrides, sumToShape } from './strided.js';

type Operand = Tensor | number;

/** A one-element tensor (float32 unless said) holding `value` on `like`'s device (pooled storage). */
function scalarOn(like: Tensor, value: number, dtype: DType = 'float32'): Tensor {
  return fillKernel(like.newEmpty([1], dtype), value);
}

/** An operand of where as a tensor of `dtype` (a's, else b's): a number becomes a one-element tensor. */
function operand(name: 'a' | 'b', v: Operand, dtype: DType, cond: Tensor): Tensor {
  if (typeof v === 'number') {
    const value = dtype === 'int32'
      ? checkInteger('where', name, v, { min: -(2 ** 31), max: 2 ** 31 - 1 })
      : checkNumber('where', name, v, { infinite: true });
    return scalarOn(cond, value, dtype);
  }
  if (v.dtype !== dtype) typeError('where', name, `${dtype === 'int32' ? 'an' : 'a'} ${dtype} Tensor like a, or a number`, v);
  return v;
}

/** out = cond ? a : b over the broadcast shape `shape`. Not recorded. */
function whereKernel(backend: Backend, cond: Tensor, a: Tensor, b: Tensor, shape: Shape): Tensor {
  const out = a.newEmpty(shape, a.dtype);
  backend.where(cond.buffer, cond.offset, broadcastStrides(cond.shape, shape), a.buffer, a.offset,
    broadcastStrides(a.shape, shape), b.buffer, b.offset, broadcastStrides(b.shape, shape), out.buffer, out.offset, [...shape]);
  return out;
}

/**
 * Elements of `a` where `cond` is nonzero, of `b` elsewhere; all three broadcast together. a and
 * b are float32 (with gradients) or int32 (an int32 result, no gradient), a number taking the
 * other operand's dtype (an integer beside int32); two numbers give float32.
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  checkTensor('where', 'cond', cond, 'int32');
  if (typeof a !== 'number' && !isInstance(a, Tensor)) typeError('where', 'a', 'a Tensor or a number', a);
  if (typeof b !== 'number' && !isInstance(b, Tensor)) typeError('where', 'b', 'a Tensor or a number', b);
  const first = typeof a === 'number' ? (typeof b === 'number' ? null : b) : a;
  const dtype: DType = first?.dtype === 'int32' ? 'int32' : 'float32';
  const ta = operand('a', a, dtype, cond);
  const tb = operand('b', b, dtype, cond);
  const backend = backendOf('where', cond, ta, tb);
  const shape = broadcastShapes('where', cond.shape, ta.shape, tb.shape);
  const out = whereKernel(backend, cond, ta, tb, shape);
  if (ta !== a) ta.dispose();
  if (tb !== b) tb.dispose();
  if (dtype === 'int32') return out;
  // The tensor operands, with which side each is (a number has no gradient).
  const sides = ([[a, true], [b, false]] as const).filter((s): s is readonly [Tensor, boolean] => typeof s[0] !== 'number');
  return record(out, 'where', sides.map(([t]) => t), (g) => {
    const zero = scalarOn(g, 0);
    const grads = sides.map(([t, isA]) => {
      if (!t.requiresGrad) return null;
      const full = isA ? whereKernel(backend, cond, g, zero, shape) : whereKernel(backend, cond, zero, g, shape);
      const reduced = sumToShape(full, t.shape);
      if (reduced !== full) full.dispose();
      return reduced;
    });
    zero.dispose();
    return grads;
  });
}

/** x with `value` wherever the int32 `mask` (broadcast to x's shape) is nonzero. */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkFloat('maskedFill', 'x', x);
  checkTensor('maskedFill', 'mask', mask, 'int32');
  checkNumber('maskedFill', 'value', value, { infinite: true });
  const backend = backendOf('maskedFill', x, mask);
  const shape = broadcastShapes('maskedFill', x.shape, mask.shape);
  if (shape.length !== x.ndim || shape.some((d, i) => d !== x.shape[i])) {
    throw new RangeError(`maskedFill: mask ${formatShape(mask.shape)} must broadcast to the tensor's shape ${formatShape(x.shape)}`);
  }
  const fill = scalarOn(x, value);
  const out = whereKernel(backend, mask, fill, x, shape);
  fill.dispose();
  return record(out, 'maskedFill', [x], (g) => {
    const zero = scalarOn(g, 0);
    const dx = whereKernel(backend, mask, zero, g, shape);
    zero.dispose();
    return [dx];
  });
}

/**
 * The entries of x at the int32 1-D `index` along `dim`: out.shape[dim] = index.size. x float32
 * (with a gradient) or int32 (an int32 result, no gradient).
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor('indexSelect', 'x', x);
  checkTensor('indexSelect', 'index', index, 'int32');
  if (index.ndim > 1) throw new RangeError(`indexSelect: index must be 1-D, got ${formatShape(index.shape)}`);
  if (x.ndim === 0) throw new RangeError('indexSelect: x must have at least one dimension');
  const d = normalizeDim('indexSelect', 'dim', dim, x.ndim);
  const backend = backendOf('indexSelect', x, index);
  const outer = shapeSize(x.shape.slice(0, d)), n = x.shape[d], inner = shapeSize(x.shape.slice(d + 1));
  const count = index.size;
  const out = x.newEmpty(x.shape.map((s, i) => (i === d ? count : s)), x.dtype);
  backend.indexSelect(x.buffer, x.offset, outer, n, inner, index.buffer, index.offset, count, out.buffer, out.offset);
  if (x.dtype === 'int32') return out;
  return record(out, 'indexSelect', [x], (g) => {
    const dx = x.newEmpty(x.shape, 'float32', true);
    backend.indexAdd(g.buffer, g.offset, outer, count, inner, index.buffer, index.offset, dx.buffer, dx.offset, n);
    return [dx];
  });
}
