/**
 * The pruner contract, Optuna's BasePruner: after the running trial reported an intermediate
 * value, `prune` says whether to stop it, from the study's trials and the trial's own values.
 */
import type { FrozenTrial } from '../frozen_trial.js';
import type { StudyView } from '../study_view.js';

/** Decides whether a running trial stops early (Optuna's BasePruner); called after each `trial.report`. */
export interface Pruner {
  /** True when the trial should stop, from the study's trials and the trial's own intermediate values. */
  prune(study: StudyView, trial: FrozenTrial): boolean;
}
