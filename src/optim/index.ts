/**
 * steepest's optimizers, regularizers and learning-rate schedules:
 * fused native optimizers over one parameter arena (SGD, RMSprop, Adam, AdamW, Adagrad),
 * L1/L2 penalties as loss terms, and PyTorch's schedules (optim.lrScheduler).
 *
 * @module
 */
export { Optimizer } from './optimizer.js';
export type {
  BaseHyper, GlobalOptions, GroupSpec, NonFinitePolicy, NonFiniteReport, OptimizerStateDict, ParamGroup,
  ParamsInput, ParamState, ScheduleFields,
} from './optimizer.js';
export { ParameterArena, GROUP_ALIGN } from './arena.js';
export { SGD, type SgdOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RmspropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { l1Penalty, l2Penalty } from './penalties.js';
export * as lrScheduler from './lr_scheduler/index.js';
