/**
 * CosineAnnealingLR:
 *   lr = etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2
 * With etaMin 0 this is the handbook's lr = 0.5 * initial_lr * (1 + cos(epoch * pi / total_epochs)).
 *
 * form 'pytorch' (default) follows torch.optim.lr_scheduler.CosineAnnealingLR step for step:
 * its chainable recursive form, which reproduces the formula while nothing else touches lr and
 * keeps going past tMax (rising back up, as PyTorch does). form 'closed' evaluates the formula
 * literally at every step.
 */
import { checkChoice, checkNumber, option, optionKeys, readOptions } from '../../validate/index.js';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** CosineAnnealingLR options. */
export interface CosineAnnealingLROptions {
  tMax: number;
  etaMin?: number;
  form?: 'pytorch' | 'closed';
  lastEpoch?: number;
}

const KEYS = optionKeys<CosineAnnealingLROptions>({ tMax: true, etaMin: true, form: true, lastEpoch: true });

/**
 * lr = etaMin + (base - etaMin) (1 + cos(pi epoch / tMax)) / 2 (torch.optim.lr_scheduler.CosineAnnealingLR).
 *
 * ```ts
 * const scheduler = new optim.lrScheduler.CosineAnnealingLR(optimizer, { tMax: 50 });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  readonly form: 'pytorch' | 'closed';

  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingLROptions) {
    const o = readOptions<CosineAnnealingLROptions>('CosineAnnealingLR', options, KEYS);
    super(optimizer, 'CosineAnnealingLR', o.lastEpoch);
    this.tMax = checkNumber(this.name, option('tMax'), o.tMax, { minOpen: 0 });
    this.etaMin = checkNumber(this.name, option('etaMin'), o.etaMin ?? 0, { min: 0 });
    this.form = checkChoice(this.name, option('form'), o.form ?? 'pytorch', ['pytorch', 'closed'] as const);
    this.initialStep();
  }

  protected getLr(): number[] {
    const { tMax, etaMin, lastEpoch: e } = this;
    if (this.form === 'closed') return this.closedFormLr();
    const lrs = this.currentLrs();
    if (e === 0) return lrs;
    if (this.stepCount === 1 && e > 0) return this.closedFormLr();
    if ((e - 1 - tMax) % (2 * tMax) === 0) {
      // Restart of the cosine's rising half: add back the first decrement.
      return lrs.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax));
    return lrs.map((lr) => ratio * (lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}
