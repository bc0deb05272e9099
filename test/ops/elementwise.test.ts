/**
 * Elementwise ops against float64 references: binary ops with every broadcast layout (public
 * shapes and all 16 kernel layout pairs), scalar forms, and the binary ops' gradients by
 * finite differences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, div, mul, sub, tensor, type Shape, type Tensor } from '../../src/index.js';
import { binaryKernel, scalarKernel, type BinaryName } from '../../src/ops/kernels.js';
import type { Layout } from '../../src/ops/broadcast.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { arbShape, arbValues, awayFrom, broadcastRef, expectClose, lcgValues, runs, size } from './reference.js';
import { onEachDevice } from '../helpers/devices.js';

onEachDevice(() => {

type Op = 'add' | 'sub' | 'mul' | 'div';
const ops: Record<Op, (a: Tensor | number, b: Tensor | number) => Tensor> = { add, sub, mul, div };
const f64: Record<BinaryName, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  maximum: Math.max,
  minimum: Math.min,
};

/** The shapes a [shape] tensor meets as the other operand, one per broadcast layout. */
function partners(shape: Shape): [string, Shape][] {
  const list: [string, Shape][] = [['same shape', shape], ['one element [1]', [1]], ['a 0-d scalar', []]];
  for (let k = 1; k < shape.length; k++) list.push([`trailing dims ${k}..`, shape.slice(k)]);
  if (shape[shape.length - 1] !== 1) list.push(['a column [..., 1]', [...shape.slice(0, -1), 1]]);
  return list;
}

/** Divisors stay at least 0.25 from zero. */
const denominators = (v: Float32Array) => awayFrom(v, [0], 0.25);

describe('binary ops with broadcasting', () => {
  for (const op of Object.keys(ops) as Op[]) {
    it(`${op} matches a float64 reference for every layout, both operand orders`, () => {
      fc.assert(
        fc.property(arbShape(1, 3, 6), fc.integer({ min: 1, max: 2 ** 30 }), (shape, seed) => {
          for (const [, other] of partners(shape)) {
            for (const swap of [false, true]) {
              const [as, bs] = swap ? [other, shape] : [shape, other];
              const av = lcgValues(size(as), seed, -3, 3);
              const bvRaw = lcgValues(size(bs), seed + 1, -3, 3);
              const bv = op === 'div' ? denominators(bvRaw) : bvRaw;
              const out = ops[op](tensor(av, as), tensor(bv, bs));
              const want = broadcastRef(av, as, bv, bs, f64[op]);
              expect(out.shape).toEqual(want.shape);
              expectClose(out.toArray(), want.values, 1e-6, 1e-6);
            }
          }
        }),
        runs(30),
      );
    });
  }

  it('shapes that do not broadcast throw naming the op and both shapes', () => {
    expect(() => add(tensor(new Float32Array(6), [2, 3]), tensor(new Float32Array(2), [2]))).toThrow(/add: shapes \[2, 3\] and \[2\]/);
    expect(() => mul(tensor(new Float32Array(6), [2, 3]), tensor(new Float32Array(4), [4]))).toThrow(/mul:/);
    expect(() => add(tensor([1, 2], { dtype: 'int32' }), tensor([1, 2]))).toThrow(/add: argument 'a' must be a float32 Tensor, got Tensor\(int32, \[2\]\)/);
    expect(() => add(1 as unknown as Tensor, 2)).toThrow(/add: at least one operand/);
  });
});

