/**
 * Reductions over each axis (and over everything) against float64 references, with keepDim,
 * NaN handling, and finite-difference checks of sum and mean.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argmax, max, mean, min, sum, tensor, type Tensor } from '../../src/index.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { arbTensorData, expectClose, lcgValues, runs, size } from './reference.js';
import { onEachDevice } from '../helpers/devices.js';

onEachDevice(() => {

type Fold = (values: number[]) => number;
const folds: Record<'sum' | 'mean' | 'max' | 'min' | 'argmax', Fold> = {
  sum: (v) => v.reduce((a, b) => a + b, 0),
  mean: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  max: (v) => v.reduce((a, b) => (Number.isNaN(a) || a >= b ? a : b)),
  min: (v) => v.reduce((a, b) => (Number.isNaN(a) || a <= b ? a : b)),
  // First position of the maximum on ties, as torch.
  argmax: (v) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0),
};
const fns: Record<keyof typeof folds, (x: Tensor, axis?: number, keepDim?: boolean) => Tensor> = { sum, mean, max, min, argmax };

/** Float64 reduction of `axis` (undefined: everything) of a row-major [shape] array. */
function reduceRef(x: ArrayLike<number>, shape: number[], axis: number | undefined, fold: Fold): number[] {
  if (axis === undefined) return [fold(Array.from(x))];
  const outer = size(shape.slice(0, axis));
  const n = shape[axis];
  const inner = size(shape.slice(axis + 1));
  const out: number[] = [];
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) out.push(fold(Array.from({ length: n }, (_, k) => x[(o * n + k) * inner + i])));
  return out;
}

const outShape = (shape: number[], axis: number | undefined, keepDim: boolean) =>
  axis === undefined ? (keepDim ? shape.map(() => 1) : []) : keepDim ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis);

describe('reductions over each axis', () => {
  for (const name of Object.keys(folds) as (keyof typeof folds)[]) {
    it(`${name} matches a float64 reference over every axis, negative axes and keepDim`, () => {
      fc.assert(
        fc.property(arbTensorData(1, 4, 5), fc.boolean(), ([shape, x], keepDim) => {
          const t = tensor(x, shape);
          for (const axis of [undefined, ...shape.keys()]) {
            const want = reduceRef(x, shape, axis, folds[name]);
            for (const given of axis === undefined ? [undefined] : [axis, axis - shape.length]) {
              const out = fns[name](t, given, keepDim);
              expect(out.shape).toEqual(outShape(shape, axis, keepDim));
              expect(out.dtype).toBe(name === 'argmax' ? 'int32' : 'float32');
              if (name === 'argmax') expect(Array.from(out.toArray())).toEqual(want);
              else expectClose(out.toArray(), want, 2e-6, 1e-5);
            }
          }
        }),
        runs(40),
      );
    });
  }

  it('large reductions (parallel path, long axes) match', () => {
    const shape = [37, 1500];
    const x = lcgValues(size(shape), 9, -1, 1);
    const t = tensor(x, shape);
    for (const name of Object.keys(folds) as (keyof typeof folds)[]) {
      for (const axis of [0, 1, undefined]) {
        const want = reduceRef(x, shape, axis, folds[name]);
        const got = fns[name](t, axis).toArray();
        if (name === 'argmax') expect(Array.from(got)).toEqual(want);
        else expectClose(got, want, 1e-5, 1e-5);
      }
    }
  });

  it('NaN propagates through max/min and argmax points at it, as torch', () => {
    const t = tensor([[1, NaN, 3], [4, 5, 6]]);
    expect(Array.from(max(t, 1).toArray())).toEqual([NaN, 6]);
    expect(Array.from(min(t, 1).toArray())).toEqual([NaN, 4]);
    expect(Array.from(argmax(t, 1).toArray())).toEqual([1, 2]);
  });

  it('empty axes: sum is 0, mean NaN, max/min/argmax throw naming the op', () => {
    const t = tensor(new Float32Array(0), [2, 0]);
    expect(Array.from(sum(t, 1).toArray())).toEqual([0, 0]);
    expect(Number.isNaN(mean(t, 1).toArray()[0])).toBe(true);
    expect(() => max(t, 1)).toThrow(/max: cannot reduce an empty axis/);
    expect(() => min(t, 1)).toThrow(/min: cannot reduce an empty axis/);
    expect(() => argmax(t, 1)).toThrow(/argmax:/);
  });

  it('bad axes throw naming the op', () => {
    const t = tensor([[1, 2]]);
    expect(() => sum(t, 2)).toThrow(/sum: axis 2 is out of range/);
    expect(() => mean(t, -3)).toThrow(/mean: axis -3/);
    expect(() => argmax(t, 0.5)).toThrow(/argmax: argument 'axis' must be an integer, got 0.5/);
  });
});

describe('reduction gradients (finite differences, float64 reference)', () => {
  for (const name of ['sum', 'mean'] as const) {
    it(`${name} over every axis and over everything`, () => {
      fc.assert(
        fc.property(arbTensorData(1, 3, 4), fc.boolean(), ([shape, x], keepDim) => {
          for (const axis of [undefined, ...shape.keys()]) {
            expectGradientsMatch(([t]) => fns[name](t, axis, keepDim), ([v]) => reduceRef(v, shape, axis, folds[name]), [tensor(x, shape)]);
          }
        }),
        runs(15),
      );
    });
  }
});
});
