/**
 * LinearLR (torch.optim.lr_scheduler.LinearLR): warm-up (or decay) by a factor moving
 * linearly from startFactor to endFactor over totalIters epochs, then held:
 *   lr = base * (start + (end - start) * min(epoch, totalIters) / totalIters).
 * Defaults startFactor 1/3, endFactor 1, totalIters 5.
 */
import { checkNumber, option, optionKeys, readOptions } from '../../validate/index.js';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** LinearLR options. */
export interface LinearLROptions {
  startFactor?: number;
  endFactor?: number;
  totalIters?: number;
  lastEpoch?: number;
}

const KEYS = optionKeys<LinearLROptions>({ startFactor: true, endFactor: true, totalIters: true, lastEpoch: true });

/** lr = base * a factor moving linearly from startFactor to endFactor over totalIters epochs, then held (torch.optim.lr_scheduler.LinearLR): a warm-up or a decay. */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: SchedulableOptimizer, options: LinearLROptions = {}) {
    const o = readOptions<LinearLROptions>('LinearLR', options, KEYS);
    super(optimizer, 'LinearLR', o.lastEpoch);
    this.startFactor = checkNumber(this.name, option('startFactor'), o.startFactor ?? 1 / 3, { minOpen: 0, max: 1 });
    this.endFactor = checkNumber(this.name, option('endFactor'), o.endFactor ?? 1, { min: 0, max: 1 });
    this.totalIters = checkNumber(this.name, option('totalIters'), o.totalIters ?? 5, { minOpen: 0, integer: true });
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0) return lrs.map((lr) => lr * this.startFactor);
    if (this.lastEpoch > this.totalIters) return lrs;
    // PyTorch's chainable form: the ratio of consecutive closed-form factors.
    const d = this.endFactor - this.startFactor;
    const ratio = 1 + d / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * d);
    return lrs.map((lr) => lr * ratio);
  }

  protected override closedFormLr(): number[] {
    const d = this.endFactor - this.startFactor;
    return this.baseLrs.map((b) => b * (this.startFactor + (d * Math.min(this.totalIters, this.lastEpoch)) / this.totalIters));
  }
}