describe('binary kernel layouts', () => {
  const layouts: Layout[] = ['full', 'row', 'column', 'scalar'];
  const count = (l: Layout, rows: number, cols: number) => (l === 'full' ? rows * cols : l === 'row' ? cols : l === 'column' ? rows : 1);
  const at = (v: Float32Array, l: Layout, r: number, c: number, cols: number) =>
    l === 'full' ? v[r * cols + c] : l === 'row' ? v[c] : l === 'column' ? v[r] : v[0];

  it('every (a, b) layout pair of every op matches the reference, on sizes that split over threads', () => {
    // 300 x 130 = 39000 elements: above the kernels' 2^15 grain, so the parallel path runs too.
    for (const [rows, cols] of [[3, 5], [1, 7], [300, 130], [0, 4]]) {
      for (const name of Object.keys(f64) as BinaryName[]) {
        for (const la of layouts) {
          for (const lb of layouts) {
            const av = lcgValues(count(la, rows, cols), rows + cols, -2, 2);
            const bv = denominators(lcgValues(count(lb, rows, cols), rows * 7 + 1, -2, 2));
            const plan = { shape: [rows, cols], rows, cols, a: la, b: lb };
            const out = binaryKernel(name, tensor(av), tensor(bv), plan);
            const want = new Float64Array(rows * cols);
            for (let r = 0; r < rows; r++)
              for (let c = 0; c < cols; c++) want[r * cols + c] = f64[name](at(av, la, r, c, cols), at(bv, lb, r, c, cols));
            expectClose(out.toArray(), want, 1e-6, 1e-6);
            out.dispose();
          }
        }
      }
    }
  });

  it('maximum and minimum propagate NaN, as torch.maximum', () => {
    const plan = { shape: [3], rows: 1, cols: 3, a: 'full' as Layout, b: 'full' as Layout };
    const a = tensor([NaN, 1, 2]);
    const b = tensor([0, NaN, 3]);
    expect(Array.from(binaryKernel('maximum', a, b, plan).toArray())).toEqual([NaN, NaN, 3]);
    expect(Array.from(binaryKernel('minimum', a, b, plan).toArray())).toEqual([NaN, NaN, 2]);
  });
});

describe('scalar forms', () => {
  for (const op of Object.keys(ops) as Op[]) {
    it(`${op}(tensor, s) and ${op}(s, tensor) match the reference`, () => {
      fc.assert(
        fc.property(arbShape(0, 3, 6).chain((s) => fc.tuple(fc.constant(s), arbValues(size(s), -3, 3))),
          fc.float({ min: -3, max: 3, noNaN: true }), ([shape, raw], s) => {
            const scalar = op === 'div' && Math.abs(s) < 0.25 ? 0.5 : s;
            const values = op === 'div' ? denominators(raw) : raw;
            const t = tensor(values, shape);
            const right = ops[op](t, scalar);
            const left = ops[op](scalar, t);
            expect(right.shape).toEqual(shape);
            expectClose(right.toArray(), Array.from(values, (v) => f64[op](v, Math.fround(scalar))), 1e-6, 1e-6);
            expectClose(left.toArray(), Array.from(values, (v) => f64[op](Math.fround(scalar), v)), 1e-6, 1e-6);
          }),
        runs(40),
      );
    });
  }

  it('a large scalar op (parallel path) matches', () => {
    const v = lcgValues(100_003, 5, -3, 3);
    expectClose(scalarKernel('mul', tensor(v), 3).toArray(), Array.from(v, (x) => x * 3), 1e-6, 0);
  });
});

describe('binary gradients (finite differences, float64 reference)', () => {
  for (const op of Object.keys(ops) as Op[]) {
    it(`${op}: gradients of both operands for every layout`, () => {
      fc.assert(
        fc.property(arbShape(1, 3, 4), fc.integer({ min: 1, max: 2 ** 30 }), (shape, seed) => {
          for (const [, other] of partners(shape)) {
            for (const swap of [false, true]) {
              const [as, bs] = swap ? [other, shape] : [shape, other];
              const a = tensor(lcgValues(size(as), seed, -2, 2), as);
              const braw = lcgValues(size(bs), seed + 3, -2, 2);
              const b = tensor(op === 'div' ? denominators(braw) : braw, bs);
              expectGradientsMatch(([x, y]) => ops[op](x, y), ([x, y]) => broadcastRef(x, as, y, bs, f64[op]).values, [a, b]);
            }
          }
        }),
        runs(8),
      );
    });

    it(`${op}: gradients of the scalar forms`, () => {
      const t = tensor(denominators(lcgValues(6, 11, -2, 2)), [2, 3]);
      expectGradientsMatch(([x]) => ops[op](x, 1.75), ([x]) => Array.from(x, (v) => f64[op](v, 1.75)), [t]);
      expectGradientsMatch(([x]) => ops[op](-1.25, x), ([x]) => Array.from(x, (v) => f64[op](-1.25, v)), [t]);
    });
  }
});
});
