/**
 * The train area: metrics, History, callbacks, the training monitor, checkpoints and reports —
 * the parts `fit` is assembled from.
 *
 * @module
 */
export * as metrics from './metrics/index.js';
export {
  Metric, Accuracy, TopKAccuracy, ConfusionMatrix, Precision, Recall, F1Score,
  MeanSquaredError, MeanAbsoluteError, R2Score, createMetric, type MetricValue, type MetricSpec,
} from './metrics/index.js';
export { valKey, type Logs, type LrControl, type TrainableModel } from './contracts.js';
export { History, type EpochRecord, type EventKind, type HistoryJSON, type TrainingEvent } from './history.js';
export { Callback, createTrainerContext, type TrainerContext } from './callbacks/callback.js';
export { CallbackList } from './callbacks/callback_list.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early_stopping.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './callbacks/reduce_lr_on_plateau.js';
export { LearningRateScheduler, type LrSchedule, type LearningRateSchedulerOptions } from './callbacks/learning_rate_scheduler.js';
export { ProgressBar, type ProgressBarOptions, type TextStream } from './callbacks/progress_bar.js';
export { CSVLogger, type CSVLoggerOptions } from './callbacks/csv_logger.js';
export { JSONLLogger } from './callbacks/jsonl_logger.js';
export { TerminateOnNaN } from './callbacks/terminate_on_nan.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks/model_checkpoint.js';
export type { Mode } from './callbacks/monitor_mode.js';
export { TrainingMonitor, HINTS, type DiagnosisType, type TrainingMonitorOptions } from './monitor.js';
export { firstNonFinite, findNonFinite, type NamedTensors, type NonFiniteHit } from './finite.js';
export { WeightsSnapshot } from './weights_snapshot.js';
export { saveSafetensors, loadSafetensors, parseSafetensors, type SafetensorsContent } from './checkpoint/safetensors.js';
export { saveCheckpoint, loadCheckpoint, RESERVED_FIELDS, type Checkpoint, type CheckpointMetadata, type CheckpointState, type SavedCheckpoint } from './checkpoint/checkpoint.js';
export { writeReport, renderReport, REPORT_COLORS } from './report.js';
export { fit, type FitOptions, type FitOptimizer, type GradientClip } from './fit.js';
export { evaluate, type EvaluateOptions } from './evaluate.js';
export { predict, type PredictOptions } from './predict.js';
export { compile, CompiledModel, type CompileOptions, type ModelFitOptions, type OptimizerName } from './compile.js';
export type { DataSpec, XY } from './batch_source.js';
export type { LossSpec, LossFunction, ClassWeight } from './loss_spec.js';
export type { ScheduleSpec, Steppable } from './schedules.js';
export { EventLoopYielder, nextTurn } from './event_loop.js';
export { abortOnSignals, type SignalAbort, type SignalName } from './signals.js';
