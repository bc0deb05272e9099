/**
 * transpose and gatherRows against JavaScript references; transpose's gradient by finite
 * differences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatherRows, tensor, transpose, zeros } from '../../src/index.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { arbValues, lcgValues, runs, size } from './reference.js';
import { dataError, onEachDevice } from '../helpers/devices.js';

onEachDevice((device) => {

const transposeRef = (x: ArrayLike<number>, rows: number, cols: number) =>
  Array.from({ length: rows * cols }, (_, k) => x[(k % rows) * cols + Math.floor(k / rows)]);

describe('transpose', () => {
  it('matches the reference on random shapes, across the 32x32 tiles', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 80 }))
          .chain(([r, c]) => fc.tuple(fc.constant([r, c]), arbValues(r * c))),
        ([[rows, cols], x]) => {
          const out = transpose(tensor(x, [rows, cols]));
          expect(out.shape).toEqual([cols, rows]);
          expect(Array.from(out.toArray())).toEqual(transposeRef(x, rows, cols));
        },
      ),
      runs(40),
    );
  });

  it('a large matrix (parallel path) matches', () => {
    const [rows, cols] = [333, 517];
    const x = lcgValues(rows * cols, 4);
    expect(Array.from(transpose(tensor(x, [rows, cols])).toArray())).toEqual(transposeRef(x, rows, cols));
  });

  it('gradient (finite differences)', () => {
    for (const [r, c] of [[1, 1], [2, 3], [5, 4]]) {
      expectGradientsMatch(([t]) => transpose(t), ([v]) => transposeRef(v, r, c), [tensor(lcgValues(r * c, r + c), [r, c])]);
    }
  });

  it('rejects non-2-D and int32 tensors naming transpose', () => {
    expect(() => transpose(tensor([1, 2, 3]))).toThrow(/transpose: expected a 2-D tensor, got \[3\]/);
    expect(() => transpose(tensor([[1, 2]], { dtype: 'int32' }))).toThrow(/transpose: argument 'x' must be a float32 Tensor/);
  });
});

describe('gatherRows', () => {
  for (const dtype of ['float32', 'int32'] as const) {
    it(`${dtype}: picks rows by index (repeats allowed) on random shapes`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
          fc.array(fc.nat(), { maxLength: 12 }),
          fc.integer({ min: 1, max: 1000 }),
          (shape, picks, seed) => {
            const rows = shape[0];
            const rowLength = size(shape.slice(1));
            const values = Array.from(lcgValues(size(shape), seed, -100, 100), (v) => (dtype === 'int32' ? Math.round(v) : v));
            const index = picks.map((p) => p % rows);
            const src = tensor(values, shape, { dtype });
            const out = gatherRows(src, tensor(index, { dtype: 'int32' }));
            expect(out.shape).toEqual([index.length, ...shape.slice(1)]);
            expect(out.dtype).toBe(dtype);
            const want = index.flatMap((r) => Array.from(src.toArray().subarray(r * rowLength, (r + 1) * rowLength)));
            expect(Array.from(out.toArray())).toEqual(want);
          },
        ),
        runs(40),
      );
    });
  }

  it('writes into a given out tensor, and a large gather (parallel path) matches', () => {
    const src = tensor(lcgValues(5000 * 64, 2), [5000, 64]);
    const index = Int32Array.from({ length: 4096 }, (_, i) => (i * 7919) % 5000);
    const out = zeros([4096, 64]);
    expect(gatherRows(src, tensor(index), out)).toBe(out);
    const s = src.toArray();
    const want = Array.from(index).flatMap((r) => Array.from(s.subarray(r * 64, r * 64 + 64)));
    expect(Array.from(out.toArray())).toEqual(want);
  });

  it('bad index and out tensors throw naming gatherRows', () => {
    const src = tensor([[1, 2], [3, 4]]);
    expect(() => gatherRows(src, tensor([0, 1]))).toThrow(/gatherRows: argument 'index' must be a int32 Tensor/);
    // Read back: on 'cuda' the kernel checks the device indices and the next read reports them.
    expect(() => gatherRows(src, tensor([2], { dtype: 'int32' })).toArray())
      .toThrow(dataError(device, 'gatherRows', 'index 2 at position 0 is out of range for 2 rows'));
    expect(() => gatherRows(src, tensor([0, -1], { dtype: 'int32' })).toArray())
      .toThrow(dataError(device, 'gatherRows', 'index -1 at position 1 is out of range for 2 rows'));
    expect(() => gatherRows(src, tensor([0], { dtype: 'int32' }), zeros([3]))).toThrow(/gatherRows: out has shape \[3\]/);
    expect(() => gatherRows(src, tensor([[0]], { dtype: 'int32' }))).toThrow(/gatherRows: index must be 1-D/);
  });
});
});
