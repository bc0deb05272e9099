/**
 * LearningRateScheduler (Keras): sets every parameter group's lr to schedule(index, lr)
 * before each epoch (index = epoch) or, with per: 'step', before each batch (index = global
 * step). The lr in effect is logged as `lr` at epoch end.
 */
import type { Logs } from '../contracts.js';
import { Callback } from './callback.js';

/** The schedule: the new lr from the 0-based epoch (or step) and the current lr. */
export type LrSchedule = (index: number, lr: number) => number;

export interface LearningRateSchedulerOptions {
  per?: 'epoch' | 'step';
}

/** Drives the optimizer's learning rate from a function. */
export class LearningRateScheduler extends Callback {
  readonly per: 'epoch' | 'step';

  constructor(readonly schedule: LrSchedule, options: LearningRateSchedulerOptions = {}) {
    super();
    if (typeof schedule !== 'function') throw new TypeError('LearningRateScheduler: schedule must be a function (index, lr) => lr');
    this.per = options.per ?? 'epoch';
    if (this.per !== 'epoch' && this.per !== 'step') {
      throw new RangeError(`LearningRateScheduler: per must be 'epoch' or 'step', got '${String(this.per)}'`);
    }
  }

  override onEpochBegin(epoch: number): void {
    if (this.per === 'epoch') this.apply(epoch);
  }

  override onBatchBegin(): void {
    if (this.per === 'step') this.apply(this.trainer.globalStep);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    const lrs = this.optimizer().getLr();
    if (lrs.length > 0) logs.lr = lrs[0];
  }

  private apply(index: number): void {
    const optimizer = this.optimizer();
    const next = optimizer.getLr().map((lr) => {
      const v = this.schedule(index, lr);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new RangeError(`LearningRateScheduler: schedule(${index}, ${lr}) returned ${String(v)}, expected a finite lr >= 0`);
      }
      return v;
    });
    optimizer.setLr(next);
  }

  private optimizer() {
    const optimizer = this.trainer?.optimizer;
    if (!optimizer) throw new Error('LearningRateScheduler: the trainer provides no optimizer (getLr/setLr)');
    return optimizer;
  }
}
