/**
 * HyperbandPruner (optuna.pruners.HyperbandPruner; Li et al., "Hyperband", JMLR 18, 2018):
 * several SuccessiveHalvingPruners ("brackets") side by side, bracket b using
 * minEarlyStoppingRate b, so brackets trade many short trials against few long ones. With R =
 * maxResource, r = minResource, η = reductionFactor:
 *   nBrackets = ⌊log_η(R / r)⌋ + 1
 *   budget(b) = ⌈nBrackets · η^s / (s + 1)⌉,  s = nBrackets − 1 − b
 * A trial's bracket is crc32("<studyName>_<number>") mod Σ budget, walked through the budgets in
 * order (Optuna's assignment, so trials land in the same brackets as Optuna's). Each bracket's
 * pruner sees only its own bracket's trials. `maxResource: 'auto'` waits for a COMPLETE trial
 * and uses its last step + 1.
 */
import { crc32 } from 'node:zlib';
import type { FrozenTrial, TrialState } from '../frozen_trial.js';
import { checkInt, checkOptionKeys } from '../options.js';
import type { StudyView } from '../study_view.js';
import type { Pruner } from './base.js';
import { SuccessiveHalvingPruner } from './successive_halving.js';
import { copyOptions } from '../arguments.js';
import { describeValue } from '../../validate/index.js';

/** Options of HyperbandPruner: minResource, maxResource (or 'auto'), reductionFactor and bootstrapCount, as Optuna's. */
export interface HyperbandPrunerOptions {
  minResource?: number;
  maxResource?: number | 'auto';
  reductionFactor?: number;
  bootstrapCount?: number;
}

/**
 * Hyperband (optuna.pruners.HyperbandPruner; Li et al. 2018): several successive-halving brackets side by side, trading many short trials against few long ones.
 *
 * ```ts
 * const study = await tune.createStudy({ pruner: new tune.HyperbandPruner({ minResource: 1, maxResource: 30 }) });
 * ```
 */
export class HyperbandPruner implements Pruner {
  readonly minResource: number;
  maxResource: number | 'auto';
  readonly reductionFactor: number;
  readonly bootstrapCount: number;
  /** Trial budget of each bracket, filled on first use. */
  readonly budgets: number[] = [];
  private readonly pruners: SuccessiveHalvingPruner[] = [];

  constructor(options: HyperbandPrunerOptions = {}) {
    options = copyOptions<typeof options>('HyperbandPruner', options) ?? {};
    const fn = 'HyperbandPruner';
    checkOptionKeys(fn, options, ['minResource', 'maxResource', 'reductionFactor', 'bootstrapCount']);
    this.minResource = checkInt(fn, 'minResource', options.minResource ?? 1, 1);
    const max = options.maxResource ?? 'auto';
    if (max !== 'auto' && (!Number.isInteger(max) || max < this.minResource)) {
      throw new RangeError(`${fn}: maxResource must be an integer >= minResource (${this.minResource}) or 'auto', got ${describeValue(max)}`);
    }
    this.maxResource = max;
    this.reductionFactor = checkInt(fn, 'reductionFactor', options.reductionFactor ?? 3, 2);
    this.bootstrapCount = checkInt(fn, 'bootstrapCount', options.bootstrapCount ?? 0, 0);
    if (this.bootstrapCount > 0 && max === 'auto') throw new RangeError(`${fn}: bootstrapCount > 0 needs an explicit maxResource, got 'auto'`);
  }

  get nBrackets(): number {
    return this.pruners.length;
  }

  /** Asks the trial's bracket's successive-halving pruner. */
  prune(study: StudyView, trial: FrozenTrial): boolean {
    if (this.pruners.length === 0 && !this.initialize(study)) return false;
    const bracket = this.bracketOf(study.studyName, trial.number);
    return this.pruners[bracket].prune(bracketView(study, (t) => this.bracketOf(study.studyName, t.number) === bracket), trial);
  }

  /** The bracket of trial `number` in study `studyName` (after the brackets are set up). */
  bracketOf(studyName: string, number: number): number {
    const total = this.budgets.reduce((a, b) => a + b, 0);
    let n = crc32(`${studyName}_${number}`) % total;
    for (let b = 0; b < this.budgets.length; b++) {
      n -= this.budgets[b];
      if (n < 0) return b;
    }
    return this.budgets.length - 1;
  }

  private initialize(study: StudyView): boolean {
    if (this.maxResource === 'auto') {
      let last: number | null = null;
      for (const t of study.getTrials(['COMPLETE'])) {
        const s = t.lastStep;
        if (s !== null && (last === null || s > last)) last = s;
      }
      if (last === null) return false;
      this.maxResource = last + 1;
    }
    const eta = this.reductionFactor;
    // ⌊log_η(R/r)⌋ exactly: the largest k with r·η^k <= R. (Optuna takes the floor of a float
    // logarithm, which at a few exact powers — R/r = 243, η = 3 — rounds to one bracket fewer.)
    let n = 1;
    while (this.minResource * eta ** n <= this.maxResource) n++;
    for (let b = 0; b < n; b++) {
      const s = n - 1 - b;
      this.budgets.push(Math.ceil((n * eta ** s) / (s + 1)));
      this.pruners.push(new SuccessiveHalvingPruner({
        minResource: this.minResource, reductionFactor: eta, minEarlyStoppingRate: b, bootstrapCount: this.bootstrapCount,
      }));
    }
    return true;
  }
}

/** The study as one bracket sees it: only that bracket's trials. */
function bracketView(study: StudyView, inBracket: (t: FrozenTrial) => boolean): StudyView {
  return {
    get studyName() { return study.studyName; },
    get direction() { return study.direction; },
    get systemAttrs() { return study.systemAttrs; },
    getTrials: (states?: readonly TrialState[]) => study.getTrials(states).filter(inBracket),
    setSystemAttr: (k, v) => study.setSystemAttr(k, v),
    setTrialSystemAttr: (n, k, v) => study.setTrialSystemAttr(n, k, v),
    stop: () => study.stop(),
  };
}
