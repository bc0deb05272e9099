/**
 * Callbacks: user code at fixed points of the training loop, with Keras's hook names in
 * camelCase (on_epoch_end -> onEpochEnd). Epoch and batch indices are 0-based; `logs` carries
 * the numbers of the moment (batch: loss, size; epoch: loss, valLoss, metrics, lr, seconds).
 * A callback reaches the run through `this.trainer`: the model, the optimizer's learning
 * rates, the History, and `stopTraining` (Keras's model.stop_training). A callback with
 * counters that must survive a checkpoint also has stateDict()/loadStateDict()
 * (callback_state.ts).
 */
import type { Logs, LrControl, TrainableModel } from '../contracts.js';
import { checkBoolean, checkFunction, checkInstance, checkInteger, checkPlainObject, isPlainObject, optionKeys, readOptions, readSafely, typeError } from '../../validate/index.js';
import type { NamedTensors } from '../finite.js';
import { History } from '../history.js';

/** The run as callbacks see it; `fit` owns one per call. */
export interface TrainerContext {
  history: History;
  model?: TrainableModel;
  optimizer?: LrControl;
  /** Planned number of epochs. */
  epochs: number;
  /** Batches per epoch, when known (for progress and ETA). */
  stepsPerEpoch?: number;
  /** Current 0-based epoch. */
  epoch: number;
  /** Batches completed since training began. */
  globalStep: number;
  /**
   * False during onEpochEnd of an epoch cut short (a stop or cancellation mid-epoch), which a
   * resume runs again from its next batch: counters over epochs skip it, so the resumed run
   * counts that epoch once.
   */
  epochComplete: boolean;
  /** Set to end training after the current batch or epoch. */
  stopTraining: boolean;
  /** Why training stopped, when a callback stopped it. */
  stopReason?: string;
  /** The named gradients of the last backward pass (for NaN diagnosis). */
  namedGradients?(): NamedTensors;
  /** Opaque JSON-able state for checkpoints (architecture, optimizer, RNG...); typed arrays are stored as tensors. */
  checkpointState?(): Record<string, unknown>;
  /** Where callbacks write human-readable lines. */
  log(line: string): void;
}

/** A fresh context with defaults; `fit` and tests fill in what they have. */
const CONTEXT_KEYS = optionKeys<TrainerContext>({
  history: true, model: true, optimizer: true, epochs: true, stepsPerEpoch: true, epoch: true, globalStep: true,
  stopTraining: true, epochComplete: true, stopReason: true, namedGradients: true, checkpointState: true, log: true,
});

/** A trainer context for driving callbacks outside fit (tests, custom loops): defaults for every field not given. */
export function createTrainerContext(init: Partial<TrainerContext> & { history: History }): TrainerContext {
  const o = readOptions<TrainerContext>('createTrainerContext', init, CONTEXT_KEYS, 'init');
  checkInstance('createTrainerContext', "init 'history'", o.history, History);
  for (const k of ['epochs', 'epoch', 'globalStep', 'stepsPerEpoch'] as const) {
    if (o[k] !== undefined) checkInteger('createTrainerContext', `init '${k}'`, o[k], { min: 0 });
  }
  if (o.epochComplete !== undefined) checkBoolean('createTrainerContext', "init 'epochComplete'", o.epochComplete);
  for (const k of ['log', 'namedGradients', 'checkpointState'] as const) {
    if (o[k] !== undefined) checkFunction('createTrainerContext', `init '${k}'`, o[k]);
  }
  init = o as typeof init;
  return { epochs: 1, epoch: 0, globalStep: 0, stopTraining: false, epochComplete: true, log: (line) => console.log(line), ...init };
}

type Hook = void | Promise<void>;

/** Base class: override the hooks you need; each may be async. */
export class Callback {
  /** Set by CallbackList before training begins. */
  trainer!: TrainerContext;

  /** Gives the callback the trainer context it reads (history, model, optimizer, epoch...); called by CallbackList. */
  setTrainer(trainer: TrainerContext): void {
    checkPlainObject('Callback.setTrainer', 'trainer', trainer, 'a trainer context (createTrainerContext)');
    this.trainer = trainer;
  }

  /** Called once before the first epoch. */
  onTrainBegin(_logs: Logs): Hook {}
  /** Called once after the last epoch (also when training stops early). */
  onTrainEnd(_logs: Logs): Hook {}
  /** Called at the start of each epoch (0-based). */
  onEpochBegin(_epoch: number, _logs: Logs): Hook {}
  /** Called at the end of each epoch with its logs (loss, metrics, validation figures, lr). */
  onEpochEnd(_epoch: number, _logs: Logs): Hook {}
  /** Called before each batch (0-based within the epoch). */
  onBatchBegin(_batch: number, _logs: Logs): Hook {}
  /** Called after each batch with its logs (the batch loss). */
  onBatchEnd(_batch: number, _logs: Logs): Hook {}
}

/** Stops the run and records why, as a 'terminate' or 'earlyStop' event. */
export function stopTraining(trainer: TrainerContext, reason: string, kind: 'terminate' | 'earlyStop', detail?: Record<string, unknown>, step?: number): void {
  trainer.stopTraining = true;
  trainer.stopReason ??= reason;
  trainer.history.addEvent({ kind, epoch: trainer.epoch, ...(step !== undefined ? { step } : {}), message: reason, ...(detail ? { detail } : {}) });
  trainer.log(reason);
}

/** A hook's epoch or batch index: a non-negative integer. */
export function checkIndex(op: string, index: unknown, name: 'epoch' | 'batch' = 'epoch'): number {
  return checkInteger(op, name, index, { min: 0 });
}

/**
 * A hook's arguments: the epoch or batch index (a non-negative integer) and the logs (an object
 * of numbers; NaN and infinities allowed, a diverged loss is one). The logs are checked, not
 * copied: callbacks add to them (ReduceLROnPlateau's lr) and the trainer reads that back.
 */
export function checkHook(op: string, index: unknown, logs: unknown, indexName: 'epoch' | 'batch' = 'epoch'): void {
  if (index !== undefined) checkIndex(op, index, indexName);
  if (!isPlainObject(logs)) typeError(op, 'logs', 'an object of numbers', logs);
  readSafely(op, 'logs', () => {
    for (const [k, v] of Object.entries(logs)) if (typeof v !== 'number') typeError(op, `logs '${k}'`, 'a number', v);
  });
}
