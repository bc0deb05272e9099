/**
 * RandomOverSampler and RandomUnderSampler, as imbalanced-learn's: duplicate randomly chosen
 * members of the classes to grow (with replacement), or keep a random subset (without
 * replacement) of the classes to shrink. Rows are gathered natively.
 */
import { checkInteger, option, optionKeys, readOptions } from '../validate/index.js';
import { checkSamplingStrategy } from './sampling_strategy_check.js';
import { gatherRows } from '../ops/layout.js';
import { Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { indexTensor, indicesByClass } from './labels.js';
import { permutationArray, randomIndexArray } from './permutation.js';
import { type Resampled, resampleInputs } from './resampled.js';
import { resolveSamplingStrategy, type SamplingStrategy } from './sampling_strategy.js';

/** Options of the random resamplers. */
export interface RandomSamplerOptions {
  samplingStrategy?: SamplingStrategy;
  seed?: number;
}

const KEYS = optionKeys<RandomSamplerOptions>({ samplingStrategy: true, seed: true });

/** The options, read once and checked. */
function resamplerOptions(op: string, options: unknown): Required<RandomSamplerOptions> {
  const o = readOptions<RandomSamplerOptions>(op, options, KEYS);
  return {
    samplingStrategy: checkSamplingStrategy(op, o.samplingStrategy ?? 'auto'),
    seed: o.seed === undefined ? 0 : checkInteger(op, option('seed'), o.seed, { min: 0 }),
  };
}

function gatherResult(x: Tensor, labels: Int32Array, rows: Int32Array): Resampled & { sampleIndices: Int32Array } {
  const index = indexTensor(rows);
  const y = indexTensor(labels);
  const result = { x: gatherRows(x, index), y: gatherRows(y, index), sampleIndices: rows };
  index.dispose();
  y.dispose();
  return result;
}

/** Grows classes by sampling their members with replacement (original rows first). */
export class RandomOverSampler {
  readonly options: Required<RandomSamplerOptions>;
  constructor(options: RandomSamplerOptions = {}) {
    this.options = resamplerOptions('RandomOverSampler', options);
  }

  /** The input rows followed by the duplicates; `sampleIndices` gives each output row's source row. */
  fitResample(x: Tensor, y: Tensor | Int32Array | ArrayLike<number>): Resampled & { sampleIndices: Int32Array } {
    const { labels } = resampleInputs('RandomOverSampler', x, y);
    const plan = resolveSamplingStrategy('RandomOverSampler', this.options.samplingStrategy ?? 'auto', labels, 'over');
    const members = indicesByClass(labels);
    const g = new Generator(this.options.seed ?? 0);
    const added = [...plan.values()].reduce((a, b) => a + b, 0);
    const rows = new Int32Array(labels.length + added);
    rows.forEach((_, i) => (rows[i] = i));
    let at = labels.length;
    for (const [c, count] of plan) {
      const list = members.get(c)!;
      for (const pick of randomIndexArray(count, list.length, g)) rows[at++] = list[pick];
    }
    return gatherResult(x, labels, rows);
  }
}

/** Shrinks classes to random subsets of their members (classes in sorted order). */
export class RandomUnderSampler {
  readonly options: Required<RandomSamplerOptions>;
  constructor(options: RandomSamplerOptions = {}) {
    this.options = resamplerOptions('RandomUnderSampler', options);
  }

  /** The kept rows, class by class; `sampleIndices` gives each output row's source row. */
  fitResample(x: Tensor, y: Tensor | Int32Array | ArrayLike<number>): Resampled & { sampleIndices: Int32Array } {
    const { labels } = resampleInputs('RandomUnderSampler', x, y);
    const plan = resolveSamplingStrategy('RandomUnderSampler', this.options.samplingStrategy ?? 'auto', labels, 'under');
    const members = [...indicesByClass(labels).entries()].sort((a, b) => a[0] - b[0]);
    const g = new Generator(this.options.seed ?? 0);
    const rows: number[] = [];
    for (const [c, list] of members) {
      const keep = plan.get(c);
      if (keep === undefined) {
        for (const i of list) rows.push(i);
      } else {
        const perm = permutationArray(list.length, g);
        for (let j = 0; j < keep; j++) rows.push(list[perm[j]]);
      }
    }
    return gatherResult(x, labels, Int32Array.from(rows));
  }
}
