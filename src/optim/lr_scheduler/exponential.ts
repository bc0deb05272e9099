/**
 * ExponentialLR: lr = base * gamma^epoch (torch.optim.lr_scheduler.ExponentialLR, applied as
 * lr *= gamma each step), or, given `decayConstant` k, the handbook's
 * lr = initial_lr * e^(-k * epoch), computed in that closed form.
 */
import { checkNumber } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** ExponentialLR options: exactly one of gamma and decayConstant. */
export interface ExponentialLROptions {
  gamma?: number;
  /** k of e^(-k * epoch). */
  decayConstant?: number;
  lastEpoch?: number;
}

export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  readonly decayConstant: number | null;

  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    super(optimizer, 'ExponentialLR', options.lastEpoch);
    if ((options.gamma === undefined) === (options.decayConstant === undefined)) {
      throw new Error(`${this.name}: give exactly one of gamma and decayConstant`);
    }
    this.decayConstant = options.decayConstant === undefined ? null
      : checkNumber(this.name, 'decayConstant', options.decayConstant, { min: 0 });
    this.gamma = this.decayConstant === null ? checkNumber(this.name, 'gamma', options.gamma, { min: 0 }) : Math.exp(-this.decayConstant);
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.decayConstant !== null) return this.closedFormLr();
    const lrs = this.currentLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    if (this.decayConstant !== null) return this.baseLrs.map((b) => b * Math.exp(-this.decayConstant! * this.lastEpoch));
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}
