/**
 * MultiStepLR (torch.optim.lr_scheduler.MultiStepLR): lr = base * gamma^(number of milestones
 * <= epoch); a milestone listed twice counts twice. Default gamma 0.1.
 */
import { checkNumber } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** MultiStepLR options. */
export interface MultiStepLROptions {
  milestones: number[];
  gamma?: number;
  lastEpoch?: number;
}

export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: MultiStepLROptions) {
    super(optimizer, 'MultiStepLR', options.lastEpoch);
    if (!Array.isArray(options.milestones)) throw new TypeError(`${this.name}: milestones must be an array of epochs`);
    this.milestones = options.milestones.map((m, i) => checkNumber(this.name, `milestones[${i}]`, m, { min: 0, integer: true }))
      .sort((a, b) => a - b);
    this.gamma = checkNumber(this.name, 'gamma', options.gamma ?? 0.1, { min: 0 });
    this.initialStep();
  }

  protected getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    const lrs = this.currentLrs();
    return hits === 0 ? lrs : lrs.map((lr) => lr * this.gamma ** hits);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}
