/**
 * MultiStepLR (torch.optim.lr_scheduler.MultiStepLR): lr = base * gamma^(number of milestones
 * <= epoch); a milestone listed twice counts twice. Default gamma 0.1.
 */
import { checkNumber, checkNumbers, option, optionKeys, readOptions } from '../../validate/index.js';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** MultiStepLR options. */
export interface MultiStepLROptions {
  milestones: number[];
  gamma?: number;
  lastEpoch?: number;
}

const KEYS = optionKeys<MultiStepLROptions>({ milestones: true, gamma: true, lastEpoch: true });

/** lr = base * gamma^(milestones passed) (torch.optim.lr_scheduler.MultiStepLR; default gamma 0.1). */
export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;

  constructor(optimizer: SchedulableOptimizer, options: MultiStepLROptions) {
    const o = readOptions<MultiStepLROptions>('MultiStepLR', options, KEYS);
    super(optimizer, 'MultiStepLR', o.lastEpoch);
    checkNumbers(this.name, option('milestones'), o.milestones, { min: 0, integer: true });
    this.milestones = [...o.milestones!].sort((a, b) => a - b);
    this.gamma = checkNumber(this.name, option('gamma'), o.gamma ?? 0.1, { min: 0 });
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
