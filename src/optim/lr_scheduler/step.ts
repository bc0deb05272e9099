/**
 * StepLR: lr = base * gamma^floor(epoch / stepSize) (torch.optim.lr_scheduler.StepLR; the
 * handbook's "drop_rate ** floor(epoch / drop_every)"), or with `staircase: false` the
 * handbook's continuous step decay lr = initial_lr * decay_rate^(epoch / decay_steps).
 * Default gamma 0.1.
 */
import { checkBoolean, checkNumber, option, optionKeys, readOptions } from '../../validate/index.js';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** StepLR options. */
export interface StepLROptions {
  stepSize: number;
  gamma?: number;
  /** true (default): drops every stepSize epochs; false: decays continuously. */
  staircase?: boolean;
  lastEpoch?: number;
}

const KEYS = optionKeys<StepLROptions>({ stepSize: true, gamma: true, staircase: true, lastEpoch: true });

/**
 * lr = base * gamma^floor(epoch / stepSize) (torch.optim.lr_scheduler.StepLR; default gamma 0.1), or with `staircase: false` base * gamma^(epoch / stepSize).
 *
 * ```ts
 * const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 10, gamma: 0.5 });   // step() once per epoch
 * ```
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  readonly staircase: boolean;

  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    const o = readOptions<StepLROptions>('StepLR', options, KEYS);
    super(optimizer, 'StepLR', o.lastEpoch);
    this.stepSize = checkNumber(this.name, option('stepSize'), o.stepSize, { minOpen: 0, integer: o.staircase !== false });
    this.gamma = checkNumber(this.name, option('gamma'), o.gamma ?? 0.1, { min: 0 });
    this.staircase = checkBoolean(this.name, option('staircase'), o.staircase ?? true);
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
