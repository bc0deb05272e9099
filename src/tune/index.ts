/**
 * The tune area: hyperparameter search with Optuna's model — define-by-run trials, samplers,
 * pruners and storages — in camelCase.
 *
 *   const study = await tune.createStudy({ direction: 'minimize', sampler: new tune.TPESampler({ seed: 0 }) });
 *   await study.optimize((trial) => objective(trial.suggestFloat('lr', 1e-5, 1e-1, { log: true })), { nTrials: 50 });
 *   study.bestParams;
 *
 * @module
 */
export { createStudy, loadStudy, type CreateStudyOptions, type LoadStudyOptions } from './create_study.js';
export { Study, type TellResult } from './study.js';
export type { Objective, OptimizeOptions, ErrorClass } from './optimize.js';
export type { SharedTensors } from './parallel/shared_tensors.js';
export { Trial } from './trial.js';
export { FrozenTrial, TrialState, isFinished, type StudyDirection } from './frozen_trial.js';
export { TrialPruned, TrialTimeout } from './trial_pruned.js';
export {
  FloatDistribution, IntDistribution, CategoricalDistribution, checkDistributionCompatibility, distributionFromJSON,
  type Distribution, type DistributionJSON, type SearchSpace, type ParamValue, type CategoricalChoice, type RangeOptions,
} from './distributions.js';
export type { JsonValue } from './json.js';
export type { StudyView } from './study_view.js';
export { trialsTable, type TrialsTable, type TrialRow, type TrialsTableOptions } from './trials_table.js';
export { intersectionSearchSpace } from './search_space/intersection.js';
export type { Sampler, ParamMap } from './samplers/base.js';
export { RandomSampler, type RandomSamplerOptions } from './samplers/random.js';
export { GridSampler, type GridSearchSpace } from './samplers/grid.js';
export { QMCSampler, type QMCSamplerOptions } from './samplers/qmc.js';
export { GPSampler, type GPSamplerOptions } from './samplers/gp.js';
export { Sobol, SOBOL_MAX_DIMENSION } from './samplers/sobol.js';
export { TPESampler, type TPESamplerOptions } from './samplers/tpe/sampler.js';
export { defaultGamma, defaultWeights, hyperoptDefaultGamma } from './samplers/tpe/defaults.js';
export type { Pruner } from './pruners/base.js';
export { NopPruner } from './pruners/nop.js';
export { PercentilePruner, type PercentilePrunerOptions } from './pruners/percentile.js';
export { MedianPruner, type MedianPrunerOptions } from './pruners/median.js';
export { SuccessiveHalvingPruner, type SuccessiveHalvingPrunerOptions } from './pruners/successive_halving.js';
export { HyperbandPruner, type HyperbandPrunerOptions } from './pruners/hyperband.js';
export { PruningCallback } from './pruning_callback.js';
export { DuplicatedStudyError, StudyNotFoundError, type Storage, type StudySummary, type TrialTemplate } from './storages/base.js';
export { InMemoryStorage } from './storages/in_memory.js';
export { JournalFileStorage } from './storages/journal.js';
export { renderStudyReport, writeStudyReport, STUDY_REPORT_COLORS, type StudyLike } from './report/study_report.js';
export { parameterImportances } from './report/importance.js';
export { crossValidationScore, bestValidationScore, type ScoredTrial } from './scores.js';
