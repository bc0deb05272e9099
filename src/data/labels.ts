/** Class labels as plain integers: conversion, validation and counting (one-off, O(n) over labels). */
import { tensor } from '../ops/creation.js';
import { Tensor } from '../tensor.js';
import { checkTensor, describeValue, isInstance, readSafely, typeError } from '../validate/index.js';

/** Integer class labels: an int32 tensor, an Int32Array or any array of integers. */
export type Labels = Tensor | Int32Array | ArrayLike<number>;

/** Most labels one vector may hold: sample indices are int32 in the native kernels. */
const MAX_LABELS = 2 ** 31 - 1;

/** The labels as an Int32Array (a copy for tensors), checked to be integers. */
export function labelArray(op: string, y: Labels, name = 'labels'): Int32Array {
  if (isInstance(y, Tensor)) {
    checkTensor(op, name, y, 'int32');
    if (y.ndim !== 1) throw new RangeError(`${op}: labels must be 1-D, got shape [${y.shape.join(', ')}]`);
    return y.toArray() as Int32Array;
  }
  if (isInstance(y, Int32Array)) return y;
  return readSafely(op, name, () => {
    // The length before any loop over it: an array-like such as { length: 1e15 } would
    // otherwise be walked (or allocated) element by element.
    const length = (y as { length?: unknown } | null | undefined)?.length;
    if (typeof y !== 'object' || y === null || typeof length !== 'number') {
      throw new TypeError(`${op}: ${name} must be a Tensor, an Int32Array or an array of integers, got ${describeValue(y)}`);
    }
    if (!Number.isInteger(length) || length < 0 || length > MAX_LABELS) {
      throw new RangeError(`${op}: ${name} must have an integer length in [0, ${MAX_LABELS}], got ${length}`);
    }
    const out = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      const v = y[i];
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
        typeError(op, `label ${i}`, 'a 32-bit integer', v);
      }
      out[i] = v;
    }
    return out;
  });
}

/**
 * Throws unless every label is a class index: an integer in [0, numClasses), or in [0, 2^31)
 * when the number of classes is not known. `where` names the source in the message.
 */
export function checkClassLabels(op: string, labels: ArrayLike<number>, numClasses: number | undefined, where = ''): void {
  const limit = numClasses ?? 2 ** 31;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!(Number.isInteger(v) && v >= 0 && v < limit)) {
      const range = numClasses === undefined ? 'a class index >= 0' : `a class in [0, ${numClasses})`;
      throw new RangeError(`${op}: label ${v} at index ${i}${where ? ` of ${where}` : ''} is not ${range}`);
    }
  }
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
