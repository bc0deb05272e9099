/**
 * imbalanced-learn's sampling_strategy, resolved to "class -> number" for a label vector.
 * On ties, "the" minority or majority class is the smallest label among them, because
 * imbalanced-learn scans its class statistics (np.unique) in sorted order.
 *
 * Over-sampling (the number of samples to ADD per class):
 *   'minority'      the minority class, up to the majority count
 *   'not minority'  every class but the minority, up to the majority count
 *   'not majority'  every class but the majority ('auto' is this), up to the majority count
 *   'all'           every class, up to the majority count
 *   ratio r         binary only: the minority class up to floor(r * n_majority)
 *   { c: n }        class c up to n samples (n >= its current count)
 * Under-sampling (the number of samples to KEEP per class):
 *   'majority' | 'not minority' ('auto') | 'not majority' | 'all'   down to the minority count
 *   ratio r         binary only: the majority class down to floor(n_minority / r)
 *   { c: n }        class c down to n samples (n <= its current count)
 */
import { checkString, describeValue } from '../validate/index.js';
import { checkSamplingStrategy } from './sampling_strategy_check.js';
import { classCounts, labelArray, type Labels } from './labels.js';

/** A sampling strategy, as imbalanced-learn spells it. */
export type SamplingStrategy =
  | 'auto' | 'minority' | 'majority' | 'not minority' | 'not majority' | 'all'
  | number | Record<number, number> | Map<number, number>;

/** Per-class numbers (to add when over-sampling, to keep when under-sampling), sorted by class. */
export function resolveSamplingStrategy(
  op: string, strategy: SamplingStrategy, y: Labels, kind: 'over' | 'under',
): Map<number, number> {
  checkString('resolveSamplingStrategy', 'op', op, true);
  if (kind !== 'over' && kind !== 'under') throw new RangeError(`${op}: sampling kind must be 'over' or 'under', got ${describeValue(kind)}`);
  checkSamplingStrategy(op, strategy);
  // labelArray checks the length before anything loops over it.
  const stats = classCounts(labelArray(op, y));
  if (stats.size < 2) throw new RangeError(`${op}: needs at least 2 classes, got ${stats.size}`);
  const entries = [...stats.entries()].sort((a, b) => a[0] - b[0]);
  const majority = entries.reduce((best, e) => (e[1] > best[1] ? e : best))[0];
  const minority = entries.reduce((best, e) => (e[1] < best[1] ? e : best))[0];
  const nMajority = stats.get(majority)!;
  const nMinority = stats.get(minority)!;
  const result = new Map<number, number>();
  const pick = (keep: (c: number) => boolean) => {
    for (const [c, n] of entries) if (keep(c)) result.set(c, kind === 'over' ? nMajority - n : nMinority);
  };
  if (typeof strategy === 'string') {
    const named = strategy === 'auto' ? (kind === 'over' ? 'not majority' : 'not minority') : strategy;
    if (kind === 'over' && named === 'majority') throw new RangeError(`${op}: sampling strategy 'majority' cannot be used when over-sampling`);
    if (kind === 'under' && named === 'minority') throw new RangeError(`${op}: sampling strategy 'minority' cannot be used when under-sampling`);
    const rules: Record<string, (c: number) => boolean> = {
      minority: (c) => c === minority, majority: (c) => c === majority,
      'not minority': (c) => c !== minority, 'not majority': (c) => c !== majority, all: () => true,
    };
    const rule = rules[named];
    if (!rule) throw new RangeError(`${op}: unknown sampling strategy '${strategy}'`);
    pick(rule);
  } else if (typeof strategy === 'number') {
    if (stats.size !== 2) throw new RangeError(`${op}: a ratio sampling strategy needs exactly 2 classes, got ${stats.size}`);
    if (!(strategy > 0 && strategy <= 1)) throw new RangeError(`${op}: a ratio sampling strategy must be in (0, 1], got ${strategy}`);
    if (kind === 'over') {
      const add = Math.trunc(nMajority * strategy - nMinority);
      if (add < 0) throw new RangeError(`${op}: ratio ${strategy} would need removing samples from the minority class (${nMinority} > ${Math.floor(nMajority * strategy)})`);
      result.set(minority, add);
    } else {
      const keep = Math.trunc(nMinority / strategy);
      if (keep > nMajority) throw new RangeError(`${op}: ratio ${strategy} would need ${keep} majority samples but there are only ${nMajority}`);
      result.set(majority, keep);
    }
  } else if (strategy instanceof Map || (typeof strategy === 'object' && strategy !== null)) {
    const map = strategy instanceof Map ? strategy : new Map(Object.entries(strategy).map(([k, v]) => [Number(k), v]));
    for (const [c, target] of map) {
      const have = stats.get(c);
      if (have === undefined) throw new RangeError(`${op}: class ${c} in the sampling strategy is not present in y`);
      if (!Number.isInteger(target) || target < 0) throw new RangeError(`${op}: target count of class ${c} must be a non-negative integer, got ${target}`);
      if (kind === 'over' && target < have) {
        throw new RangeError(`${op}: over-sampling cannot shrink class ${c}: it has ${have} samples and ${target} were asked`);
      }
      if (kind === 'under' && target > have) {
        throw new RangeError(`${op}: under-sampling cannot grow class ${c}: it has ${have} samples and ${target} were asked`);
      }
      result.set(c, kind === 'over' ? target - have : target);
    }
  } else {
    throw new TypeError(`${op}: invalid sampling strategy ${String(strategy)}`);
  }
  return new Map([...result.entries()].sort((a, b) => a[0] - b[0]));
}
