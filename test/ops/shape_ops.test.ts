/**
 * The N-D shape ops (permute, transpose(d0, d1), unsqueeze, squeeze, cat, stack, split, chunk)
 * against index-arithmetic references, their float64 gradient checks, and their bad inputs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cat, chunk, permute, split, squeeze, stack, tensor, transpose, unsqueeze } from '../../src/index.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { onEachDevice } from '../helpers/devices.js';
import { arbTensorData, lcgValues, runs, size, strides } from './reference.js';

/** out[i] = x[index with its dims reordered]: the definition of permute. */
export function permuteRef(x: ArrayLike<number>, shape: number[], dims: number[]): Float64Array {
  const outShape = dims.map((d) => shape[d]);
  const [xs, os] = [strides(shape), strides(outShape)];
  return Float64Array.from({ length: size(shape) }, (_, flat) => {
    let k = 0;
    for (let i = 0; i < dims.length; i++) k += (Math.floor(flat / os[i]) % outShape[i]) * xs[dims[i]];
    return x[k];
  });
}

/** cat of flat row-major arrays along `dim`. */
function catRef(parts: { v: ArrayLike<number>; shape: number[] }[], dim: number): number[] {
  const outer = size(parts[0].shape.slice(0, dim));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const block = size(p.shape.slice(dim));
      for (let i = 0; i < block; i++) out.push(p.v[o * block + i]);
    }
  }
  return out;
}

