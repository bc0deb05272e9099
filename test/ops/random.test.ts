/**
 * The one RNG (SplitMix64 in counter mode, native/common/rng.h): native fills reproduce the
 * documented formula exactly, are the same for any thread count, continue a generator's
 * stream, and have the right moments.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Generator, numThreads, rand, randn, setNumThreads, uniform } from '../../src/index.js';
import { splitmix64 } from '../../src/random.js';

const initialThreads = numThreads();
afterEach(() => setNumThreads(initialThreads));

/** The documented uniform draw i of seed s: top 24 bits of SplitMix64 / 2^24. */
const uniformRef = (seed: number, i: number) => Number(splitmix64(BigInt(seed), BigInt(i)) >> 40n) / 2 ** 24;

/** Box-Muller on draws (2k, 2k+1) with 53-bit uniforms in (0, 1], as rng.h documents. */
function normalRef(seed: number, i: number): number {
  const open01 = (j: number) => (Number(splitmix64(BigInt(seed), BigInt(j)) >> 11n) + 1) / 2 ** 53;
  const k = i - (i % 2);
  const r = Math.sqrt(-2 * Math.log(open01(k)));
  const theta = 2 * Math.PI * open01(k + 1);
  return Math.fround(i % 2 ? r * Math.sin(theta) : r * Math.cos(theta));
}

function moments(x: ArrayLike<number>) {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - m) ** 2;
  return { mean: m, std: Math.sqrt(v / (x.length - 1)) };
}

describe('random fills', () => {
  it('uniform draws equal the documented SplitMix64 formula, bit for bit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 50 }), (seed, n) => {
        const got = rand([n], { generator: new Generator(seed) }).toArray();
        expect(Array.from(got)).toEqual(Array.from({ length: n }, (_, i) => uniformRef(seed, i)));
      }),
      { numRuns: 30, seed: 1 },
    );
  });

  it('normal draws equal the documented Box-Muller formula', () => {
    for (const seed of [0, 1, 12345, 2 ** 40 + 3]) {
      const got = randn([33], { generator: new Generator(seed) }).toArray();
      const want = Array.from({ length: 33 }, (_, i) => normalRef(seed, i));
      // Native sin/cos/log may differ from V8's in the last bit of the double before rounding to float.
      for (let i = 0; i < 33; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[i])));
    }
  });

  it('the same seed reproduces the same tensor; another seed does not', () => {
    const a = randn([1000], { generator: new Generator(42) }).toArray();
    const b = randn([1000], { generator: new Generator(42) }).toArray();
    const c = randn([1000], { generator: new Generator(43) }).toArray();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('does not depend on the thread count (setNumThreads(1) vs 2)', () => {
    // 300k elements: far above the fills' parallel grain, so two threads really split the work.
    const draw = (threads: number) => {
      setNumThreads(threads);
      const g = new Generator(7);
      return [uniform([300_000], -2, 3, { generator: g }).toArray(), randn([300_001], { generator: g }).toArray()];
    };
    const one = draw(1);
    const two = draw(2);
    expect(numThreads()).toBe(2);
    expect(Buffer.from(one[0].buffer).equals(Buffer.from(two[0].buffer))).toBe(true);
    expect(Buffer.from(one[1].buffer).equals(Buffer.from(two[1].buffer))).toBe(true);
  });

  it('a generator continues its stream: two draws of n equal one draw of 2n', () => {
    const g = new Generator(99);
    const first = rand([10], { generator: g }).toArray();
    const second = rand([10], { generator: g }).toArray();
    const whole = rand([20], { generator: new Generator(99) }).toArray();
    expect([...first, ...second]).toEqual(Array.from(whole));
    expect(g.offset).toBe(20);
  });

  it('uniform and normal moments are right', () => {
    const n = 200_000;
    const g = new Generator(2024);
    const u = uniform([n], -1, 3, { generator: g }).toFloat32Array();
    const um = moments(u);
    // Standard errors: mean 4/sqrt(12 n) ~ 0.0026, std ~ 0.0018; allow about 4 of them.
    expect(Math.abs(um.mean - 1)).toBeLessThan(0.011);
    expect(Math.abs(um.std - 4 / Math.sqrt(12))).toBeLessThan(0.008);
    expect(u.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(-1);
    expect(u.reduce((a, b) => Math.max(a, b))).toBeLessThan(3);
    const z = randn([n], { generator: g, mean: 2, std: 0.5 }).toArray();
    const zm = moments(z);
    expect(Math.abs(zm.mean - 2)).toBeLessThan(0.005);
    expect(Math.abs(zm.std - 0.5)).toBeLessThan(0.004);
    // About 68.3% within one std.
    const inside = z.filter((v) => Math.abs(v - 2) < 0.5).length / n;
    expect(Math.abs(inside - 0.6827)).toBeLessThan(0.005);
  });

  it('bad arguments throw naming the op', () => {
    expect(() => uniform([2], 1, 0)).toThrow(/uniform: argument 'high' must be >= 1, got 0/);
    expect(() => randn([2], { std: -1 })).toThrow(/randn: option 'std' must be >= 0, got -1/);
    expect(() => new Generator(-1)).toThrow(/Generator: argument 'seed' must be an integer >= 0, got -1/);
    expect(() => new Generator(2 ** 53)).toThrow(/seed/);
  });
});
