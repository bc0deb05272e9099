/**
 * StepLR: lr = base * gamma^floor(epoch / stepSize) (torch.optim.lr_scheduler.StepLR; the
 * handbook's "drop_rate ** floor(epoch / drop_every)"), or with `staircase: false` the
 * handbook's continuous step decay lr = initial_lr * decay_rate^(epoch / decay_steps).
 * Default gamma 0.1.
 */
import { checkBoolean, checkNumber } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** StepLR options. */
export interface StepLROptions {
  stepSize: number;
  gamma?: number;
  /** true (default): drops every stepSize epochs; false: decays continuously. */
  staircase?: boolean;
  lastEpoch?: number;
}

export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  readonly staircase: boolean;

  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    super(optimizer, 'StepLR', options.lastEpoch);
    this.stepSize = checkNumber(this.name, 'stepSize', options.stepSize, { minOpen: 0, integer: options.staircase !== false });
    this.gamma = checkNumber(this.name, 'gamma', options.gamma ?? 0.1, { min: 0 });
    this.staircase = checkBoolean(this.name, 'staircase', options.staircase ?? true);
    this.initialStep();
  }

  protected getLr(): number[] {
    if (!this.staircase) return this.closedFormLr();
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    const exponent = this.staircase ? Math.floor(this.lastEpoch / this.stepSize) : this.lastEpoch / this.stepSize;
    return this.baseLrs.map((b) => b * this.gamma ** exponent);
  }
}
