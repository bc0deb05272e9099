/**
 * Learning-rate schedules with PyTorch's semantics (torch.optim.lr_scheduler) plus the
 * handbook's literal forms. Step them once per epoch, or once per iteration with periods
 * counted in iterations; compose them with SequentialLR and ChainedScheduler.
 *
 * @module
 */
export { LRScheduler, type SchedulableGroup, type SchedulableOptimizer } from './scheduler.js';
export { ConstantLR, type ConstantLROptions } from './constant.js';
export { StepLR, type StepLROptions } from './step.js';
export { MultiStepLR, type MultiStepLROptions } from './multistep.js';
export { ExponentialLR, type ExponentialLROptions } from './exponential.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine.js';
export { CosineAnnealingWarmRestarts, type WarmRestartsOptions } from './warm_restarts.js';
export { LinearLR, type LinearLROptions } from './linear.js';
export { OneCycleLR, type OneCycleLROptions } from './one_cycle.js';
export { SequentialLR, ChainedScheduler } from './sequential.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './plateau.js';
