/**
 * Float64 JavaScript references and fast-check arbitraries shared by the op tests.
 * Every reference works on the float32 inputs read back from the tensor (so input rounding is
 * the same on both sides) and computes in float64; results are compared with a relative
 * tolerance suited to one float32 rounding of each step.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Shape } from '../../src/index.js';

export const size = (shape: Shape) => shape.reduce((p, d) => p * d, 1);

/** Row-major strides. */
export function strides(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** NumPy broadcasting of two shapes (right-aligned, size-1 dimensions stretch). */
export function broadcastShape(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`reference: ${a} and ${b} do not broadcast`);
    return da === 1 ? db : da;
  });
}

/** out[i] = f(a[...], b[...]) with NumPy broadcasting, in float64. */
export function broadcastRef(a: ArrayLike<number>, as: Shape, b: ArrayLike<number>, bs: Shape,
  f: (x: number, y: number) => number): { shape: number[]; values: Float64Array } {
  const shape = broadcastShape(as, bs);
  const n = size(shape);
  const os = strides(shape);
  const index = (s: Shape, flat: number) => {
    const st = strides(s);
    let k = 0;
    for (let d = 0; d < s.length; d++) {
      const od = shape.length - s.length + d;
      const coord = Math.floor(flat / os[od]) % shape[od];
      k += (s[d] === 1 ? 0 : coord) * st[d];
    }
    return k;
  };
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = f(a[index(as, i)], b[index(bs, i)]);
  return { shape, values };
}

/** Asserts |got - want| <= atol + rtol |want| everywhere (NaN matches NaN), listing misses. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  expect(got.length).toBe(want.length);
  const misses: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    const ok = Number.isNaN(w) ? Number.isNaN(g) : g === w || Math.abs(g - w) <= atol + rtol * Math.abs(w);
    if (!ok && misses.length < 5) misses.push(`[${i}] got ${g}, want ${w}`);
  }
  expect(misses).toEqual([]);
}

/** erf to ~1e-12 for |x| <= 3 (Taylor series) and ~1e-8 beyond (asymptotic erfc series). */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax <= 3) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  const t = 1 / (2 * x * x);
  const erfc = (Math.exp(-x * x) / (ax * Math.sqrt(Math.PI))) * (1 - t + 3 * t * t - 15 * t ** 3 + 105 * t ** 4);
  return Math.sign(x) * (1 - erfc);
}

/** Standard normal CDF and density. */
export const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
export const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** A shape of rank [minRank, maxRank] with dimensions in [1, maxDim]. */
export const arbShape = (minRank = 1, maxRank = 4, maxDim = 5) =>
  fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });

/** float32 values in [min, max] (no NaN or infinities), exactly `n` of them. */
export const arbValues = (n: number, min = -4, max = 4) =>
  fc.float32Array({ minLength: n, maxLength: n, min: Math.fround(min), max: Math.fround(max), noNaN: true, noDefaultInfinity: true });

/** A shape and values filling it. */
export const arbTensorData = (minRank = 1, maxRank = 4, maxDim = 5, min = -4, max = 4) =>
  arbShape(minRank, maxRank, maxDim).chain((shape) => fc.tuple(fc.constant(shape), arbValues(size(shape), min, max)));

/** Deterministic values in [lo, hi) for the cases that do not need shrinking. */
export function lcgValues(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 2 ** 32;
  });
}

/** Moves values closer than `gap` to any of `points` away from them (finite differences need smooth ground). */
export function awayFrom(values: Float32Array, points: number[], gap = 0.05): Float32Array {
  return values.map((v) => {
    for (const p of points) if (Math.abs(v - p) < gap) return p + (v >= p ? gap : -gap) * 2;
    return v;
  });
}

/**
 * fast-check settings for the property tests: enough runs to cover shapes, seeded so CI is
 * repeatable. FC_SEED=<n> explores other cases; a failure prints the seed and path to replay.
 */
export const runs = (numRuns = 40) => ({ numRuns, seed: Number(process.env.FC_SEED ?? 20251123) });
