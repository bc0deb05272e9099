/**
 * RandomSampler (optuna.samplers.RandomSampler): each parameter independently uniform — in log
 * space for log parameters, over equal-width cells for stepped ones (search_space/transform.ts),
 * and uniform over the choices of a categorical.
 */
import { CategoricalDistribution, type Distribution, type ParamValue } from '../distributions.js';
import type { FrozenTrial } from '../frozen_trial.js';
import { checkOptionKeys, freshSeed } from '../options.js';
import { STREAM, streamFor, type Generator } from '../rng.js';
import { transformedBounds, untransform } from '../search_space/transform.js';
import type { Sampler } from './base.js';
import { copyOptions } from '../arguments.js';

/** Options of RandomSampler: the seed. */
export interface RandomSamplerOptions {
  /** Trial t draws from the stream (seed, t): the same seed gives the same study. */
  seed?: number;
}

/** Each parameter independently uniform, in log space for log parameters (optuna.samplers.RandomSampler). */
export class RandomSampler implements Sampler {
  readonly seed: number;
  private readonly streams = new TrialStreams();

  constructor(options: RandomSamplerOptions = {}) {
    options = copyOptions<typeof options>('RandomSampler', options) ?? {};
    checkOptionKeys('RandomSampler', options, ['seed']);
    this.seed = options.seed ?? freshSeed();
  }

  inferRelativeSearchSpace(): Record<string, never> {
    return {};
  }

  sampleRelative(): Record<string, never> {
    return {};
  }

  sampleIndependent(_study: unknown, trial: FrozenTrial, _name: string, distribution: Distribution): ParamValue {
    return sampleUniform(this.streams.get(this.seed, STREAM.random, trial.number), distribution);
  }

  afterTrial(_study: unknown, trial: FrozenTrial): void {
    this.streams.drop(trial.number);
  }
}

/** One uniform draw from `distribution`. */
export function sampleUniform(rng: Generator, distribution: Distribution): ParamValue {
  if (distribution instanceof CategoricalDistribution) return distribution.choices[rng.nextInt(distribution.choices.length)];
  const [low, high] = transformedBounds(distribution);
  return untransform(distribution, low + rng.nextFloat() * (high - low));
}

/** Each running trial's generator, continued across its suggest calls. */
export class TrialStreams {
  private readonly map = new Map<string, Generator>();

  get(seed: number, purpose: number, trialNumber: number): Generator {
    const key = `${purpose}:${trialNumber}`;
    let g = this.map.get(key);
    if (!g) {
      if (this.map.size > 4096) this.map.delete(this.map.keys().next().value!);
      g = streamFor(seed, purpose, trialNumber);
      this.map.set(key, g);
    }
    return g;
  }

  drop(trialNumber: number): void {
    for (const key of [...this.map.keys()]) if (key.endsWith(`:${trialNumber}`)) this.map.delete(key);
  }
}
