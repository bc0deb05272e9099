/** CallbackList: runs every callback's hook in order, awaiting each (Keras's CallbackList). */
import type { Logs } from '../contracts.js';
import { Callback, type TrainerContext } from './callback.js';

/** The callbacks of one run, called in the order given. */
export class CallbackList {
  readonly callbacks: Callback[];

  constructor(callbacks: Iterable<Callback>, readonly trainer: TrainerContext) {
    this.callbacks = [...callbacks];
    for (const cb of this.callbacks) {
      if (!(cb instanceof Callback)) throw new TypeError(`CallbackList: expected Callback instances, got ${Object.prototype.toString.call(cb)}`);
      cb.setTrainer(trainer);
    }
  }

  async onTrainBegin(logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainBegin(logs);
  }

  async onTrainEnd(logs: Logs = {}): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainEnd(logs);
  }

  async onEpochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    this.trainer.epoch = epoch;
    for (const cb of this.callbacks) await cb.onEpochBegin(epoch, logs);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onEpochEnd(epoch, logs);
  }

  async onBatchBegin(batch: number, logs: Logs = {}): Promise<void> {
    // Per-batch hooks are mostly synchronous: await only real promises, keeping a step free
    // of needless microtask hops.
    for (const cb of this.callbacks) {
      const pending = cb.onBatchBegin(batch, logs);
      if (pending) await pending;
    }
  }

  async onBatchEnd(batch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) {
      const pending = cb.onBatchEnd(batch, logs);
      if (pending) await pending;
    }
  }
}
