/**
 * The Tensor API: creation (nested arrays, typed arrays, shape + fill, arange), views that
 * share storage (reshape, rows), read-back (toArray, toList, item), and lifetime (dispose,
 * Symbol.dispose with `using`, disposed tensors throw, views keep storage alive).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, full, fullLike, ones, tensor, Tensor, zeros, zerosLike } from '../../src/index.js';
import { fillKernel } from '../../src/ops/kernels.js';
import { arbTensorData, runs, size } from './reference.js';

/** Nested arrays of a row-major flat list. */
function nest(flat: number[], shape: number[]): unknown {
  if (shape.length === 0) return flat[0];
  const stride = size(shape.slice(1));
  return Array.from({ length: shape[0] }, (_, i) => nest(flat.slice(i * stride, (i + 1) * stride), shape.slice(1)));
}

describe('creating tensors', () => {
  it('from nested arrays: shape inferred, values and toList round-trip (property)', () => {
    fc.assert(
      fc.property(arbTensorData(0, 4, 4), ([shape, values]) => {
        const list = nest(Array.from(values), shape);
        const t = tensor(list as number[]);
        expect(t.shape).toEqual(shape);
        expect(t.dtype).toBe('float32');
        expect(t.device).toBe('cpu');
        expect(t.size).toBe(values.length);
        expect(Array.from(t.toArray())).toEqual(Array.from(values));
        expect(t.toList()).toEqual(list);
      }),
      runs(60),
    );
  });

  it('from typed arrays and flat arrays with a shape', () => {
    const f = tensor(Float32Array.of(1.5, 2, 3, 4), [2, 2]);
    expect(f.dtype).toBe('float32');
    expect(f.toList()).toEqual([[1.5, 2], [3, 4]]);
    const i = tensor(Int32Array.of(-7, 2 ** 31 - 1));
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.toArray())).toEqual([-7, 2 ** 31 - 1]);
    expect(tensor([1, 2, 3, 4, 5, 6], [3, 2]).toList()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(tensor([[1, 2]], { dtype: 'int32' }).toArray()).toBeInstanceOf(Int32Array);
    expect(tensor(3.5).shape).toEqual([]);
    expect(tensor(3.5).item()).toBe(3.5);
    expect(tensor([]).shape).toEqual([0]);
  });

  it('rejects ragged, mis-sized and out-of-range data naming tensor', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array/);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/tensor: 3 values do not fill shape \[2, 2\]/);
    expect(() => tensor([1.5], { dtype: 'int32' })).toThrow(/tensor: int32 value at index 0 is 1.5/);
    expect(() => tensor([2 ** 31], { dtype: 'int32' })).toThrow(/tensor: int32 value/);
    expect(() => tensor([1], [-1])).toThrow(/tensor: argument 'shape' must be an array of non-negative integers, got array \[-1\]/);
    expect(() => tensor([1], [0.5])).toThrow(/tensor: argument 'shape'/);
  });

  it('shape + fill: full, zeros, ones, the *Like forms, for float32 and int32', () => {
    expect(Array.from(full([2, 3], 2.5).toArray())).toEqual(Array(6).fill(2.5));
    expect(Array.from(zeros([4]).toArray())).toEqual([0, 0, 0, 0]);
    expect(Array.from(ones([2, 2]).toArray())).toEqual([1, 1, 1, 1]);
    const i = full([3], -4, { dtype: 'int32' });
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.toArray())).toEqual([-4, -4, -4]);
    expect(zerosLike(i).dtype).toBe('int32');
    expect(Array.from(fullLike(i, 9).toArray())).toEqual([9, 9, 9]);
    expect(full([0], 1).size).toBe(0);
    expect(() => full([2], 1.5, { dtype: 'int32' })).toThrow(/full: argument 'value' must be an integer/);
  });

  it('fill on a large tensor (parallel path) and on a view touches exactly its elements', () => {
    const big = full([100_000], 3);
    expect(big.toArray().every((v) => v === 3)).toBe(true);
    const base = zeros([4, 3]);
    fillKernel(base.rows(1, 3), 7);
    expect(base.toList()).toEqual([[0, 0, 0], [7, 7, 7], [7, 7, 7], [0, 0, 0]]);
  });

  it('arange follows torch.arange', () => {
    expect(Array.from(arange(5).toArray())).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(arange(2, 5).toArray())).toEqual([2, 3, 4]);
    expect(Array.from(arange(0, 1, 0.25).toArray())).toEqual([0, 0.25, 0.5, 0.75]);
    expect(Array.from(arange(3, 0, -1).toArray())).toEqual([3, 2, 1]);
    expect(arange(3, 3).shape).toEqual([0]);
    expect(arange(4, undefined, 1, { dtype: 'int32' }).dtype).toBe('int32');
    expect(() => arange(0, 1, 0)).toThrow(/arange: argument 'step' must be non-zero, got 0/);
  });
});

