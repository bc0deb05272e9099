/**
 * ReduceLROnPlateau (torch.optim.lr_scheduler.ReduceLROnPlateau; Keras's callback of the same
 * name): multiplies every group's lr by `factor` when a validation metric has not improved for
 * more than `patience` epochs, then waits `cooldown` epochs before counting again.
 * Improvement, for mode 'min' ('max' mirrors it):
 *   rel: metric < best * (1 - threshold)      abs: metric < best - threshold
 * A group's lr never goes below its minLr, and a reduction smaller than eps is skipped.
 * Defaults are PyTorch's: mode 'min', factor 0.1, patience 10, threshold 1e-4 'rel',
 * cooldown 0, minLr 0, eps 1e-8.
 */
import { checkChoice, checkNumber, checkNumbers, option, optionKeys, readOptions } from '../../validate/index.js';
import { checkScheduleState, checkSchedulable, type SchedulableOptimizer } from './scheduler.js';

/** ReduceLROnPlateau options. */
export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  /** One for all groups, or one per group. */
  minLr?: number | number[];
  eps?: number;
}

/** The option keys, shared with train's ReduceLROnPlateau callback. */
export const PLATEAU_KEYS = optionKeys<ReduceLROnPlateauOptions>({
  mode: true, factor: true, patience: true, threshold: true, thresholdMode: true, cooldown: true, minLr: true, eps: true,
});

/**
 * Reduces the learning rate by `factor` when a metric has stopped improving for `patience` epochs (torch.optim.lr_scheduler.ReduceLROnPlateau): `scheduler.step(valLoss)` once per epoch.
 *
 * ```ts
 * const scheduler = new optim.lrScheduler.ReduceLROnPlateau(optimizer, { factor: 0.5, patience: 3 });
 * for (let epoch = 0; epoch < 50; epoch++) { trainOneEpoch(); scheduler.step(validationLoss()); }
 * ```
 */
export class ReduceLROnPlateau {
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(readonly optimizer: SchedulableOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const name = 'ReduceLROnPlateau';
    checkSchedulable(name, optimizer);
    const o = readOptions<ReduceLROnPlateauOptions>(name, options, PLATEAU_KEYS);
    this.mode = checkChoice(name, option('mode'), o.mode ?? 'min', ['min', 'max'] as const);
    this.factor = checkNumber(name, option('factor'), o.factor ?? 0.1, { min: 0, maxOpen: 1 });
    this.patience = checkNumber(name, option('patience'), o.patience ?? 10, { min: 0, integer: true });
    this.threshold = checkNumber(name, option('threshold'), o.threshold ?? 1e-4, { min: 0 });
    this.thresholdMode = checkChoice(name, option('thresholdMode'), o.thresholdMode ?? 'rel', ['rel', 'abs'] as const);
    this.cooldown = checkNumber(name, option('cooldown'), o.cooldown ?? 0, { min: 0, integer: true });
    this.eps = checkNumber(name, option('eps'), o.eps ?? 1e-8, { min: 0 });
    const groups = optimizer.paramGroups;
    const minLr = o.minLr ?? 0;
    const list = Array.isArray(minLr) ? minLr : groups.map(() => minLr);
    if (list.length !== groups.length) throw new RangeError(`${name}: expected ${groups.length} minLr values, got ${list.length}`);
    this.minLrs = Array.from(checkNumbers(name, option('minLr'), list, { min: 0 }));
    this.best = this.worst();
    this.lastLr = groups.map((g) => g.lr);
  }

  private worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    checkNumber('ReduceLROnPlateau.isBetter', 'a', a, { infinite: true });
    checkNumber('ReduceLROnPlateau.isBetter', 'best', best, { infinite: true });
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** Records one epoch's validation metric and reduces lr when it has plateaued. */
  step(metric: number): void {
    const current = checkNumber('ReduceLROnPlateau', 'metric', metric);
    this.lastEpoch++;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const next = Math.max(g.lr * this.factor, this.minLrs[i]);
      if (g.lr - next > this.eps) g.lr = next;
    });
  }

  /** The learning rate of each parameter group after the last step. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state (best value, bad epochs, cooldown), for a checkpoint. */
  stateDict(): Record<string, unknown> {
    return {
      best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch, lastLr: [...this.lastLr],
    };
  }

  /** Restores a state from stateDict(). */
  loadStateDict(state: Record<string, unknown>): void {
    const s = checkScheduleState('ReduceLROnPlateau.loadStateDict', state, this.stateDict());
    if (s.best !== undefined) this.best = s.best as number;
    if (s.numBadEpochs !== undefined) this.numBadEpochs = s.numBadEpochs as number;
    if (s.cooldownCounter !== undefined) this.cooldownCounter = s.cooldownCounter as number;
    if (s.lastEpoch !== undefined) this.lastEpoch = s.lastEpoch as number;
    if (s.lastLr !== undefined) this.lastLr = s.lastLr as number[];
  }
}
