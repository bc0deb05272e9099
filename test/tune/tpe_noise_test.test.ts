// The "within noise" test bench:tune applies to TPE against Optuna's TPE (bench/tune/stats.ts):
// the Mann–Whitney U test against scipy.stats.mannwhitneyu (scipy 1.10, method 'exact' and
// 'asymptotic'), and the bootstrap CI's basic properties.
import { describe, expect, it } from 'vitest';
import { bootstrapMedianDiff, mannWhitneyU, median } from '../../bench/tune/stats.js';

// Two lognormal samples of 20 (numpy RandomState(1), rounded to 6 digits), the second shifted.
const A = [5.075096, 0.542397, 0.589682, 0.341992, 2.375974, 0.100105, 5.724824, 0.467102, 1.375805, 0.779291, 4.315046, 0.127436, 0.724396, 0.681094, 3.107347, 0.332907, 0.841619, 0.415672, 1.043117, 1.791074];
const B = [0.74036, 6.9917, 5.482662, 3.678461, 5.478635, 1.123302, 1.968181, 0.873044, 1.702524, 3.782388, 1.114426, 1.496676, 1.119439, 0.955801, 1.13741, 2.197533, 0.728105, 2.813462, 11.702496, 4.674135];

describe('Mann–Whitney U (two-sided)', () => {
  it('exact p without ties, as scipy', () => {
    expect(mannWhitneyU(A, B)).toEqual({ u: 100, p: expect.closeTo(0.006144955649235766, 12), method: 'exact' });
    expect(mannWhitneyU(B, A).u).toBe(300);
    expect(mannWhitneyU(B, A).p).toBeCloseTo(0.006144955649235766, 12);
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6])).toEqual({ u: 0, p: expect.closeTo(0.1, 12), method: 'exact' });
    expect(mannWhitneyU(A, A.map((v) => v + 1e-7)).p).toBeGreaterThan(0.5);
  });

  it('normal approximation with tie correction and continuity correction under ties, as scipy', () => {
    const t = mannWhitneyU([1, 2, 2, 3, 3, 3, 4], [2, 3, 4, 4, 5, 5]);
    expect(t.method).toBe('asymptotic');
    expect(t.u).toBe(8.5);
    expect(t.p).toBeCloseTo(0.07826242947714618, 9);
    expect(mannWhitneyU([1, 1], [1, 1]).p).toBe(1);
  });

  it('refuses an empty sample', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(/at least one value/);
  });
});

describe('bootstrap CI of the difference of medians', () => {
  it('brackets the observed difference, is reproducible by seed and excludes 0 for a clear shift', () => {
    const ci = bootstrapMedianDiff(A, B, { seed: 3 });
    expect(ci.diff).toBeCloseTo(median(A) - median(B), 14);
    expect(ci.low).toBeLessThanOrEqual(ci.diff);
    expect(ci.high).toBeGreaterThanOrEqual(ci.diff);
    expect(bootstrapMedianDiff(A, B, { seed: 3 })).toEqual(ci);
    const shifted = bootstrapMedianDiff(A, A.map((v) => v + 10), { seed: 1 });
    expect(shifted.high).toBeLessThan(0);
    const same = bootstrapMedianDiff(A, A, { seed: 1 });
    expect(same.low).toBeLessThanOrEqual(0);
    expect(same.high).toBeGreaterThanOrEqual(0);
  });
});
