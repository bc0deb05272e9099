/**
 * where, maskedFill and indexSelect against float64 references, with float64 gradient checks
 * (where's gradient splits g between the sides; indexSelect's adds repeated indices up); where
 * and indexSelect of int32 values (exact, int32 results, no gradient).
 */
import { describe, expect, it } from 'vitest';
import { indexSelect, maskedFill, tensor, where } from '../../src/index.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { dataError, onEachDevice } from '../helpers/devices.js';
import { lcgValues, size } from './reference.js';

const i32 = (values: number[], shape: number[]) => tensor(Int32Array.from(values), shape, { dtype: 'int32' });

/** index_select of x viewed as [outer, n, inner] along the middle. */
function indexSelectRef(x: ArrayLike<number>, shape: number[], dim: number, index: number[]): number[] {
  const outer = size(shape.slice(0, dim)), n = shape[dim], inner = size(shape.slice(dim + 1));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) for (const i of index) for (let c = 0; c < inner; c++) out.push(x[(o * n + i) * inner + c]);
  return out;
}

onEachDevice((device) => {
  describe('where', () => {
    it('picks a where cond is nonzero, b elsewhere, all three broadcast', () => {
      const y = where(i32([1, 0, 2], [3]), tensor([[1, 2, 3], [4, 5, 6]]), -1);
      expect(y.toList()).toEqual([[1, -1, 3], [4, -1, 6]]);
      expect(where(i32([1, 0], [2, 1]), 7, tensor([1, 2, 3])).toList()).toEqual([[7, 7, 7], [1, 2, 3]]);
    });
    it('gradients reach both sides, summed over their broadcast axes (float64 finite differences)', () => {
      const cond = [1, 0, 0, 1, 1, 0];
      const condT = i32(cond, [2, 3]);
      // out [2, 2, 3]: a [2, 1, 3] repeats along dim 1, b [3] along dims 0 and 1.
      const ref = ([a, b]: Float64Array[]) =>
        Float64Array.from({ length: 12 }, (_, i) => (cond[i % 6] ? a[Math.floor(i / 6) * 3 + (i % 3)] : b[i % 3]));
      expectGradientsMatch(([a, b]) => where(condT, a, b), ref, [tensor(lcgValues(6, 1), [2, 1, 3]), tensor(lcgValues(3, 2), [3])]);
    });
    it('selects int32 values: an int32 result with no gradient; a number beside int32 must be an integer', () => {
      const big = 2 ** 31 - 1;
      const a = i32([big, -5, 7, 0, 1, -(2 ** 31)], [2, 3]);
      const y = where(i32([1, 0, 1], [3]), a, i32([9, 8, 6], [3]));
      expect(y.dtype).toBe('int32');
      expect(y.toList()).toEqual([[big, 8, 7], [0, 8, -(2 ** 31)]]);
      expect(y.requiresGrad).toBe(false);
      expect(where(i32([0, 1], [2, 1]), -3, a).toList()).toEqual([[big, -5, 7], [-3, -3, -3]]);
      expect(where(i32([1, 0], [2]), i32([4, 4], [2]), big).toList()).toEqual([4, big]);
      // Two numbers stay float32, as before.
      expect(where(i32([1, 0], [2]), 1.5, 2).dtype).toBe('float32');
      expect(() => where(i32([1, 0], [2]), a, 0.5)).toThrow(/where: argument 'b' must be an integer >= -2147483648 and <= 2147483647, got 0.5/);
      expect(() => where(i32([1, 0], [2]), 2 ** 31, i32([1, 2], [2]))).toThrow(/where: argument 'a' must be an integer/);
      expect(() => where(i32([1, 0, 1], [3]), a, tensor([1, 2, 3]))).toThrow(/where: argument 'b' must be an int32 Tensor like a, or a number/);
      expect(() => where(i32([1, 0, 1], [3]), tensor([1, 2, 3]), a)).toThrow(/where: argument 'b' must be a float32 Tensor like a, or a number/);
    });
    it('rejects a float condition and shapes that do not broadcast', () => {
      expect(() => where(tensor([1, 0]) as never, 1, 2)).toThrow(/where: argument 'cond' must be a int32 Tensor/);
      expect(() => where(i32([1, 0], [2]), tensor([1, 2, 3]), 0)).toThrow(/where: shapes \[2\] and \[3\] and \[1\] do not broadcast/);
      expect(() => where(i32([1], [1]), 'a' as never, 0)).toThrow(/where: argument 'a' must be a Tensor or a number/);
    });
  });

  describe('maskedFill', () => {
    it('fills where the mask is set, keeps x elsewhere, and its gradient is zero where filled', () => {
      const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
      const y = maskedFill(x, i32([0, 1, 0], [3]), -Infinity);
      expect(y.toList()).toEqual([[1, -Infinity, 3], [4, -Infinity, 6]]);
      x.maskedFill(i32([1, 0], [2, 1]), 0).sum().backward();
      expect(x.grad!.toList()).toEqual([[0, 0, 0], [1, 1, 1]]);
      expectGradientsMatch(([v]) => maskedFill(v, i32([0, 1, 1], [3]), 2), ([v]) => Float64Array.from(v, (e, i) => (i % 3 ? 2 : e)),
        [tensor(lcgValues(6, 3), [2, 3])]);
      expect(() => maskedFill(tensor([1, 2]), i32([1, 0, 1, 0], [2, 2]), 0)).toThrow(/maskedFill: mask \[2, 2\] must broadcast to the tensor's shape \[2\]/);
    });
  });

  describe('indexSelect', () => {
    it('selects along any dimension, repeated indices included', () => {
      const v = lcgValues(30, 4);
      for (const dim of [0, 1, 2]) {
        const index = [[1, 0, 1], [4, 0, 4, 2], [1]][dim];
        const y = indexSelect(tensor(v, [3, 5, 2]), dim, i32(index, [index.length]));
        expect(y.shape[dim]).toBe(index.length);
        expect(Array.from(y.toArray())).toEqual(indexSelectRef(v, [3, 5, 2], dim, index));
      }
    });
    it('gradient adds up over repeated indices (float64 finite differences)', () => {
      const index = [4, 0, 4, 2];
      expectGradientsMatch(([x]) => x.indexSelect(1, i32(index, [4])), ([x]) => indexSelectRef(x, [3, 5, 2], 1, index),
        [tensor(lcgValues(30, 5), [3, 5, 2])]);
    });
    it('selects int32 values along any dimension: exact, an int32 result, no gradient', () => {
      const v = Array.from({ length: 30 }, (_, i) => (i % 2 ? -1 : 1) * (2 ** 31 - 1 - i * 65537));
      for (const dim of [0, 1, 2]) {
        const index = [[2, 2, 0], [3, 1], [1, 0, 1]][dim];
        const y = indexSelect(i32(v, [3, 5, 2]), dim, i32(index, [index.length]));
        expect(y.dtype).toBe('int32');
        expect(y.requiresGrad).toBe(false);
        expect(Array.from(y.toArray())).toEqual(indexSelectRef(v, [3, 5, 2], dim, index));
      }
      expect(i32([5, 6, 7], [3]).indexSelect(0, i32([2, 2], [2])).toList()).toEqual([7, 7]);
      expect(() => indexSelect(i32([1, 2], [2]), 0, i32([2], [1]))).toThrow(/indexSelect: index 2 at position 0 is out of range for 2 rows/);
    });
    it('names an index out of range', () => {
      expect(() => indexSelect(tensor(lcgValues(6, 1), [2, 3]), 1, i32([0, 3], [2])).toArray())
        .toThrow(dataError(device, 'indexSelect', 'index 3 at position 1 is out of range for 3 rows'));
      expect(() => indexSelect(tensor(lcgValues(6, 1), [2, 3]), 2, i32([0], [1]))).toThrow(/indexSelect: dim 2 is out of range/);
    });
  });
});
