/**
 * LearningRateScheduler (Keras): sets every parameter group's lr to schedule(index, lr)
 * before each epoch (index = epoch) or, with per: 'step', before each batch (index = global
 * step). The lr in effect is logged as `lr` at epoch end.
 */
import { checkChoice, checkFunction, option, optionKeys, readOptions } from '../../validate/index.js';
import type { Logs } from '../contracts.js';
import { Callback, checkHook, checkIndex } from './callback.js';

/** The schedule: the new lr from the 0-based epoch (or step) and the current lr. */
export type LrSchedule = (index: number, lr: number) => number;

/** Options of LearningRateScheduler: call the schedule per 'epoch' (default) or per 'step'. */
export interface LearningRateSchedulerOptions {
  per?: 'epoch' | 'step';
}

/** Drives the optimizer's learning rate from a function. */
const KEYS = optionKeys<LearningRateSchedulerOptions>({ per: true });

export class LearningRateScheduler extends Callback {
  readonly per: 'epoch' | 'step';

  constructor(readonly schedule: LrSchedule, options: LearningRateSchedulerOptions = {}) {
    super();
    checkFunction('LearningRateScheduler', 'schedule', schedule);
    const { per } = readOptions<LearningRateSchedulerOptions>('LearningRateScheduler', options, KEYS);
    this.per = per === undefined ? 'epoch' : checkChoice('LearningRateScheduler', option('per'), per, ['epoch', 'step'] as const);
  }

  /** Sets the learning rate for this epoch (per 'epoch'). */
  override onEpochBegin(epoch: number): void {
    checkIndex('LearningRateScheduler.onEpochBegin', epoch);
    if (this.per === 'epoch') this.apply(epoch);
  }

  /** Sets the learning rate for this step (per 'step'). */
  override onBatchBegin(): void {
    if (this.per === 'step') this.apply(this.trainer.globalStep);
  }

  /** Records the first group's learning rate in the epoch's logs (`lr`). */
  override onEpochEnd(_epoch: number, logs: Logs): void {
    checkHook('LearningRateScheduler.onEpochEnd', _epoch, logs);
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
