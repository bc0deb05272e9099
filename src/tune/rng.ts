/**
 * Randomness for the tune area. Samplers draw from the library's own generator (src/random.ts:
 * SplitMix64 in counter mode) rather than a PRNG of their own, because draw i of seed s is a
 * pure function of (s, i): the same numbers on every machine, and a stream can be opened at any
 * point without replaying what came before. Samplers use that to give every trial its own
 * stream, `streamFor(seed, purpose, trialNumber)`, so a trial's suggestions depend only on the
 * seed and its number — not on how many other trials this process ran, which keeps a study
 * reproducible when it resumes from a journal in a new process.
 */
import { Generator, splitmix64 } from '../random.js';

export type { Generator };

/** A 53-bit seed derived from `seed` and small integers (a purpose tag, a trial number...). */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let s = BigInt(seed);
  for (const p of parts) s = splitmix64(s, BigInt(p));
  return Number(s >> 11n);
}

/** The generator of trial `trialNumber` for one purpose of one sampler. */
export function streamFor(seed: number, purpose: number, trialNumber: number): Generator {
  return new Generator(deriveSeed(seed, purpose, trialNumber));
}

/** Purpose tags, so two samplers with one seed still draw independent numbers. */
export const STREAM = { random: 1, tpe: 2, grid: 3, qmc: 4, gp: 5 } as const;

/** Index drawn with probabilities proportional to `weights` (inverse CDF of one uniform). */
export function choice(rng: Generator, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  let u = rng.nextFloat() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  // Rounding left u at 0: the last index with positive weight.
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return weights.length - 1;
}
