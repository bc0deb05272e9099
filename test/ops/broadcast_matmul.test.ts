/**
 * General N-D broadcasting of the binary ops (the strided path beyond the four fast layouts) and
 * batched matmul with broadcast batch dimensions, against float64 references, with float64
 * gradient checks (the gradient of a broadcast operand sums over the axes it was repeated along).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, div, matmul, mul, sub, tensor } from '../../src/index.js';
import { bmm } from '../../src/ops/batched_matmul.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { onEachDevice } from '../helpers/devices.js';
import { arbValues, broadcastShape, broadcastRef, expectClose, lcgValues, runs, size, strides } from './reference.js';

const f64 = { add: (a: number, b: number) => a + b, sub: (a: number, b: number) => a - b, mul: (a: number, b: number) => a * b, div: (a: number, b: number) => a / b };
const ops = { add, sub, mul, div };

/** A pair of shapes that broadcast: each dimension of each drawn 1 or the common length. */
const arbBroadcastPair = fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 5 })
  .chain((dims) => fc.tuple(fc.constant(dims.map(([n, ka]) => (ka ? n : 1))), fc.constant(dims.map(([n, , kb]) => (kb ? n : 1))), fc.integer({ min: 0, max: dims.length })))
  .map(([a, b, cut]) => [a, b.slice(cut)] as [number[], number[]]);

/** [..., m, k] @ [..., k, n] in float64 with broadcast batch dimensions. */
function matmulRef(a: ArrayLike<number>, as: number[], b: ArrayLike<number>, bs: number[]): Float64Array {
  const [m, k, n] = [as[as.length - 2], as[as.length - 1], bs[bs.length - 1]];
  const batch = broadcastShape(as.slice(0, -2), bs.slice(0, -2));
  const out = new Float64Array(size(batch) * m * n);
  const at = (s: number[], flat: number) => {
    const st = strides(s), os = strides(batch);
    let off = 0;
    for (let d = 0; d < s.length; d++) {
      const od = batch.length - s.length + d;
      off += (s[d] === 1 ? 0 : Math.floor(flat / os[od]) % batch[od]) * st[d];
    }
    return off;
  };
  for (let i = 0; i < size(batch); i++) {
    const ao = at(as.slice(0, -2), i) * m * k, bo = at(bs.slice(0, -2), i) * k * n;
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += a[ao + r * k + t] * b[bo + t * n + c];
        out[(i * m + r) * n + c] = s;
      }
    }
  }
  return out;
}

