/**
 * ExponentialLR: lr = base * gamma^epoch (torch.optim.lr_scheduler.ExponentialLR, applied as
 * lr *= gamma each step), or, given `decayConstant` k, the handbook's
 * lr = initial_lr * e^(-k * epoch), computed in that closed form.
 */
import { checkNumber, option, optionKeys, readOptions } from '../../validate/index.js';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** ExponentialLR options: exactly one of gamma and decayConstant. */
export interface ExponentialLROptions {
  gamma?: number;
  /** k of e^(-k * epoch). */
  decayConstant?: number;
  lastEpoch?: number;
}

const KEYS = optionKeys<ExponentialLROptions>({ gamma: true, decayConstant: true, lastEpoch: true });

/** lr = base * gamma^epoch (torch.optim.lr_scheduler.ExponentialLR), or base * e^(-k epoch) given `decayConstant` k. */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  readonly decayConstant: number | null;

  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    const o = readOptions<ExponentialLROptions>('ExponentialLR', options, KEYS);
    super(optimizer, 'ExponentialLR', o.lastEpoch);
    if ((o.gamma === undefined) === (o.decayConstant === undefined)) {
      throw new Error(`${this.name}: give exactly one of gamma and decayConstant`);
    }
    this.decayConstant = o.decayConstant === undefined ? null
      : checkNumber(this.name, option('decayConstant'), o.decayConstant, { min: 0 });
    this.gamma = this.decayConstant === null ? checkNumber(this.name, option('gamma'), o.gamma, { min: 0 }) : Math.exp(-this.decayConstant);
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
