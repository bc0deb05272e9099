/**
 * PercentilePruner (optuna.pruners.PercentilePruner). At the running trial's latest step t it
 * prunes when the trial's best intermediate value so far is worse than the `percentile`-th
 * percentile of the COMPLETE trials' values at step t:
 *   minimize: prune if min_s≤t v(s) > P_p{ v_k(t) : COMPLETE k reporting t }
 *   maximize: prune if max_s≤t v(s) < P_(100−p){ ... }
 * with numpy's linear-interpolation percentile, NaNs ignored. It decides nothing while fewer
 * than `nStartupTrials` trials are COMPLETE, before step `nWarmupSteps`, on steps that are not
 * the first report of an interval of `intervalSteps` (counted from the warmup), and when fewer
 * than `nMinTrials` COMPLETE trials reported step t. A trial whose values are all NaN is pruned.
 */
import type { FrozenTrial } from '../frozen_trial.js';
import { checkInt, checkNumber, checkOptionKeys } from '../options.js';
import type { StudyView } from '../study_view.js';
import type { Pruner } from './base.js';
import { copyOptions } from '../arguments.js';

/** Options of PercentilePruner and MedianPruner: nStartupTrials, nWarmupSteps, intervalSteps and nMinTrials, as Optuna's. */
export interface PercentilePrunerOptions {
  nStartupTrials?: number;
  nWarmupSteps?: number;
  intervalSteps?: number;
  nMinTrials?: number;
}

export const PERCENTILE_KEYS = ['nStartupTrials', 'nWarmupSteps', 'intervalSteps', 'nMinTrials'];

/** Prunes a trial whose best value so far is worse than the given percentile of the completed trials at the same step (optuna.pruners.PercentilePruner). */
export class PercentilePruner implements Pruner {
  readonly percentile: number;
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(percentile: number, options: PercentilePrunerOptions = {}, fn = 'PercentilePruner') {
    options = copyOptions<PercentilePrunerOptions>(fn, options) ?? {};
    checkOptionKeys(fn, options, PERCENTILE_KEYS);
    this.percentile = checkNumber(fn, 'percentile', percentile, 0, 100);
    this.nStartupTrials = checkInt(fn, 'nStartupTrials', options.nStartupTrials ?? 5, 0);
    this.nWarmupSteps = checkInt(fn, 'nWarmupSteps', options.nWarmupSteps ?? 0, 0);
    this.intervalSteps = checkInt(fn, 'intervalSteps', options.intervalSteps ?? 1, 1);
    this.nMinTrials = checkInt(fn, 'nMinTrials', options.nMinTrials ?? 1, 1);
  }

  /** Compares the trial's best value so far with the percentile of the completed trials at its latest step. */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    const completed = study.getTrials(['COMPLETE']);
    if (completed.length === 0 || completed.length < this.nStartupTrials) return false;
    const step = trial.lastStep;
    if (step === null || step < this.nWarmupSteps) return false;
    if (!firstInInterval(step, trial.intermediateValues.keys(), this.nWarmupSteps, this.intervalSteps)) return false;
    const maximize = study.direction === 'maximize';
    const best = bestIntermediate(trial, maximize);
    if (Number.isNaN(best)) return true;
    const values: number[] = [];
    for (const t of completed) {
      const v = t.intermediateValues.get(step);
      if (v !== undefined) values.push(v);
    }
    if (values.length < this.nMinTrials) return false;
    const p = nanPercentile(values, maximize ? 100 - this.percentile : this.percentile);
    if (Number.isNaN(p)) return false;
    return maximize ? best < p : best > p;
  }
}

/**
 * Whether `step` is the first report in its pruning interval: the previous report (the largest
 * step other than this one) lies before the interval's start, warmup + ⌊(step − warmup)/k⌋·k.
 */
export function firstInInterval(step: number, steps: Iterable<number>, warmup: number, interval: number): boolean {
  const start = Math.floor((step - warmup) / interval) * interval + warmup;
  let previous = -1;
  for (const s of steps) if (s !== step && s > previous) previous = s;
  return previous < start;
}

/** The best non-NaN intermediate value of a trial, NaN when there is none. */
export function bestIntermediate(trial: FrozenTrial, maximize: boolean): number {
  let best = NaN;
  for (const v of trial.intermediateValues.values()) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || (maximize ? v > best : v < best)) best = v;
  }
  return best;
}

/** numpy.nanpercentile with linear interpolation: sorted x, rank r = q/100·(n−1), lerp. */
export function nanPercentile(values: readonly number[], q: number): number {
  const x = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (x.length === 0) return NaN;
  const r = (q / 100) * (x.length - 1);
  const lo = Math.floor(r);
  const hi = Math.ceil(r);
  return lo === hi ? x[lo] : x[lo] + (x[hi] - x[lo]) * (r - lo);
}
