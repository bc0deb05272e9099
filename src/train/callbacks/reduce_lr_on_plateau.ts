/**
 * ReduceLROnPlateau as a callback, with PyTorch's algorithm
 * (torch.optim.lr_scheduler.ReduceLROnPlateau, 1.13) driven by a log key at each epoch end:
 *   better(a, best): 'min'/'rel': a < best (1 - threshold)   'min'/'abs': a < best - threshold
 *                    'max'/'rel': a > best (1 + threshold)   'max'/'abs': a > best + threshold
 *   bad epochs count up when not better; in cooldown they are zeroed; once they exceed
 *   `patience`, every group's lr becomes max(lr * factor, minLr) — changed only when it moves
 *   by more than eps — and cooldown restarts.
 * Keras's variant reduces after `patience` bad epochs instead of patience + 1 and compares with
 * an absolute min_delta: pass { patience: kerasPatience - 1, thresholdMode: 'abs',
 * threshold: minDelta } for the same decisions.
 */
import type { Logs } from '../contracts.js';
import { Callback } from './callback.js';
import { resolveMode, type Mode } from './monitor_mode.js';

export interface ReduceLROnPlateauOptions {
  monitor?: string;
  mode?: Mode;
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  /** A floor for every group, or one per group. */
  minLr?: number | number[];
  eps?: number;
}

/** Lowers the optimizer's learning rates when `monitor` stops improving. */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly eps: number;
  private readonly minLr: number | number[];
  best = Infinity;
  numBadEpochs = 0;
  cooldownCounter = 0;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    const op = 'ReduceLROnPlateau';
    this.monitor = options.monitor ?? 'valLoss';
    this.mode = resolveMode(op, this.monitor, options.mode ?? 'auto');
    this.factor = options.factor ?? 0.1;
    if (!(this.factor < 1) || !(this.factor >= 0)) throw new RangeError(`${op}: factor must be in [0, 1), got ${this.factor}`);
    this.patience = options.patience ?? 10;
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? 'rel';
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') {
      throw new RangeError(`${op}: thresholdMode must be 'rel' or 'abs', got '${String(this.thresholdMode)}'`);
    }
    this.cooldown = options.cooldown ?? 0;
    this.eps = options.eps ?? 1e-8;
    this.minLr = options.minLr ?? 0;
    for (const [name, v] of [['patience', this.patience], ['cooldown', this.cooldown]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${op}: ${name} must be a non-negative integer, got ${v}`);
    }
    this.reset();
  }

  override onTrainBegin(): void {
    this.reset();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      this.trainer.log(`ReduceLROnPlateau: '${this.monitor}' is not in the logs (have: ${Object.keys(logs).join(', ')}); skipping`);
      return;
    }
    this.step(current, epoch);
    const lrs = this.optimizer().getLr();
    if (lrs.length > 0) logs.lr = lrs[0];
  }

  /** One scheduler step with the monitored value; exposed for use outside a fit loop. */
  step(current: number, epoch = this.trainer?.epoch ?? 0): void {
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduce(epoch);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }

  private reduce(epoch: number): void {
    const optimizer = this.optimizer();
    const old = optimizer.getLr();
    const floors = Array.isArray(this.minLr) ? this.minLr : old.map(() => this.minLr as number);
    if (floors.length !== old.length) {
      throw new RangeError(`ReduceLROnPlateau: minLr has ${floors.length} entries for ${old.length} parameter groups`);
    }
    const next = old.map((lr, i) => {
      const reduced = Math.max(lr * this.factor, floors[i]);
      return lr - reduced > this.eps ? reduced : lr;
    });
    if (next.every((lr, i) => lr === old[i])) return;
    optimizer.setLr(next);
    const message = `Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next.join(', ')}`;
    this.trainer?.history.addEvent({ kind: 'lrChange', epoch, message, detail: { from: old, to: next, monitor: this.monitor, best: this.best } });
    this.trainer?.log(message);
  }

  private isBetter(a: number): boolean {
    const t = this.threshold;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < this.best * (1 - t) : a < this.best - t;
    return this.thresholdMode === 'rel' ? a > this.best * (1 + t) : a > this.best + t;
  }

  private reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.numBadEpochs = 0;
    this.cooldownCounter = 0;
  }

  private optimizer() {
    const optimizer = this.trainer?.optimizer;
    if (!optimizer) throw new Error('ReduceLROnPlateau: the trainer provides no optimizer (getLr/setLr)');
    return optimizer;
  }
}