onEachDevice(() => {
  describe('general broadcasting', () => {
    for (const op of Object.keys(ops) as (keyof typeof ops)[]) {
      it(`${op} matches NumPy's rule on random broadcasting shapes`, () => {
        fc.assert(fc.property(arbBroadcastPair.chain(([as, bs]) => fc.tuple(fc.constant(as), fc.constant(bs), arbValues(size(as)), arbValues(size(bs), 0.5, 3))),
          ([as, bs, av, bv]) => {
            const y = ops[op](tensor(av, as), tensor(bv, bs));
            const want = broadcastRef(av, as, bv, bs, f64[op]);
            expect([...y.shape]).toEqual(want.shape);
            expectClose(y.toArray(), want.values);
          }), runs(30));
      });
    }
    it('gradients sum over the broadcast axes (float64 finite differences)', () => {
      const cases: [number[], number[]][] = [[[3, 1, 4], [2, 1]], [[1, 3], [2, 1, 1]], [[2, 1, 3, 1], [4, 1, 2]]];
      for (const [as, bs] of cases) {
        for (const op of Object.keys(ops) as (keyof typeof ops)[]) {
          const b = tensor(lcgValues(size(bs), 9, 0.5, 2), bs);
          expectGradientsMatch(([x, y]) => ops[op](x, y), ([x, y]) => broadcastRef(x, as, y, bs, f64[op]).values, [tensor(lcgValues(size(as), 8), as), b]);
        }
      }
    });
    it('names both shapes when they do not broadcast', () => {
      expect(() => add(tensor(lcgValues(6, 1), [2, 3]), tensor(lcgValues(4, 1), [4, 1]))).toThrow(/add: shapes \[2, 3\] and \[4, 1\] do not broadcast/);
    });
  });

  describe('batched matmul', () => {
    const cases: [number[], number[]][] = [
      [[2, 3, 4], [2, 4, 5]], [[2, 1, 3, 4], [3, 4, 5]], [[3, 4], [2, 4, 2]], [[2, 3, 4], [4, 2]], [[1, 3, 4], [2, 4, 3]],
      [[2, 2, 3, 4], [2, 1, 4, 2]], [[0, 3, 4], [4, 2]],
    ];
    it('matches the float64 reference with broadcast batch dimensions', () => {
      for (const [as, bs] of cases) {
        const [av, bv] = [lcgValues(size(as), 1), lcgValues(size(bs), 2)];
        const y = matmul(tensor(av, as), tensor(bv, bs));
        expect([...y.shape]).toEqual([...broadcastShape(as.slice(0, -2), bs.slice(0, -2)), as[as.length - 2], bs[bs.length - 1]]);
        expectClose(y.toArray(), matmulRef(av, as, bv, bs), 1e-5, 1e-5);
      }
    });
    it('many small products (threaded over the batch) match too', () => {
      const [as, bs] = [[64, 16, 8], [64, 8, 16]];
      const [av, bv] = [lcgValues(size(as), 3), lcgValues(size(bs), 4)];
      expectClose(matmul(tensor(av, as), tensor(bv, bs)).toArray(), matmulRef(av, as, bv, bs), 1e-5, 1e-5);
    });
    it('1-D operands are vectors whose dimension the result drops', () => {
      const m = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      expect(matmul(tensor([1, 0, -1]), tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])).toList()).toEqual([-6, -6, -6]);
      expect(matmul(m.reshape(1, 2, 3), tensor([1, 1, 1])).toList()).toEqual([[6, 15]]);
    });
    it('gradients, broadcast batch dimensions and transposed operands included (float64 finite differences)', () => {
      for (const [as, bs] of cases.filter(([as]) => size(as) > 0)) {
        expectGradientsMatch(([a, b]) => matmul(a, b), ([a, b]) => matmulRef(a, as, b, bs),
          [tensor(lcgValues(size(as), 5), as), tensor(lcgValues(size(bs), 6), bs)]);
      }
      // q k^T as attention computes it: B transposed in place.
      const t = (v: ArrayLike<number>) => Float64Array.from({ length: 2 * 3 * 4 }, (_, i) => v[Math.floor(i / 12) * 12 + (i % 3) * 4 + Math.floor((i % 12) / 3)]);
      expectGradientsMatch(([a, b]) => bmm(a, b, false, true), ([a, b]) => matmulRef(a, [2, 3, 4], t(b), [2, 4, 3]),
        [tensor(lcgValues(24, 7), [2, 3, 4]), tensor(lcgValues(24, 8), [2, 3, 4])]);
      expectGradientsMatch(([a, b]) => bmm(a, b, true, false), ([a, b]) => matmulRef(t(a), [2, 4, 3], b, [2, 3, 4]),
        [tensor(lcgValues(24, 9), [2, 3, 4]), tensor(lcgValues(24, 10), [2, 3, 4])]);
    });
    it('names the op and the shapes on a mismatch', () => {
      expect(() => matmul(tensor(lcgValues(12, 1), [2, 2, 3]), tensor(lcgValues(8, 1), [2, 2, 2]))).toThrow(/matmul: inner dimensions differ: \[2, 2, 3\] x \[2, 2, 2\]/);
      expect(() => matmul(tensor(lcgValues(24, 1), [3, 1, 2, 4]), tensor(lcgValues(16, 1), [2, 4, 2]))).not.toThrow();
      expect(() => matmul(tensor(lcgValues(24, 1), [3, 2, 4]), tensor(lcgValues(16, 1), [2, 4, 2]))).toThrow(/matmul: shapes \[3\] and \[2\] do not broadcast/);
    });
  });
});
