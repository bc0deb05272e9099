/**
 * Shape ops, as PyTorch's: permute, transpose(d0, d1), unsqueeze, squeeze, cat, stack, split,
 * chunk. unsqueeze and squeeze are views (the elements do not move); so are split and chunk
 * along dim 0 (row slices). permute, transpose and cat write a contiguous result with one
 * strided-copy call (see strided.ts for why tensors stay contiguous). Each is differentiable:
 * the backward of a permute is the inverse permute, of cat the slices of the gradient, of a
 * slice the gradient copied into zeros.
 */
import { record } from '../autograd/graph.js';
import { formatShape, shapeSize, Tensor, type Shape } from '../tensor.js';
import { checkArray, checkInteger, checkTensor, rangeError, typeError } from '../validate/index.js';
import { backendOf } from './device.js';
import { checkFloat } from './kernels.js';
import { contiguousStrides, copyStridedKernel } from './strided.js';

/** A dimension index in [-ndim, ndim), normalized to [0, ndim). */
export function normalizeDim(op: string, name: string, dim: unknown, ndim: number): number {
  const d = checkInteger(op, name, dim);
  if (d < -ndim || d >= ndim) {
    throw new RangeError(`${op}: ${name} ${d} is out of range for a tensor with ${ndim} dimensions (expected -${ndim}..${ndim - 1})`);
  }
  return d < 0 ? d + ndim : d;
}

function permuteKernel(x: Tensor, dims: readonly number[]): Tensor {
  const shape = dims.map((d) => x.shape[d]);
  const own = contiguousStrides(x.shape);
  const out = x.newEmpty(shape, x.dtype);
  return copyStridedKernel(x, dims.map((d) => own[d]), 0, out, contiguousStrides(shape), 0, shape);
}

/** The dimensions of x reordered: out.shape[i] = x.shape[dims[i]] (a contiguous copy). */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor('permute', 'x', x);
  const list = checkArray('permute', 'dims', dims);
  if (list.length !== x.ndim) {
    throw new RangeError(`permute: dims has ${list.length} entries, the tensor ${formatShape(x.shape)} has ${x.ndim} dimensions`);
  }
  const order = list.map((d, i) => normalizeDim('permute', `dims[${i}]`, d, x.ndim));
  if (new Set(order).size !== order.length) rangeError('permute', 'dims', 'a permutation of the dimensions', dims);
  if (order.every((d, i) => d === i)) return x.reshape(x.shape);
  const inverse = new Array<number>(order.length);
  order.forEach((d, i) => (inverse[d] = i));
  return record(permuteKernel(x, order), 'permute', [x], (g) => [permuteKernel(g, inverse)]);
}

/**
 * Dimensions dim0 and dim1 swapped. With no dims, a 2-D tensor's transpose (PyTorch's .t()),
 * on the tiled native transpose.
 */
export function transpose(x: Tensor, dim0?: number, dim1?: number): Tensor {
  checkTensor('transpose', 'x', x);
  if (dim0 === undefined && dim1 === undefined) {
    checkFloat('transpose', 'x', x);
    if (x.ndim !== 2) throw new RangeError(`transpose: expected a 2-D tensor, got ${formatShape(x.shape)} (pass dim0 and dim1 to swap two dimensions of another rank)`);
    return record(transpose2d(x), 'transpose', [x], (g) => [transpose2d(g)]);
  }
  const a = normalizeDim('transpose', 'dim0', dim0, x.ndim);
  const b = normalizeDim('transpose', 'dim1', dim1, x.ndim);
  const order = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, order);
}

function transpose2d(x: Tensor): Tensor {
  const [rows, cols] = x.shape;
  const out = x.newEmpty([cols, rows]);
  x.backend.transpose(x.buffer, x.offset, rows, cols, out.buffer, out.offset);
  return out;
}

/** A view with a dimension of length 1 inserted at `dim` (in [-ndim - 1, ndim]). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensor('unsqueeze', 'x', x);
  const d = normalizeDim('unsqueeze', 'dim', dim, x.ndim + 1);
  return x.reshape([...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

/** A view without the dimensions of length 1 (only `dim`, when given and of length 1). */
export function squeeze(x: Tensor, dim?: number): Tensor {
  checkTensor('squeeze', 'x', x);
  if (dim === undefined) return x.reshape(x.shape.filter((s) => s !== 1));
  const d = normalizeDim('squeeze', 'dim', dim, Math.max(x.ndim, 1));
  if (x.ndim === 0 || x.shape[d] !== 1) return x.reshape(x.shape);
  return x.reshape(x.shape.filter((_, i) => i !== d));
}

/** x viewed as [outer, n * inner] around dimension `dim` of length n. */
const around = (shape: Shape, dim: number) => ({
  outer: shapeSize(shape.slice(0, dim)), inner: shapeSize(shape.slice(dim + 1)), n: shape[dim],
});

