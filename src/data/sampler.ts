/**
 * Samplers: the order in which a DataLoader visits a dataset in one epoch, as PyTorch's
 * SequentialSampler, RandomSampler and WeightedRandomSampler. A sampler writes an epoch's
 * indices into an int32 tensor natively; the draws for epoch e start at a fixed position of the
 * generator's stream (base + e * drawsPerEpoch), so any epoch can be replayed exactly from
 * (seed, epoch) alone, which is what makes loader state resumable. The draws run on the CPU (as
 * PyTorch's samplers run on the host); `fill` copies them to `out`'s device when it is another.
 */
import { tensor } from '../ops/creation.js';
import { checkGenerator, Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import {
  checkBoolean, checkInt32, checkInteger, checkNumbers, checkTensor, isInstance, option, optionKeys, readOptions, readSafely,
} from '../validate/index.js';
import { onHost, permutation } from './permutation.js';

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
    checkOut('SequentialSampler.fill', out, this.length);
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

const RANDOM_KEYS = optionKeys<SamplerRandomOptions>({ seed: true, generator: true });
const WEIGHTED_KEYS = optionKeys<WeightedRandomSamplerOptions>({ seed: true, generator: true, replacement: true });

/** The stream a seeded sampler draws from: the generator's seed and position, or (seed, 0). */
function baseOf(op: string, o: SamplerRandomOptions): { seed: number; base: number } {
  if (o.generator !== undefined) {
    const g = checkGenerator(op, option('generator'), o.generator);
    return { seed: g.seed, base: g.offset };
  }
  return { seed: o.seed === undefined ? 0 : checkInteger(op, option('seed'), o.seed, { min: 0 }), base: 0 };
}

/** fill()'s output: an int32 tensor of `length` elements. */
function checkOut(op: string, out: unknown, length: number): void {
  const t = checkTensor(op, 'out', out, 'int32');
  if (t.size !== length) throw new RangeError(`${op}: out has ${t.size} elements, the sampler draws ${length}`);
}

/** fill()'s epoch, whose stream position base + epoch * draws must stay a safe integer. */
function checkEpoch(op: string, epoch: unknown, base: number, draws: number): number {
  return checkInteger(op, 'epoch', epoch, { min: 0, max: Math.floor((Number.MAX_SAFE_INTEGER - base) / Math.max(1, draws)) });
}

/** A fresh uniformly random permutation of 0..n-1 every epoch (sampling without replacement). */
export class RandomSampler implements Sampler {
  private readonly seed: number;
  private readonly base: number;
  constructor(readonly length: number, options: SamplerRandomOptions = {}) {
    checkCount('RandomSampler', 'n', length);
    ({ seed: this.seed, base: this.base } = baseOf('RandomSampler', readOptions<SamplerRandomOptions>('RandomSampler', options, RANDOM_KEYS)));
  }
  /** Writes epoch `epoch`'s permutation (n - 1 draws from position base + epoch * (n - 1)). */
  fill(out: Tensor, epoch: number): void {
    checkOut('RandomSampler.fill', out, this.length);
    checkEpoch('RandomSampler.fill', epoch, this.base, this.length - 1);
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
    const op = 'WeightedRandomSampler';
    const w = isInstance(weights, Tensor) ? checkTensor(op, 'weights', weights, 'float32').toArray()
      : readSafely(op, 'weights', () => checkNumbers(op, 'weights', weights, { min: 0 }));
    checkNumbers(op, 'weights', w, { min: 0 });
    checkCount(op, 'numSamples', length);
    const o = readOptions<WeightedRandomSamplerOptions>(op, options, WEIGHTED_KEYS);
    if (o.replacement !== undefined && !checkBoolean(op, option('replacement'), o.replacement)) {
      throw new RangeError('WeightedRandomSampler: replacement=false is not supported; draw with replacement or use RandomSampler');
    }
    if (w.length === 0) throw new RangeError('WeightedRandomSampler: weights must not be empty');
    let total = 0;
    for (let i = 0; i < w.length; i++) total += w[i];
    if (!(total > 0)) throw new RangeError('WeightedRandomSampler: weights must not all be zero');
    ({ seed: this.seed, base: this.base } = baseOf(op, o));
    // On the host, where the draw runs (native/cpu/sampling.h).
    this.weights = tensor(Float32Array.from(w), [w.length], { device: 'cpu' });
  }

  /** Writes epoch `epoch`'s draws (numSamples of them, from position base + epoch * numSamples). */
  fill(out: Tensor, epoch: number): void {
    checkOut('WeightedRandomSampler.fill', out, this.length);
    checkEpoch('WeightedRandomSampler.fill', epoch, this.base, this.length);
    const w = this.weights;
    onHost(out, (host) => host.backend.weightedIndex(w.buffer, w.offset, w.size, host.buffer, host.offset, this.length,
      this.seed, this.base + epoch * this.length));
  }
}

function checkCount(op: string, name: string, n: number): void {
  checkInt32(op, name, n);
}
