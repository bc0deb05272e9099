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

export type ParamMap = Record<string, ParamValue>;

export interface Sampler {
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): SearchSpace;
  sampleRelative(study: StudyView, trial: FrozenTrial, searchSpace: SearchSpace): ParamMap | Promise<ParamMap>;
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  beforeTrial?(study: StudyView, trial: FrozenTrial): void;
  afterTrial?(study: StudyView, trial: FrozenTrial, state: Exclude<TrialState, 'RUNNING' | 'WAITING'>, value: number | null): void;
  /** True when the sampler has nothing left to propose (an exhausted grid): optimize stops. */
  isExhausted?(study: StudyView): boolean;
}
