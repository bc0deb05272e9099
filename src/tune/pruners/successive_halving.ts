/**
 * SuccessiveHalvingPruner (optuna.pruners.SuccessiveHalvingPruner): asynchronous successive
 * halving, ASHA (Li et al., "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020).
 * Rung r is reached at step  minResource · η^(minEarlyStoppingRate + r)  (η = reductionFactor).
 * When a trial reaches a rung its value is recorded there (system attr completed_rung_r) and it
 * goes on only if it is in the top 1/η of the values recorded at that rung so far, itself
 * included: with n values, promotable iff value ≤ the (⌊n/η⌋−1)-th smallest (minimize; the
 * largest ones when maximizing), using index 0 when ⌊n/η⌋ = 0 — Optuna's stand-in for the
 * paper's "wait", since trials cannot be suspended. `minResource: 'auto'` waits for the first
 * COMPLETE trial and uses max(1, ⌊its last step / 100⌋). `bootstrapCount`: prune while a rung
 * holds no more than that many values.
 */
import type { FrozenTrial } from '../frozen_trial.js';
import { checkInt, checkOptionKeys } from '../options.js';
import type { StudyView } from '../study_view.js';
import type { Pruner } from './base.js';
import { copyOptions } from '../arguments.js';
import { describeValue } from '../../validate/index.js';

/** Options of SuccessiveHalvingPruner: minResource (or 'auto'), reductionFactor, minEarlyStoppingRate and bootstrapCount, as Optuna's. */
export interface SuccessiveHalvingPrunerOptions {
  minResource?: number | 'auto';
  reductionFactor?: number;
  minEarlyStoppingRate?: number;
  bootstrapCount?: number;
}

export const rungKey = (rung: number) => `completed_rung_${rung}`;

/** Asynchronous successive halving, ASHA (optuna.pruners.SuccessiveHalvingPruner; Li et al. 2020): at each rung only the top 1/reductionFactor of the trials go on. */
export class SuccessiveHalvingPruner implements Pruner {
  /** Resolved on first use when 'auto'. */
  minResource: number | null;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;

  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    options = copyOptions<typeof options>('SuccessiveHalvingPruner', options) ?? {};
    const fn = 'SuccessiveHalvingPruner';
    checkOptionKeys(fn, options, ['minResource', 'reductionFactor', 'minEarlyStoppingRate', 'bootstrapCount']);
    const min = options.minResource ?? 'auto';
    if (min !== 'auto' && (!Number.isInteger(min) || min < 1)) throw new RangeError(`${fn}: minResource must be an integer >= 1 or 'auto', got ${describeValue(min)}`);
    this.minResource = min === 'auto' ? null : min;
    this.reductionFactor = checkInt(fn, 'reductionFactor', options.reductionFactor ?? 4, 2);
    this.minEarlyStoppingRate = checkInt(fn, 'minEarlyStoppingRate', options.minEarlyStoppingRate ?? 0, 0);
    this.bootstrapCount = checkInt(fn, 'bootstrapCount', options.bootstrapCount ?? 0, 0);
    if (this.bootstrapCount > 0 && min === 'auto') throw new RangeError(`${fn}: bootstrapCount > 0 needs an explicit minResource, got 'auto'`);
  }

  /** Records the trial's value at a rung it reached and prunes it unless it is in the rung's top 1/reductionFactor. */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    const step = trial.lastStep;
    if (step === null) return false;
    const value = trial.intermediateValues.get(step)!;
    if (this.minResource === null) {
      this.minResource = estimateMinResource(study.getTrials(['COMPLETE']));
      if (this.minResource === null) return false;
    }
    const others = study.getTrials().filter((t) => t.number !== trial.number);
    let rung = currentRung(trial);
    for (;;) {
      const promotionStep = this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + rung);
      if (step < promotionStep) return false;
      if (Number.isNaN(value)) return true;
      const key = rungKey(rung);
      study.setTrialSystemAttr(trial.number, key, value);
      const competing = others.flatMap((t) => (typeof t.systemAttrs[key] === 'number' ? [t.systemAttrs[key] as number] : []));
      competing.push(value);
      if (competing.length <= this.bootstrapCount) return true;
      if (!promotable(value, competing, this.reductionFactor, study.direction === 'maximize')) return true;
      rung++;
    }
  }
}

/** The first rung the trial has not recorded a value for. */
function currentRung(trial: FrozenTrial): number {
  let rung = 0;
  while (Object.hasOwn(trial.systemAttrs, rungKey(rung))) rung++;
  return rung;
}

function estimateMinResource(completed: readonly FrozenTrial[]): number | null {
  let last: number | null = null;
  for (const t of completed) {
    const s = t.lastStep;
    if (s !== null && (last === null || s > last)) last = s;
  }
  return last === null ? null : Math.max(Math.floor(last / 100), 1);
}

function promotable(value: number, competing: number[], eta: number, maximize: boolean): boolean {
  let index = Math.floor(competing.length / eta) - 1;
  if (index === -1) index = 0;
  const sorted = [...competing].sort((a, b) => a - b);
  return maximize ? value >= sorted[sorted.length - 1 - index] : value <= sorted[index];
}
