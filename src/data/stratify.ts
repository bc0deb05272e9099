/**
 * How many samples of each class a stratified draw takes: scikit-learn's "approximate mode"
 * of the multivariate hypergeometric distribution. Class i gets floor(n * count_i / total);
 * the draws still missing go to the classes with the largest remainders, ties broken at
 * random (with the given generator).
 */
import type { Generator } from '../random.js';

/** Per-class draw counts summing to `draws`, proportional to `counts`. */
export function approximateMode(counts: readonly number[], draws: number, generator: Generator): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const continuous = counts.map((c) => (c / total) * draws);
  const floored = continuous.map(Math.floor);
  let missing = draws - floored.reduce((a, b) => a + b, 0);
  if (missing > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const tied = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const take = Math.min(tied.length, missing);
      // A random subset of the tied classes: a partial Fisher-Yates.
      for (let j = 0; j < take; j++) {
        const pick = j + generator.nextInt(tied.length - j);
        [tied[j], tied[pick]] = [tied[pick], tied[j]];
        floored[tied[j]]++;
      }
      missing -= take;
      if (missing === 0) break;
    }
  }
  return floored;
}
