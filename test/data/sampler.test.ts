import { describe, expect, it } from 'vitest';
import { data, Generator, tensor } from '../../src/index.js';

/** Fisher-Yates in JavaScript with the Generator: the definition the native shuffle must equal. */
function jsPermutation(n: number, g: Generator): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.nextInt(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

describe('seeded permutations and samplers', () => {
  it('native permutation equals a JavaScript Fisher-Yates with Generator.nextInt', () => {
    for (const [n, seed] of [[1, 0], [2, 1], [17, 7], [1000, 123456789]]) {
      const g = new Generator(seed);
      g.offset = 5;
      const native = Array.from(data.permutation(n, g).toArray());
      const ref = new Generator(seed);
      ref.offset = 5;
      expect(native).toEqual(jsPermutation(n, ref));
      expect(g.offset).toBe(ref.offset);
    }
  });

  it('RandomSampler epochs are reproducible from (seed, epoch)', () => {
    const s = new data.RandomSampler(100, { seed: 4 });
    const out = tensor(new Int32Array(100));
    s.fill(out, 3);
    const a = Array.from(out.toArray());
    s.fill(out, 0);
    const b = Array.from(out.toArray());
    s.fill(out, 3);
    expect(Array.from(out.toArray())).toEqual(a);
    expect(b).not.toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('WeightedRandomSampler frequencies converge to the normalized weights', () => {
    const weights = [1, 0, 2, 5, 0.5, 1.5];
    const total = weights.reduce((a, b) => a + b, 0);
    const draws = 200_000;
    const s = new data.WeightedRandomSampler(weights, draws, { seed: 8 });
    const out = tensor(new Int32Array(draws));
    s.fill(out, 0);
    const counts = new Array(weights.length).fill(0);
    for (const i of out.toArray()) counts[i]++;
    weights.forEach((w, i) => {
      const p = w / total;
      // 5 binomial standard deviations
      expect(Math.abs(counts[i] / draws - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / draws) + 1e-12);
    });
    expect(counts[1]).toBe(0);
  });

  it('WeightedRandomSampler validates its weights', () => {
    expect(() => new data.WeightedRandomSampler([1, -1], 3)).toThrow(/WeightedRandomSampler: argument 'weights'\[1\] must be >= 0, got -1/);
    expect(() => new data.WeightedRandomSampler([0, 0], 3)).toThrow(/must not all be zero/);
    expect(() => new data.WeightedRandomSampler([1, NaN], 3)).toThrow(/'weights'\[1\] must be >= 0, got NaN/);
    expect(() => new data.WeightedRandomSampler([1], 3, { replacement: false })).toThrow(/replacement=false is not supported/);
  });

  it('the native binding rejects bad arguments without crashing', () => {
    const t = tensor(new Int32Array(4));
    const addon = (data as unknown as Record<string, unknown>);
    void addon;
    expect(() => data.permutation(5, new Generator(0), t)).toThrow(/out must be int32 with 5 elements/);
  });
});
