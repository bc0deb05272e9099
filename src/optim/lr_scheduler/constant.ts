/**
 * ConstantLR (torch.optim.lr_scheduler.ConstantLR): lr = base * factor until epoch
 * totalIters, then base. Defaults factor 1/3, totalIters 5.
 */
import { checkNumber, option, optionKeys, readOptions } from '../../validate/index.js';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** ConstantLR options. */
export interface ConstantLROptions {
  factor?: number;
  totalIters?: number;
  lastEpoch?: number;
}

const KEYS = optionKeys<ConstantLROptions>({ factor: true, totalIters: true, lastEpoch: true });

/** lr = base * factor until epoch totalIters, then base (torch.optim.lr_scheduler.ConstantLR; defaults factor 1/3, totalIters 5). */
export class ConstantLR extends LRScheduler {
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options: ConstantLROptions = {}) {
    const o = readOptions<ConstantLROptions>('ConstantLR', options, KEYS);
    super(optimizer, 'ConstantLR', o.lastEpoch);
    this.factor = checkNumber(this.name, option('factor'), o.factor ?? 1 / 3, { min: 0, max: 1 });
    this.totalIters = checkNumber(this.name, option('totalIters'), o.totalIters ?? 5, { min: 0, integer: true });
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0) return lrs.map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return lrs;
    return lrs.map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor)));
  }
}
