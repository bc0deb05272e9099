/**
 * Seeded randomness. steepest has one generator, SplitMix64 in counter mode (see
 * native/common/rng.h): draw i of seed s is a pure function of (s, i), so results are the same
 * on every machine, thread count and device. A Generator is just (seed, position).
 */
import { checkInstance, checkInteger, option, optionKeys, readOptions } from './validate/index.js';
/**
 * A seeded random stream (seed, offset): draws are reproducible on every machine and thread count.
 *
 * ```ts
 * const g = new Generator(42);
 * const x = randn([2, 3], { generator: g });
 * ```
 */
export class Generator {
  /** Position in the stream: the number of draws consumed so far. */
  offset = 0;
  constructor(public seed: number = 0) {
    checkSeed('Generator', seed);
  }

  /** Restarts the stream at `seed` (offset 0); returns the generator. */
  manualSeed(seed: number): this {
    checkSeed('manualSeed', seed);
    this.seed = seed;
    this.offset = 0;
    return this;
  }

  /** Reserves `n` draws and returns the stream position where they start. */
  take(n: number): number {
    checkInteger('Generator.take', 'n', n, { min: 0, max: MAX_SAFE - this.offset });
    const start = this.offset;
    this.offset += n;
    return start;
  }

  /** One float in [0, 1) drawn in JavaScript from the same stream (for shuffles and samplers). */
  nextFloat(): number {
    return Number(splitmix64(BigInt(this.seed), BigInt(this.take(1))) >> 11n) / 2 ** 53;
  }

  /** An integer in [0, n). */
  nextInt(n: number): number {
    checkInteger('Generator.nextInt', 'n', n, { min: 1 });
    return Math.floor(this.nextFloat() * n);
  }

  /** The stream position { seed, offset }, to restore later with setState. */
  getState(): GeneratorState {
    return { seed: this.seed, offset: this.offset };
  }

  /** Moves the stream to a position taken with getState(); returns the generator. */
  setState(state: { seed: number; offset: number }): this {
    const { seed, offset } = readOptions<GeneratorState>('Generator.setState', state, STATE_KEYS, 'state');
    checkSeed('Generator.setState', seed, option('seed'));
    checkInteger('Generator.setState', option('offset'), offset, { min: 0 });
    this.seed = seed as number;
    this.offset = offset as number;
    return this;
  }
}

/** A generator's position, as getState() returns it. */
export interface GeneratorState {
  seed: number;
  offset: number;
}

const STATE_KEYS = optionKeys<GeneratorState>({ seed: true, offset: true });
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function checkSeed(op: string, seed: unknown, name = 'seed'): void {
  checkInteger(op, name, seed, { min: 0 });
}

const MASK = (1n << 64n) - 1n;

/** The same SplitMix64 draw as native/common/rng.h, in BigInt arithmetic. */
export function splitmix64(seed: bigint, index: bigint): bigint {
  let z = (seed + (index + 1n) * 0x9e3779b97f4a7c15n) & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

/** A Generator argument (validate/arguments.ts cannot import this module: it would be a cycle at load). */
export const checkGenerator = (op: string, name: string, value: unknown): Generator => checkInstance(op, name, value, Generator);

/** The generator used when none is passed. */
export const defaultGenerator = new Generator(0);

/** Seeds the default generator, as `torch.manual_seed`. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
