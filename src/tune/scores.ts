/**
 * Scoring a configuration inside an objective, the two ways the handbook tunes:
 *   crossValidationScore — k-fold cross-validation (data.crossValidate): the mean fold score,
 *     with every fold's score, the mean and the std (population, ddof 0) kept as the trial's user
 *     attributes `cvScores`, `cvMean`, `cvStd`. The running mean is reported after each fold
 *     (step = fold), so a pruner can drop a hopeless configuration between folds, as Optuna's
 *     examples do with per-fold reports.
 *   bestValidationScore — the best epoch's value of a History series ('valLoss' lowest,
 *     anything else highest unless `mode` says otherwise).
 */
import { crossValidate, type CrossValidateOptions, type Fold } from '../data/cross_validate.js';
import { History } from '../train/history.js';
import { checkChoice, checkInstance, checkString, describeValue, isPlainObject, readSafely, typeError } from '../validate/index.js';
import type { JsonValue } from './json.js';
import { TrialPruned } from './trial_pruned.js';

/** What the helpers use of a trial (a Trial, or a worker's RemoteTrial). */
export interface ScoredTrial {
  readonly number: number;
  /** Reports an intermediate value at a step. */
  report(value: number, step: number): void;
  /** Whether the pruner says to stop the trial. */
  shouldPrune(): boolean;
  /** Sets a user attribute of the trial. */
  setUserAttr(key: string, value: JsonValue): void;
}

/**
 * k-fold cross-validation inside an objective: the mean fold score, reported after each fold (so a pruner can stop between folds), with the fold scores, mean and std kept as the trial's user attributes.
 *
 * ```ts
 * const score = await tune.crossValidationScore(trial, async ({ train, test }) => trainAndScore(train, test), { k: 5, n: 500 });
 * ```
 */
export async function crossValidationScore(
  trial: ScoredTrial, fn: (fold: Fold) => number | Promise<number>, options: CrossValidateOptions,
): Promise<number> {
  const op = 'crossValidationScore';
  if (typeof trial !== 'object' || trial === null) typeError(op, 'trial', 'a tune Trial', trial);
  const ok = readSafely(op, 'trial', () => ['report', 'shouldPrune', 'setUserAttr'].every((k) => typeof (trial as unknown as Record<string, unknown>)[k] === 'function'));
  if (!ok) typeError(op, 'trial', 'a tune Trial', trial);
  if (!isPlainObject(options)) typeError(op, 'options', 'an options object', options);
  if (typeof fn !== 'function') throw new TypeError(`crossValidationScore: fn must be a function of the fold, got ${typeof fn}`);
  const seen: number[] = [];
  const result = await crossValidate(async (fold) => {
    const score = await fn(fold);
    if (typeof score !== 'number') throw new TypeError(`${op}: fn returned ${describeValue(score)} for fold ${fold.fold}, expected a number`);
    seen.push(score);
    trial.report(seen.reduce((a, v) => a + v, 0) / seen.length, fold.fold);
    trial.setUserAttr('cvScores', [...seen]);
    if (trial.shouldPrune()) throw new TrialPruned(`Trial ${trial.number} pruned after fold ${fold.fold + 1}`);
    return score;
  }, options);
  trial.setUserAttr('cvMean', result.mean);
  trial.setUserAttr('cvStd', result.std);
  return result.mean;
}

/** The best epoch's value of a History series: the lowest for a loss (the default 'valLoss'), else the highest, unless `mode` says otherwise. */
export function bestValidationScore(history: History, monitor = 'valLoss', mode?: 'min' | 'max'): number {
  checkInstance('bestValidationScore', 'history', history, History);
  checkString('bestValidationScore', 'monitor', monitor, true);
  mode = mode === undefined ? (monitor.toLowerCase().includes('loss') ? 'min' : 'max') : checkChoice('bestValidationScore', 'mode', mode, ['min', 'max'] as const);
  const values = history.series(monitor).filter((v) => Number.isFinite(v));
  if (values.length === 0) throw new RangeError(`bestValidationScore: the history has no finite '${monitor}' values`);
  return mode === 'min' ? Math.min(...values) : Math.max(...values);
}
