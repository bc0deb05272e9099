/** Class labels as plain integers: conversion, validation and counting (one-off, O(n) over labels). */
import { tensor } from '../ops/creation.js';
import { Tensor } from '../tensor.js';
import { checkTensor, isInstance, isNumericTypedArray, typeError } from '../validate/index.js';

/** Integer class labels: an int32 tensor, an Int32Array or any array of integers. */
export type Labels = Tensor | Int32Array | ArrayLike<number>;

/** The labels as an Int32Array (a copy for tensors), checked to be integers. */
export function labelArray(op: string, y: Labels, name = 'labels'): Int32Array {
  if (isInstance(y, Tensor)) {
    checkTensor(op, name, y, 'int32');
    if (y.ndim !== 1) throw new RangeError(`${op}: labels must be 1-D, got shape [${y.shape.join(', ')}]`);
    return y.toArray() as Int32Array;
  }
  if (isInstance(y, Int32Array)) return y;
  if (!Array.isArray(y) && !isNumericTypedArray(y)) typeError(op, name, 'an int32 tensor or an array of integer labels', y);
  const out = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
      typeError(op, `label ${i}`, 'a 32-bit integer', v);
    }
    out[i] = v;
  }
  return out;
}

/** Classes with their counts, in order of first appearance (as Python's Counter(y)). */
export function classCounts(y: Int32Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < y.length; i++) counts.set(y[i], (counts.get(y[i]) ?? 0) + 1);
  return counts;
}

/** The distinct classes, sorted ascending (np.unique). */
export function uniqueSorted(y: Int32Array): number[] {
  return [...classCounts(y).keys()].sort((a, b) => a - b);
}

/** Indices of the samples of each class, keyed by class, each list ascending. */
export function indicesByClass(y: Int32Array): Map<number, Int32Array> {
  const counts = classCounts(y);
  const lists = new Map<number, Int32Array>();
  const fill = new Map<number, number>();
  for (const [c, n] of counts) {
    lists.set(c, new Int32Array(n));
    fill.set(c, 0);
  }
  for (let i = 0; i < y.length; i++) {
    const c = y[i];
    const at = fill.get(c)!;
    lists.get(c)![at] = i;
    fill.set(c, at + 1);
  }
  return lists;
}

/** An int32 index tensor over `indices`. */
export const indexTensor = (indices: Int32Array | number[]) =>
  tensor(indices instanceof Int32Array ? indices : Int32Array.from(indices), [indices.length]);
