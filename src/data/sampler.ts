/**
 * Samplers: the order in which a DataLoader visits a dataset in one epoch, as PyTorch's
 * SequentialSampler, RandomSampler and WeightedRandomSampler. A sampler writes an epoch's
 * indices into an int32 tensor natively; the draws for epoch e start at a fixed position of the
 * generator's stream (base + e * drawsPerEpoch), so any epoch can be replayed exactly from
 * (seed, epoch) alone, which is what makes loader state resumable.
 */
import { tensor } from '../ops/creation.js';
import { Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { dataAddon } from './native_data.js';
import { permutation } from './permutation.js';

/** Produces the sample indices of each epoch. */
export interface Sampler {
  /** Indices per epoch. */
  readonly length: number;
  /** Writes epoch `epoch`'s indices into `out` (int32, `length` elements). */
  fill(out: Tensor, epoch: number): void;
}

/** 0, 1, ..., n-1 every epoch. */
export class SequentialSampler implements Sampler {
  constructor(readonly length: number) {
    checkCount('SequentialSampler', 'n', length);
  }
  /** Writes 0..n-1. */
  fill(out: Tensor): void {
    out.buffer.write(Int32Array.from({ length: this.length }, (_, i) => i), out.offset);
  }
}

/** Options of seeded samplers. */
export interface SamplerRandomOptions {
  /** Seed of the sampler's own stream (default 0); ignored when `generator` is given. */
  seed?: number;
  /** Stream to draw from: its seed, and its position at construction as the base. */
  generator?: Generator;
}

function baseOf(options: SamplerRandomOptions): { seed: number; base: number } {
  const g = options.generator ?? new Generator(options.seed ?? 0);
  return { seed: g.seed, base: g.offset };
}

/** A fresh uniformly random permutation of 0..n-1 every epoch (sampling without replacement). */
export class RandomSampler implements Sampler {
  private readonly seed: number;
  private readonly base: number;
  constructor(readonly length: number, options: SamplerRandomOptions = {}) {
    checkCount('RandomSampler', 'n', length);
    ({ seed: this.seed, base: this.base } = baseOf(options));
  }
  /** Writes epoch `epoch`'s permutation (n - 1 draws from position base + epoch * (n - 1)). */
  fill(out: Tensor, epoch: number): void {
    const g = new Generator(this.seed);
    g.offset = this.base + epoch * Math.max(0, this.length - 1);
    permutation(this.length, g, out);
  }
}

/** Options of WeightedRandomSampler. */
export interface WeightedRandomSamplerOptions extends SamplerRandomOptions {
  /** Draw with replacement (default true; the only mode, as PyTorch's default). */
  replacement?: boolean;
}

/**
 * `numSamples` indices per epoch drawn with replacement, index j with probability
 * w[j] / sum(w) (torch.utils.data.WeightedRandomSampler). Give each sample the weight of its
 * class (e.g. 1 / class count) to see classes equally often.
 */
export class WeightedRandomSampler implements Sampler {
  readonly weights: Tensor;
  private readonly seed: number;
  private readonly base: number;

  constructor(weights: ArrayLike<number> | Tensor, readonly length: number, options: WeightedRandomSamplerOptions = {}) {
    checkCount('WeightedRandomSampler', 'numSamples', length);
    if (options.replacement === false) {
      throw new RangeError('WeightedRandomSampler: replacement=false is not supported; draw with replacement or use RandomSampler');
    }
    const w = weights instanceof Tensor ? weights.toArray() : weights;
    if (w.length === 0) throw new RangeError('WeightedRandomSampler: weights must not be empty');
    let total = 0;
    for (let i = 0; i < w.length; i++) {
      if (!Number.isFinite(w[i]) || w[i] < 0) {
        throw new RangeError(`WeightedRandomSampler: weights must be finite and >= 0, got ${w[i]} at index ${i}`);
      }
      total += w[i];
    }
    if (!(total > 0)) throw new RangeError('WeightedRandomSampler: weights must not all be zero');
    this.weights = tensor(Float32Array.from(w), [w.length]);
    ({ seed: this.seed, base: this.base } = baseOf(options));
  }

  /** Writes epoch `epoch`'s draws (numSamples of them, from position base + epoch * numSamples). */
  fill(out: Tensor, epoch: number): void {
    dataAddon.weightedIndex(this.weights.buffer, this.weights.offset, this.weights.size, out.buffer, out.offset,
      this.length, this.seed, this.base + epoch * this.length);
  }
}

function checkCount(op: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 31) {
    throw new RangeError(`${op}: ${name} must be a non-negative 32-bit integer, got ${n}`);
  }
}
