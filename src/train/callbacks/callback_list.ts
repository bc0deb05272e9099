/** CallbackList: runs every callback's hook in order, awaiting each (Keras's CallbackList). */
import type { Logs } from '../contracts.js';
import { Callback, checkHook, type TrainerContext } from './callback.js';
import { checkPlainObject, isInstance, readSafely, typeError } from '../../validate/index.js';

/** The callbacks of one run, called in the order given. */
export class CallbackList {
  readonly callbacks: Callback[];

  constructor(callbacks: Iterable<Callback>, readonly trainer: TrainerContext) {
    const op = 'CallbackList';
    if (typeof callbacks !== 'object' || callbacks === null) typeError(op, 'callbacks', 'an iterable of Callback instances', callbacks);
    this.callbacks = readSafely(op, 'callbacks', () => {
      if (!(Symbol.iterator in callbacks)) typeError(op, 'callbacks', 'an iterable of Callback instances', callbacks);
      return [...callbacks];
    });
    this.callbacks.forEach((cb, i) => {
      if (!isInstance(cb, Callback)) typeError(op, `callbacks[${i}]`, 'a Callback', cb);
    });
    checkPlainObject(op, 'trainer', trainer, 'a trainer context (createTrainerContext)');
    for (const cb of this.callbacks) cb.setTrainer(trainer);
  }

  /** Runs every callback's onTrainBegin, in order, awaiting each. */
  async onTrainBegin(logs: Logs = {}): Promise<void> {
    checkHook('CallbackList.onTrainBegin', undefined, logs);
    for (const cb of this.callbacks) await cb.onTrainBegin(logs);
  }

  /** Runs every callback's onTrainEnd, in order. */
  async onTrainEnd(logs: Logs = {}): Promise<void> {
    checkHook('CallbackList.onTrainEnd', undefined, logs);
    for (const cb of this.callbacks) await cb.onTrainEnd(logs);
  }

  /** Runs every callback's onEpochBegin, in order. */
  async onEpochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    checkHook('CallbackList.onEpochBegin', epoch, logs);
    this.trainer.epoch = epoch;
    for (const cb of this.callbacks) await cb.onEpochBegin(epoch, logs);
  }

  /** Runs every callback's onEpochEnd, in order. */
  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    checkHook('CallbackList.onEpochEnd', epoch, logs);
    for (const cb of this.callbacks) await cb.onEpochEnd(epoch, logs);
  }

  /** Runs every callback's onBatchBegin, in order. */
  async onBatchBegin(batch: number, logs: Logs = {}): Promise<void> {
    checkHook('CallbackList.onBatchBegin', batch, logs, 'batch');
    // Per-batch hooks are mostly synchronous: await only real promises, keeping a step free
    // of needless microtask hops.
    for (const cb of this.callbacks) {
      const pending = cb.onBatchBegin(batch, logs);
      if (pending) await pending;
    }
  }

  /** Runs every callback's onBatchEnd, in order. */
  async onBatchEnd(batch: number, logs: Logs): Promise<void> {
    checkHook('CallbackList.onBatchEnd', batch, logs, 'batch');
    for (const cb of this.callbacks) {
      const pending = cb.onBatchEnd(batch, logs);
      if (pending) await pending;
    }
  }
}
