/**
 * CosineAnnealingWarmRestarts (SGDR, Loshchilov & Hutter;
 * torch.optim.lr_scheduler.CosineAnnealingWarmRestarts):
 *   lr = etaMin + (base - etaMin) * (1 + cos(pi * tCur / tI)) / 2
 * where tCur counts epochs since the last restart and the period tI starts at t0 and is
 * multiplied by tMult at each restart. step() advances one epoch; step(epoch) takes any
 * (fractional) epoch, so it can be stepped per iteration with epoch + i / itersPerEpoch.
 */
import { checkNumber, option, optionKeys, readOptions } from '../../validate/index.js';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

/** CosineAnnealingWarmRestarts options. */
export interface WarmRestartsOptions {
  t0: number;
  tMult?: number;
  etaMin?: number;
  lastEpoch?: number;
}

const KEYS = optionKeys<WarmRestartsOptions>({ t0: true, tMult: true, etaMin: true, lastEpoch: true });

/** Cosine annealing with warm restarts, SGDR (torch.optim.lr_scheduler.CosineAnnealingWarmRestarts): the period starts at t0 and is multiplied by tMult at each restart; step(epoch) takes fractional epochs. */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  /** Current period. */
  tI: number;
  /** Epochs since the last restart. */
  tCur: number;

  constructor(optimizer: SchedulableOptimizer, options: WarmRestartsOptions) {
    const o = readOptions<WarmRestartsOptions>('CosineAnnealingWarmRestarts', options, KEYS);
    super(optimizer, 'CosineAnnealingWarmRestarts', o.lastEpoch);
    this.t0 = checkNumber(this.name, option('t0'), o.t0, { minOpen: 0, integer: true });
    this.tMult = checkNumber(this.name, option('tMult'), o.tMult ?? 1, { min: 1, integer: true });
    this.etaMin = checkNumber(this.name, option('etaMin'), o.etaMin ?? 0, { min: 0 });
    this.tI = this.t0;
    this.tCur = this.lastEpoch;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }

  protected override advance(epoch?: number): void {
    this.stepCount++;
    let e = epoch;
    if (e === undefined && this.lastEpoch < 0) e = 0;
    if (e === undefined) {
      e = this.lastEpoch + 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
    } else {
      checkNumber(this.name, 'epoch', e, { min: 0 });
      if (e >= this.t0) {
        if (this.tMult === 1) {
          this.tCur = e % this.t0;
        } else {
          // The restart index n solves t0 * (tMult^n - 1) / (tMult - 1) <= e.
          const n = Math.trunc(Math.log((e / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = e - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = e;
      }
    }
    this.lastEpoch = Math.floor(e);
    const values = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i];
    });
    this.lastLr = this.currentLrs();
  }
}
