/**
 * "Within noise" for bench:tune: is one sampler's per-seed regret distinguishable from another's?
 * The seeds of two implementations are unrelated random streams, so the samples are independent
 * (not paired), skewed and spread over orders of magnitude; two rank/resampling tools fit:
 *
 *   mannWhitneyU(a, b)   two-sided Mann–Whitney U (Wilcoxon rank-sum) test of "a and b come from
 *                        the same distribution" against a shift either way. U counts the pairs
 *                        (a_i, b_j) with a_i > b_j (ties ½). Exact p-value (the null distribution
 *                        of U by the usual recurrence over (m, n)) when there are no ties and
 *                        m·n ≤ 10⁴; otherwise the normal approximation with tie-corrected
 *                        variance and a continuity correction — the textbook forms, and what
 *                        scipy.stats.mannwhitneyu(method='exact' / 'asymptotic') return.
 *   bootstrapMedianDiff  percentile bootstrap CI of median(a) − median(b): each group resampled
 *                        with replacement on its own, `resamples` times, from a seeded generator
 *                        (sfc32: the library's BigInt SplitMix64 is too slow for 10⁵·n draws).
 *
 * bench:tune calls two samplers "within noise" of each other at a trial count when the U test does
 * not reject at α = 0.05 (p ≥ 0.05); the CI is printed beside it so the size of a possible
 * difference is visible too.
 */
import { ndtr } from '../../src/tune/math/normal.js';

export interface UTest {
  /** U of the first sample: #{a_i > b_j} + ½ #{a_i = b_j}. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'asymptotic';
}

export function mannWhitneyU(a: readonly number[], b: readonly number[]): UTest {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) throw new RangeError('mannWhitneyU: both samples need at least one value');
  // Mid-ranks of the pooled sample, and the tie groups' sizes for the variance correction.
  const pooled = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const N = m + n;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < N; ) {
    let j = i;
    while (j + 1 < N && pooled[j + 1].v === pooled[i].v) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (pooled[k].g === 0) rankSumA += midRank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const u = rankSumA - (m * (m + 1)) / 2;
  if (tieTerm === 0 && m * n <= 10_000) return { u, p: exactTwoSided(u, m, n), method: 'exact' };
  const mean = (m * n) / 2;
  const sd = Math.sqrt(((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1))));
  if (sd === 0) return { u, p: 1, method: 'asymptotic' };
  const z = Math.max(Math.abs(u - mean) - 0.5, 0) / sd;
  return { u, p: Math.min(1, 2 * ndtr(-z)), method: 'asymptotic' };
}

/** 2·min(P(U ≤ u), P(U ≥ u)) under H0 with sample sizes m and n, capped at 1. */
function exactTwoSided(u: number, m: number, n: number): number {
  // counts[i][k] = number of orderings of i a's and (current) j b's with U = k; rolled over j.
  // f(i, j, k) = f(i − 1, j, k − j) + f(i, j − 1, k): the largest value is an a (it beats all j b's) or a b.
  let prev: Float64Array[] = Array.from({ length: m + 1 }, () => Float64Array.of(1)); // j = 0: U = 0 only
  for (let j = 1; j <= n; j++) {
    const cur: Float64Array[] = [];
    for (let i = 0; i <= m; i++) {
      const row = new Float64Array(i * j + 1);
      const fromB = prev[i]; // f(i, j − 1, k)
      for (let k = 0; k < fromB.length; k++) row[k] += fromB[k];
      if (i > 0) {
        const fromA = cur[i - 1]; // f(i − 1, j, k − j)
        for (let k = 0; k < fromA.length; k++) row[k + j] += fromA[k];
      }
      cur.push(row);
    }
    prev = cur;
  }
  const dist = prev[m];
  let total = 0;
  for (const c of dist) total += c;
  let lower = 0;
  let upper = 0;
  for (let k = 0; k < dist.length; k++) {
    if (k <= u) lower += dist[k];
    if (k >= u) upper += dist[k];
  }
  return Math.min(1, (2 * Math.min(lower, upper)) / total);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export interface MedianDiffCI {
  /** median(a) − median(b). */
  diff: number;
  low: number;
  high: number;
  level: number;
}

/** Percentile bootstrap CI of median(a) − median(b) (independent resampling of each group). */
export function bootstrapMedianDiff(a: readonly number[], b: readonly number[], options: { resamples?: number; level?: number; seed?: number } = {}): MedianDiffCI {
  const resamples = options.resamples ?? 10_000;
  const level = options.level ?? 0.95;
  const nextInt = sfc32(options.seed ?? 0);
  const draw = (xs: readonly number[]) => {
    const out = new Array<number>(xs.length);
    for (let i = 0; i < xs.length; i++) out[i] = xs[nextInt(xs.length)];
    return median(out);
  };
  const diffs = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) diffs[r] = draw(a) - draw(b);
  diffs.sort();
  const q = (p: number) => diffs[Math.min(resamples - 1, Math.max(0, Math.round(p * (resamples - 1))))];
  return { diff: median(a) - median(b), low: q((1 - level) / 2), high: q((1 + level) / 2), level };
}

/** Chris Doty-Humphrey's Small Fast Counter generator (sfc32), returning an integer in [0, n). */
function sfc32(seed: number): (n: number) => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // mix the seed in
  return (n) => Math.floor(next() * n);
}
