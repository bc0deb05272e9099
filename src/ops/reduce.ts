/** Reductions over one axis or over everything: sum, mean (differentiable), max, min, argmax. */
import type { Backend } from '../backend/backend.js';
import { record } from '../autograd/graph.js';
import { shapeSize, Tensor, type Shape } from '../tensor.js';
import { binaryKernel, checkFloat, reduceKernel, scalarKernel, type ReduceName } from './kernels.js';
import { checkBoolean, checkInteger } from '../validate/index.js';

interface AxisView {
  outer: number;
  n: number;
  inner: number;
  outShape: Shape;
}

function axisView(op: string, shape: Shape, axis: number | undefined, keepDim: boolean): AxisView {
  checkBoolean(op, 'keepDim', keepDim);
  if (axis === undefined) {
    const n = shapeSize(shape);
    return { outer: 1, n, inner: 1, outShape: keepDim ? shape.map(() => 1) : [] };
  }
  const nd = shape.length;
  checkInteger(op, 'axis', axis);
  if (axis < -nd || axis >= nd) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor with ${nd} dimensions`);
  }
  const ax = axis < 0 ? axis + nd : axis;
  const outShape = keepDim ? shape.map((d, i) => (i === ax ? 1 : d)) : shape.filter((_, i) => i !== ax);
  return { outer: shapeSize(shape.slice(0, ax)), n: shape[ax], inner: shapeSize(shape.slice(ax + 1)), outShape };
}

/** A zero scalar per device, the second operand of the broadcast that expands a sum's gradient. */
const zeroScalars = new Map<Backend, Tensor>();

/** Repeats g ([outer, inner]) along a new middle axis of length n: the backward of a sum. */
function expandAxis(g: Tensor, v: AxisView, shape: Shape, scale: number): Tensor {
  let zeroScalar = zeroScalars.get(g.backend);
  if (!zeroScalar) zeroScalars.set(g.backend, (zeroScalar = g.newEmpty([1], 'float32', true)));
  const out = g.newEmpty(shape);
  if (v.inner === 1) {
    binaryKernel('add', g, zeroScalar, { shape, rows: v.outer, cols: v.n, a: 'column', b: 'scalar' }, out);
  } else {
    for (let o = 0; o < v.outer; o++) {
      const gSlice = g.reshape(v.outer, v.inner).rows(o, o + 1);
      const outSlice = out.reshape(v.outer, v.n * v.inner).rows(o, o + 1);
      binaryKernel('add', gSlice, zeroScalar, { shape, rows: v.n, cols: v.inner, a: 'row', b: 'scalar' }, outSlice);
    }
  }
  if (scale !== 1) scalarKernel('mul', out, scale, false, out);
  return out;
}

function reduceOp(name: ReduceName, x: Tensor, axis: number | undefined, keepDim: boolean): Tensor {
  checkFloat(name, 'x', x);
  const v = axisView(name, x.shape, axis, keepDim);
  if (v.n === 0 && (name === 'max' || name === 'min')) {
    throw new RangeError(`${name}: cannot reduce an empty axis`);
  }
  const out = reduceKernel(name, x, v.outer, v.n, v.inner, v.outShape);
  if (name === 'max' || name === 'min') return out;
  return record(out, name, [x], (g) => [expandAxis(g, v, x.shape, name === 'mean' ? 1 / v.n : 1)]);
}

/** Sum over `axis` (all elements when omitted). */
export const sum = (x: Tensor, axis?: number, keepDim = false) => reduceOp('sum', x, axis, keepDim);
/** Mean over `axis` (all elements when omitted). */
export const mean = (x: Tensor, axis?: number, keepDim = false) => reduceOp('mean', x, axis, keepDim);
/** Maximum over `axis`; not differentiable here (use argmax for positions). */
export const max = (x: Tensor, axis?: number, keepDim = false) => reduceOp('max', x, axis, keepDim);
/** Minimum over `axis`; not differentiable here. */
export const min = (x: Tensor, axis?: number, keepDim = false) => reduceOp('min', x, axis, keepDim);

/** Index of the maximum along `axis` (first one on ties), as int32. */
export function argmax(x: Tensor, axis?: number, keepDim = false): Tensor {
  checkFloat('argmax', 'x', x);
  const v = axisView('argmax', x.shape, axis, keepDim);
  if (v.n === 0) throw new RangeError('argmax: cannot take argmax over an empty axis');
  const out = x.newEmpty(v.outShape, 'int32');
  x.backend.argmax(x.buffer, x.offset, v.outer, v.n, v.inner, out.buffer, out.offset);
  return out;
}