/** Tensors joined along `dim`; all of one dtype and device, equal in every other dimension. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  const list = checkArray('cat', 'tensors', tensors);
  if (list.length === 0) throw new RangeError('cat: expected a non-empty array of tensors');
  const ts = list.map((t, i) => checkTensor('cat', `tensors[${i}]`, t));
  const first = ts[0];
  const d = normalizeDim('cat', 'dim', dim, first.ndim);
  ts.forEach((t, i) => {
    if (t.dtype !== first.dtype) typeError('cat', `tensors[${i}]`, `a ${first.dtype} Tensor like tensors[0]`, t);
    if (t.ndim !== first.ndim || t.shape.some((s, k) => k !== d && s !== first.shape[k])) {
      throw new RangeError(`cat: tensors[${i}] has shape ${formatShape(t.shape)}, expected ${formatShape(first.shape)} in every dimension but ${d}`);
    }
  });
  backendOf('cat', first, ...ts);
  const total = ts.reduce((s, t) => s + t.shape[d], 0);
  const shape = first.shape.map((s, k) => (k === d ? total : s));
  const out = first.newEmpty(shape, first.dtype);
  const { outer, inner } = around(shape, d);
  const starts: number[] = [];
  let start = 0;
  for (const t of ts) {
    starts.push(start);
    const len = t.shape[d] * inner;
    copyStridedKernel(t, [len, 1], 0, out, [total * inner, 1], start * inner, [outer, len]);
    start += t.shape[d];
  }
  return record(out, 'cat', ts, (g) => ts.map((t, i) => (t.requiresGrad ? sliceKernel(g, d, starts[i], t.shape[d]) : null)));
}

/** Tensors of one shape stacked along a new dimension `dim`. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  const list = checkArray('stack', 'tensors', tensors);
  if (list.length === 0) throw new RangeError('stack: expected a non-empty array of tensors');
  const ts = list.map((t, i) => checkTensor('stack', `tensors[${i}]`, t));
  const d = normalizeDim('stack', 'dim', dim, ts[0].ndim + 1);
  ts.forEach((t, i) => {
    if (t.ndim !== ts[0].ndim || t.shape.some((s, k) => s !== ts[0].shape[k])) {
      throw new RangeError(`stack: tensors[${i}] has shape ${formatShape(t.shape)}, tensors[0] ${formatShape(ts[0].shape)}`);
    }
  });
  return cat(ts.map((t) => unsqueeze(t, d)), d);
}

/** Elements [start, start + length) of dimension `dim`, as a new contiguous tensor. */
function sliceKernel(x: Tensor, dim: number, start: number, length: number): Tensor {
  const shape = x.shape.map((s, k) => (k === dim ? length : s));
  const { outer, inner, n } = around(x.shape, dim);
  const out = x.newEmpty(shape, x.dtype);
  return copyStridedKernel(x, [n * inner, 1], start * inner, out, [length * inner, 1], 0, [outer, length * inner]);
}

/** A slice along `dim` with its gradient: a view along dim 0, a copy otherwise. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  if (dim === 0) return x.rows(start, start + length);
  const source = x.shape;
  return record(sliceKernel(x, dim, start, length), 'narrow', [x], (g) => {
    const full = g.newEmpty(source, 'float32', true);
    const { outer, inner, n } = around(source, dim);
    copyStridedKernel(g, [length * inner, 1], 0, full, [n * inner, 1], start * inner, [outer, length * inner]);
    return [full];
  });
}

/**
 * x cut along `dim` into pieces of `splitSize` (the last may be shorter), or of the lengths in
 * `splitSize` when it is an array (summing to the dimension), as torch.split.
 */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  checkTensor('split', 'x', x);
  if (x.ndim === 0) throw new RangeError('split: a scalar tensor cannot be split');
  const d = normalizeDim('split', 'dim', dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof splitSize === 'number') {
    const size = checkInteger('split', 'splitSize', splitSize, { min: 1 });
    sizes = [];
    for (let s = 0; s < n; s += size) sizes.push(Math.min(size, n - s));
    if (n === 0) sizes.push(0);
  } else {
    const list = checkArray('split', 'splitSize', splitSize, 'an integer or an array of integers');
    sizes = list.map((s, i) => checkInteger('split', `splitSize[${i}]`, s, { min: 0 }));
    const sum = sizes.reduce((a, b) => a + b, 0);
    if (sum !== n) throw new RangeError(`split: the sizes [${sizes.join(', ')}] sum to ${sum}, dimension ${d} has ${n}`);
  }
  let start = 0;
  return sizes.map((len) => {
    const piece = narrow(x, d, start, len);
    start += len;
    return piece;
  });
}

/** x cut into `chunks` pieces along `dim`, each of ceil(n / chunks) (the last may be shorter), as torch.chunk. */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkTensor('chunk', 'x', x);
  const c = checkInteger('chunk', 'chunks', chunks, { min: 1 });
  if (x.ndim === 0) throw new RangeError('chunk: a scalar tensor cannot be chunked');
  const d = normalizeDim('chunk', 'dim', dim, x.ndim);
  return split(x, Math.max(1, Math.ceil(x.shape[d] / c)), d);
}
