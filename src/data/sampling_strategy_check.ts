/**
 * The shape of a sampling strategy, checked when a resampler is built (its values against the
 * labels are checked by resolveSamplingStrategy, once the labels are known).
 */
import { checkChoice, checkNumber, isInstance, isPlainObject, option, readSafely, typeError } from '../validate/index.js';
import type { SamplingStrategy } from './sampling_strategy.js';

const NAMED = ['auto', 'minority', 'majority', 'not minority', 'not majority', 'all'] as const;

/** A named strategy, a ratio, or a map class -> count whose keys are integers and values counts. */
export function checkSamplingStrategy(op: string, strategy: unknown): SamplingStrategy {
  const name = option('samplingStrategy');
  if (typeof strategy === 'string') return checkChoice(op, name, strategy, NAMED);
  if (typeof strategy === 'number') return checkNumber(op, name, strategy, { minOpen: 0, max: 1 });
  if (!isInstance(strategy, Map) && !isPlainObject(strategy)) {
    typeError(op, name, 'a strategy name, a ratio in (0, 1] or a map class -> count', strategy);
  }
  const entries = readSafely(op, name, () => (strategy instanceof Map ? [...strategy] : Object.entries(strategy)));
  for (const [c, n] of entries) {
    checkNumber(op, `${name} class`, Number(c), { integer: true });
    checkNumber(op, `${name} count of class ${String(c)}`, n, { integer: true, min: 0 });
  }
  return strategy as SamplingStrategy;
}
