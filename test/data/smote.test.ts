import { describe, expect, it } from 'vitest';
import { data, randn, tensor } from '../../src/index.js';
import { countsOf, fixture } from './fixtures.js';

interface Case { sampler?: string; data?: string; strategy?: unknown; counts?: Record<string, number> }
const fx = fixture<{ data: Record<string, number[]>; cases: Case[] }>('resample_counts.json');

/** The strategy as the fixture stores it, in steepest's form. */
function strategyOf(s: unknown): data.SamplingStrategy {
  if (typeof s === 'string' || typeof s === 'number') return s as data.SamplingStrategy;
  return Object.fromEntries(Object.entries(s as Record<string, number>).map(([k, v]) => [Number(k), v]));
}

function bruteKnn(x: Float32Array, n: number, d: number, k: number): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const dist: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < d; c++) s += (x[i * d + c] - x[j * d + c]) ** 2;
      dist.push([s, j]);
    }
    dist.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return dist.slice(0, k).map((p) => p[1]);
  });
}

describe('resampler counts equal imbalanced-learn for every sampling strategy', () => {
  const classes = { SMOTE: data.SMOTE, RandomOverSampler: data.RandomOverSampler, RandomUnderSampler: data.RandomUnderSampler };
  for (const c of fx.cases.filter((k) => k.sampler)) {
    it(`${c.sampler} ${JSON.stringify(c.strategy)} on ${c.data}`, () => {
      const y = fx.data[c.data!];
      const x = randn([y.length, 4]);
      const Cls = classes[c.sampler as keyof typeof classes];
      const r = new Cls({ samplingStrategy: strategyOf(c.strategy), seed: 1 }).fitResample(x, y);
      expect(countsOf(r.y.toArray())).toEqual(c.counts);
      expect(r.x.shape).toEqual([r.y.size, 4]);
    });
  }
});

describe('SMOTE', () => {
  it('native kNN equals a float64 brute-force search', () => {
    const n = 300, d = 13, k = 6;
    const x = randn([n, d]);
    const { indices, distances } = data.kNeighbors(x, k);
    const ref = bruteKnn(x.toFloat32Array(), n, d, k);
    const got = Array.from(indices.toArray());
    expect(got).toEqual(ref.flat());
    const dist = distances.toFloat32Array();
    const xs = x.toFloat32Array();
    let s = 0;
    for (let c = 0; c < d; c++) s += (xs[c] - xs[ref[0][0] * d + c]) ** 2;
    expect(dist[0]).toBeCloseTo(Math.sqrt(s), 5);
  });

  it('every synthetic sample lies on a segment from a minority sample to one of its k nearest minority neighbours', () => {
    const nMaj = 120, nMin = 25, d = 5, k = 5;
    const x = randn([nMaj + nMin, d]);
    const y = Int32Array.from({ length: nMaj + nMin }, (_, i) => (i < nMaj ? 0 : 1));
    const r = new data.SMOTE({ kNeighbors: k, seed: 3 }).fitResample(x, y);
    expect(countsOf(r.y.toArray())).toEqual({ 0: nMaj, 1: nMaj });
    const xs = x.toFloat32Array();
    const out = r.x.toFloat32Array();
    // The original rows come first, unchanged.
    expect(Array.from(out.subarray(0, xs.length))).toEqual(Array.from(xs));
    const minority = xs.subarray(nMaj * d);
    const nn = bruteKnn(minority, nMin, d, k);
    for (let s = nMaj + nMin; s < r.y.size; s++) {
      const p = out.subarray(s * d, (s + 1) * d);
      let best = Infinity;
      for (let i = 0; i < nMin; i++) {
        for (const j of nn[i]) {
          // distance from p to the segment a -> b, with the step clamped to [0, 1]
          let num = 0, den = 0;
          for (let c = 0; c < d; c++) {
            const ab = minority[j * d + c] - minority[i * d + c];
            num += (p[c] - minority[i * d + c]) * ab;
            den += ab * ab;
          }
          const t = Math.min(1, Math.max(0, num / den));
          let dist = 0;
          for (let c = 0; c < d; c++) dist += (minority[i * d + c] + t * (minority[j * d + c] - minority[i * d + c]) - p[c]) ** 2;
          best = Math.min(best, dist);
        }
      }
      expect(Math.sqrt(best)).toBeLessThan(1e-5);
    }
  });

  it('is seeded: same seed, same samples; another seed differs', () => {
    const x = randn([60, 3]);
    const y = Int32Array.from({ length: 60 }, (_, i) => (i % 6 === 0 ? 1 : 0));
    const a = new data.SMOTE({ seed: 5 }).fitResample(x, y).x.toArray();
    const b = new data.SMOTE({ seed: 5 }).fitResample(x, y).x.toArray();
    const c = new data.SMOTE({ seed: 6 }).fitResample(x, y).x.toArray();
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('rejects bad input with clear errors', () => {
    const x = randn([10, 2]);
    const y = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
    expect(() => new data.SMOTE({ kNeighbors: 4 }).fitResample(x, y)).toThrow(/kNeighbors \(4\) must be smaller than the number of samples of class 1 \(4\)/);
    expect(() => new data.SMOTE().fitResample(x, y.slice(1))).toThrow(/x has 10 samples but y has 9 labels/);
    expect(() => new data.SMOTE({ kNeighbors: 1 }).fitResample(tensor([[1, 2], [NaN, 1], [0, 0]]), [0, 0, 1]))
      .toThrow(/SMOTE: features contain NaN at sample 1, feature 0/);
    expect(() => new data.SMOTE().fitResample(tensor(new Float32Array(0), [0, 2]), [])).toThrow(/dataset is empty/);
    expect(() => new data.SMOTE().fitResample(x, new Array(10).fill(0))).toThrow(/needs at least 2 classes/);
    expect(() => new data.SMOTE({ samplingStrategy: 'majority' }).fitResample(x, y)).toThrow(/'majority' cannot be used when over-sampling/);
    expect(() => new data.SMOTE({ samplingStrategy: { 0: 3 } }).fitResample(x, y)).toThrow(/cannot shrink class 0: it has 6 samples and 3 were asked/);
    expect(() => new data.RandomUnderSampler({ samplingStrategy: { 1: 9 } }).fitResample(x, y)).toThrow(/cannot grow class 1/);
    expect(() => new data.SMOTE({ samplingStrategy: 0.1 }).fitResample(x, y)).toThrow(/would need removing samples/);
    expect(() => new data.SMOTE({ kNeighbors: 0 })).toThrow(/SMOTE: option 'kNeighbors' must be an integer >= 1/);
  });

  it('random samplers draw members of the right class', () => {
    const x = tensor(Float32Array.from({ length: 12 }, (_, i) => i), [12, 1]);
    const y = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0];
    const over = new data.RandomOverSampler({ seed: 2 }).fitResample(x, y);
    const xs = over.x.toArray();
    const ys = over.y.toArray();
    ys.forEach((c, i) => expect(y[xs[i]]).toBe(c));
    const under = new data.RandomUnderSampler({ seed: 2 }).fitResample(x, y);
    expect(countsOf(under.y.toArray())).toEqual({ 0: 3, 1: 3 });
    expect(new Set(under.sampleIndices).size).toBe(6);
  });
});