onEachDevice(() => {
  describe('permute and transpose', () => {
    it('match the index definition on random shapes and orders', () => {
      fc.assert(fc.property(arbTensorData(1, 5, 4).chain(([shape, v]) =>
        fc.tuple(fc.constant(shape), fc.constant(v), fc.shuffledSubarray(shape.map((_, i) => i), { minLength: shape.length }))),
      ([shape, v, dims]) => {
        const y = permute(tensor(v, shape), dims);
        expect([...y.shape]).toEqual(dims.map((d) => shape[d]));
        expect(Array.from(y.toArray())).toEqual(Array.from(permuteRef(v, shape, dims)));
      }), runs(40));
    });
    it('transpose(d0, d1) swaps two dimensions (negative dims count from the end); int32 too', () => {
      const v = lcgValues(24, 3);
      const y = transpose(tensor(v, [2, 3, 4]), 0, -1);
      expect([...y.shape]).toEqual([4, 3, 2]);
      expect(Array.from(y.toArray())).toEqual(Array.from(permuteRef(v, [2, 3, 4], [2, 1, 0])));
      const i = tensor(Int32Array.from({ length: 6 }, (_, k) => k), [1, 2, 3], { dtype: 'int32' }).transpose(1, 2);
      expect(Array.from(i.toArray())).toEqual([0, 3, 1, 4, 2, 5]);
    });
    it('gradients (float64 finite differences)', () => {
      expectGradientsMatch(([x]) => permute(x, [2, 0, 1]), ([x]) => permuteRef(x, [2, 3, 4], [2, 0, 1]), [tensor(lcgValues(24, 5), [2, 3, 4])]);
      expectGradientsMatch(([x]) => x.transpose(1, 2), ([x]) => permuteRef(x, [2, 3, 4], [0, 2, 1]), [tensor(lcgValues(24, 6), [2, 3, 4])]);
    });
    it('reject bad dims naming the op', () => {
      const x = tensor(lcgValues(6, 1), [2, 3]);
      expect(() => permute(x, [0])).toThrow(/permute: dims has 1 entries, the tensor \[2, 3\] has 2 dimensions/);
      expect(() => permute(x, [0, 0])).toThrow(/permute: argument 'dims' must be a permutation/);
      expect(() => permute(x, [0, 2])).toThrow(/permute: dims\[1\] 2 is out of range for a tensor with 2 dimensions/);
      expect(() => transpose(tensor(lcgValues(8, 1), [2, 2, 2]))).toThrow(/transpose: expected a 2-D tensor, got \[2, 2, 2\]/);
      expect(() => transpose(x, 0, 1.5)).toThrow(/transpose: argument 'dim1' must be an integer/);
    });
  });

  describe('unsqueeze and squeeze', () => {
    it('insert and drop dimensions of length 1 as views, with the gradient passing through', () => {
      const x = tensor(lcgValues(6, 2), [2, 1, 3], { requiresGrad: true });
      expect([...unsqueeze(x, 0).shape]).toEqual([1, 2, 1, 3]);
      expect([...unsqueeze(x, -1).shape]).toEqual([2, 1, 3, 1]);
      expect([...squeeze(x).shape]).toEqual([2, 3]);
      expect([...squeeze(x, 1).shape]).toEqual([2, 3]);
      expect([...squeeze(x, 0).shape]).toEqual([2, 1, 3]);
      x.unsqueeze(2).squeeze().sum().backward();
      expect(Array.from(x.grad!.toArray())).toEqual([1, 1, 1, 1, 1, 1]);
      expect(() => unsqueeze(x, 4)).toThrow(/unsqueeze: dim 4 is out of range for a tensor with 4 dimensions/);
    });
  });

  describe('cat, stack, split and chunk', () => {
    it('cat matches the definition along every dimension', () => {
      const a = lcgValues(2 * 3 * 4, 1), b = lcgValues(2 * 2 * 4, 2);
      for (const [dim, bShape] of [[0, [1, 3, 4]], [1, [2, 2, 4]], [2, [2, 3, 2]]] as [number, number[]][]) {
        const bv = b.subarray(0, size(bShape));
        const y = cat([tensor(a, [2, 3, 4]), tensor(bv, bShape)], dim);
        expect(Array.from(y.toArray())).toEqual(catRef([{ v: a, shape: [2, 3, 4] }, { v: bv, shape: bShape }], dim).map(Math.fround));
      }
    });
    it('stack adds a dimension; split and chunk cut as PyTorch (the last piece shorter)', () => {
      const a = tensor([1, 2, 3, 4], [2, 2]), b = tensor([5, 6, 7, 8], [2, 2]);
      expect(stack([a, b], 1).toList()).toEqual([[[1, 2], [5, 6]], [[3, 4], [7, 8]]]);
      const x = tensor(Float32Array.from({ length: 10 }, (_, i) => i), [2, 5]);
      expect(split(x, 2, 1).map((t) => t.shape[1])).toEqual([2, 2, 1]);
      expect(split(x, [1, 4], -1)[1].toList()).toEqual([[1, 2, 3, 4], [6, 7, 8, 9]]);
      expect(chunk(x, 3, 1).map((t) => t.shape[1])).toEqual([2, 2, 1]);
      expect(x.chunk(2, 0)[1].toList()).toEqual([[5, 6, 7, 8, 9]]);
      expect(() => split(x, [1, 1], 1)).toThrow(/split: the sizes \[1, 1\] sum to 2, dimension 1 has 5/);
      expect(() => cat([a, tensor([1, 2, 3], [3, 1])], 0)).toThrow(/cat: tensors\[1\] has shape \[3, 1\], expected \[2, 2\] in every dimension but 0/);
      expect(() => stack([a, x])).toThrow(/stack: tensors\[1\] has shape \[2, 5\]/);
      expect(() => cat([])).toThrow(/cat: expected a non-empty array/);
    });
    it('gradients of cat, stack and split (float64 finite differences)', () => {
      expectGradientsMatch(([p, q]) => cat([p, q], 1),
        ([p, q]) => catRef([{ v: p, shape: [2, 3, 2] }, { v: q, shape: [2, 1, 2] }], 1),
        [tensor(lcgValues(12, 3), [2, 3, 2]), tensor(lcgValues(4, 4), [2, 1, 2])]);
      expectGradientsMatch(([p, q]) => stack([p, q], 2),
        ([p, q]) => catRef([{ v: p, shape: [2, 3, 1] }, { v: q, shape: [2, 3, 1] }], 2),
        [tensor(lcgValues(6, 5), [2, 3]), tensor(lcgValues(6, 6), [2, 3])]);
      // The middle piece of a split along dim 1, and the second of dim 0 (a view): both in one output.
      expectGradientsMatch(([p]) => cat([split(p, [1, 2, 1], 1)[1].reshape(-1), chunk(p, 2, 0)[1].reshape(-1)]),
        ([p]) => [p[1], p[2], p[5], p[6], p[4], p[5], p[6], p[7]], [tensor(lcgValues(8, 7), [2, 4])]);
    });
  });
});
