/**
 * The sampler contract, Optuna's BaseSampler in camelCase. Per trial the study calls, in order:
 *   beforeTrial(study, trial)                       — optional, e.g. GridSampler picks a grid point
 *   inferRelativeSearchSpace(study, trial)          — the parameters to sample jointly
 *   sampleRelative(study, trial, space)             — a value for each (may be async: a GP fit)
 *   sampleIndependent(study, trial, name, dist)     — for every suggest* outside that space
 *   afterTrial(study, trial, state, value)          — optional, before the state is stored
 * A model-based sampler (TPE's multivariate mode, a later GPSampler) works in the relative hooks;
 * the independent hook covers dynamic, conditional parameters.
 */
import type { Distribution, ParamValue, SearchSpace } from '../distributions.js';
import type { FrozenTrial, TrialState } from '../frozen_trial.js';
import type { StudyView } from '../study_view.js';

/** Parameter values by name. */
export type ParamMap = Record<string, ParamValue>;

/** Suggests parameter values (Optuna's BaseSampler): the study calls beforeTrial, inferRelativeSearchSpace, sampleRelative, sampleIndependent for the rest, then afterTrial. */
export interface Sampler {
  /** The parameters to sample jointly for this trial. */
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): SearchSpace;
  /** A value for each parameter of the joint space (may be async). */
  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): ParamMap | Promise<ParamMap>;
  /** A value for one parameter outside the joint space. */
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  /** Called before the trial's first suggestion. */
  beforeTrial?(study: StudyView, trial: FrozenTrial): void;
  /** Called when the trial finishes, before its state is stored. */
  afterTrial?(study: StudyView, trial: FrozenTrial, state: Exclude<TrialState, 'RUNNING' | 'WAITING'>, value: number | null): void;
  /** True when the sampler has nothing left to propose (an exhausted grid): optimize stops. */
  isExhausted?(study: StudyView): boolean;
}