describe('views share storage', () => {
  it('reshape (with -1) views the same elements; writes through the view show in the base', () => {
    const base = arange(12);
    const v = base.reshape(3, -1);
    expect(v.shape).toEqual([3, 4]);
    expect(base.reshape([2, 2, 3]).toList()).toEqual([[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]]);
    fillKernel(v, -1);
    expect(Array.from(base.toArray())).toEqual(Array(12).fill(-1));
    expect(() => base.reshape(5, -1)).toThrow(/reshape: cannot view \[12\]/);
    expect(() => base.reshape(5, 3)).toThrow(/reshape:/);
  });

  it('rows(start, end) is a view at the right offset', () => {
    const base = arange(12).reshape(4, 3);
    const r = base.rows(1, 3);
    expect(r.shape).toEqual([2, 3]);
    expect(r.toList()).toEqual([[3, 4, 5], [6, 7, 8]]);
    fillKernel(r.rows(1), 0);
    expect(base.toList()).toEqual([[0, 1, 2], [3, 4, 5], [0, 0, 0], [9, 10, 11]]);
    expect(base.rows(2, 2).shape).toEqual([0, 3]);
    expect(() => base.rows(3, 5)).toThrow(/rows: range \[3, 5\) is outside a first dimension of 4/);
    expect(() => base.rows(-1, 2)).toThrow(/rows:/);
    expect(() => tensor(1).rows(0, 1)).toThrow(/rows: a scalar tensor has no rows/);
  });

  it('item reads one element and refuses more', () => {
    expect(arange(6).reshape(2, 3).rows(1, 2).reshape(3).rows(2).item()).toBe(5);
    expect(() => arange(2).item()).toThrow(/item: tensor of shape \[2\] has 2 elements, expected 1/);
  });
});

describe('lifetime', () => {
  it('a disposed tensor throws when used, and disposing twice is harmless', () => {
    const t = tensor([1, 2, 3]);
    t.dispose();
    t.dispose();
    expect(t.disposed).toBe(true);
    expect(() => t.toArray()).toThrow(/disposed/);
    const one = tensor([5]);
    one.dispose();
    expect(() => one.item()).toThrow(/disposed/);
    expect(() => t.add(1)).toThrow(/disposed/);
    expect(() => t.reshape(3)).toThrow(/disposed/);
    expect(() => t.rows(0, 1)).toThrow(/disposed/);
  });

  it('`using` disposes at the end of the block (Symbol.dispose)', () => {
    let escaped: Tensor;
    {
      using t = tensor([1, 2]);
      escaped = t;
      expect(t.disposed).toBe(false);
    }
    expect(escaped.disposed).toBe(true);
    expect(() => escaped.toArray()).toThrow(/disposed/);
  });

  it('views keep the storage alive after the base is disposed, and the reverse', () => {
    const base = arange(6).reshape(2, 3);
    const view = base.rows(1, 2);
    base.dispose();
    expect(view.disposed).toBe(false);
    expect(view.toList()).toEqual([[3, 4, 5]]);
    // The storage is still held by the view: a new tensor cannot be handed the same buffer.
    const other = full([6], 9);
    expect(view.toList()).toEqual([[3, 4, 5]]);
    other.dispose();
    const b2 = arange(4);
    const v2 = b2.reshape(2, 2);
    v2.dispose();
    expect(Array.from(b2.toArray())).toEqual([0, 1, 2, 3]);
    view.dispose();
    expect(view.disposed).toBe(true);
  });

  it('disposed storage is reused by the pool, never while a holder remains', () => {
    const a = full([1024], 1);
    const buffer = a.storage.buffer;
    const view = a.reshape(32, 32);
    a.dispose();
    const b = full([1024], 2);
    expect(b.storage.buffer).not.toBe(buffer);
    view.dispose();
    const c = full([1024], 3);
    expect(c.storage.buffer).toBe(buffer);
    expect(Array.from(b.toArray().subarray(0, 2))).toEqual([2, 2]);
  });
});
