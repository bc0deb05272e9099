/**
 * EarlyStopping with Keras 3's semantics (keras.callbacks.EarlyStopping):
 *   improvement: current - minDelta < best (mode 'min'), current - minDelta > best ('max'),
 *     with minDelta = |minDelta| and its sign flipped for 'min';
 *   each epoch: wait += 1; on improvement best = current and, when `baseline` is unset or
 *     also beaten, wait = 0; otherwise stop once wait >= patience (never after epoch 0);
 *   restoreBestWeights: the weights of the best epoch (the first epoch's if none improved)
 *     are loaded back when training ends, whether or not it stopped early;
 *   epochs before `startFromEpoch`, epochs whose logs lack `monitor`, and an epoch cut short
 *     mid-way (a resume runs it again) are ignored.
 * Its counters and best weights are saved in checkpoints (stateDict), so a run resumed in the
 * middle of a patience window stops where the uninterrupted run stops.
 */
import { checkBoolean, checkInteger, checkNumber, describeValue, option, optionKeys, readOptions, readState } from '../../validate/index.js';
import type { Logs } from '../contracts.js';
import { checkWeightArrays, WeightsSnapshot, type WeightArrays } from '../weights_snapshot.js';
import { Callback, checkHook, stopTraining } from './callback.js';
import { formatLogValue } from './progress_bar.js';
import { resolveMode, type Mode } from './monitor_mode.js';

/** Options of EarlyStopping, as Keras's: monitor (default 'valLoss'), minDelta, patience, mode, baseline, restoreBestWeights and startFromEpoch. */
export interface EarlyStoppingOptions {
  /** Log key to watch (default 'valLoss'). */
  monitor?: string;
  minDelta?: number;
  patience?: number;
  mode?: Mode;
  /** Training must beat this value to count as progress. */
  baseline?: number;
  restoreBestWeights?: boolean;
  startFromEpoch?: number;
}

/** Stops training when `monitor` has stopped improving. */
const KEYS = optionKeys<EarlyStoppingOptions>({
  monitor: true, minDelta: true, patience: true, mode: true, baseline: true, restoreBestWeights: true, startFromEpoch: true,
});

export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly patience: number;
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly mode: 'min' | 'max';
  /** Signed as Keras stores it: negative in 'min' mode. */
  readonly minDelta: number;
  wait = 0;
  stoppedEpoch = 0;
  best: number | null = null;
  bestEpoch = 0;
  private readonly bestWeights = new WeightsSnapshot();

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    const op = 'EarlyStopping';
    const o = readOptions<EarlyStoppingOptions>(op, options, KEYS);
    this.monitor = o.monitor ?? 'valLoss';
    this.patience = o.patience === undefined ? 0 : checkInteger(op, option('patience'), o.patience, { min: 0 });
    const minDelta = o.minDelta === undefined ? 0 : checkNumber(op, option('minDelta'), o.minDelta);
    this.mode = resolveMode(op, this.monitor, o.mode ?? 'auto');
    this.minDelta = this.mode === 'min' ? -Math.abs(minDelta) : Math.abs(minDelta);
    this.baseline = o.baseline === undefined ? undefined : checkNumber(op, option('baseline'), o.baseline);
    this.restoreBestWeights = o.restoreBestWeights === undefined ? false : checkBoolean(op, option('restoreBestWeights'), o.restoreBestWeights);
    this.startFromEpoch = o.startFromEpoch === undefined ? 0 : checkInteger(op, option('startFromEpoch'), o.startFromEpoch, { min: 0 });
  }

  /** Resets the best value, the wait count and the best weights. */
  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    this.bestWeights.dispose();
  }

  /** Compares the monitored value with the best so far; stops training after `patience` epochs without progress. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    checkHook('EarlyStopping.onEpochEnd', epoch, logs);
    const current = logs[this.monitor];
    if (current === undefined || epoch < this.startFromEpoch || this.trainer?.epochComplete === false) return;
    const model = this.restoreBestWeights ? this.requireModel() : undefined;
    if (model && this.bestWeights.empty) {
      // Until something improves, the first monitored epoch's weights are the best known.
      this.bestWeights.capture(model);
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (model) this.bestWeights.capture(model);
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      stopTraining(this.trainer, `Epoch ${epoch + 1}: early stopping (${this.monitor} did not improve on ${formatLogValue(this.best ?? NaN)} for ${this.wait} epochs)`,
        'earlyStop', { monitor: this.monitor, best: this.best, bestEpoch: this.bestEpoch, wait: this.wait });
    }
  }

  /** Restores the best epoch's weights when `restoreBestWeights` is set. */
  override onTrainEnd(): void {
    if (this.restoreBestWeights && !this.bestWeights.empty) {
      this.bestWeights.restore(this.requireModel());
      this.trainer.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}`);
    }
    this.bestWeights.dispose();
  }

  /** wait, best, bestEpoch, stoppedEpoch, and the best weights when restoreBestWeights is on. */
  stateDict(): Record<string, unknown> {
    return {
      wait: this.wait, best: this.best, bestEpoch: this.bestEpoch, stoppedEpoch: this.stoppedEpoch,
      bestWeights: this.restoreBestWeights && !this.bestWeights.empty ? this.bestWeights.toArrays() : null,
    };
  }

  /** Restores the state of stateDict() (wait, best, best epoch, stopped epoch, best weights) from a checkpoint. */
  loadStateDict(state: Record<string, unknown>): void {
    const op = 'EarlyStopping.loadStateDict';
    const s = readState(op, state, ['wait', 'best', 'bestEpoch', 'stoppedEpoch', 'bestWeights']);
    const count = (key: string) => {
      const v = s[key];
      if (!Number.isSafeInteger(v) || (v as number) < 0) throw new TypeError(`EarlyStopping: saved ${key} must be a non-negative integer, got ${describeValue(v)}`);
      return v as number;
    };
    if (s.best !== null && typeof s.best !== 'number') throw new TypeError(`EarlyStopping: saved best must be a number or null, got ${describeValue(s.best)}`);
    const wait = count('wait');
    const bestEpoch = count('bestEpoch');
    const stoppedEpoch = count('stoppedEpoch');
    let weights: WeightArrays | null = null;
    if (s.bestWeights !== null && s.bestWeights !== undefined) weights = checkWeightArrays(op, "saved 'bestWeights'", s.bestWeights);
    this.wait = wait;
    this.bestEpoch = bestEpoch;
    this.stoppedEpoch = stoppedEpoch;
    this.best = s.best as number | null;
    if (weights) this.bestWeights.fromArrays(weights);
  }

  private isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    return this.mode === 'min' ? value - this.minDelta < reference : value - this.minDelta > reference;
  }

  private requireModel() {
    const model = this.trainer.model;
    if (!model) throw new Error('EarlyStopping: restoreBestWeights needs the trainer to provide a model (stateDict/loadStateDict)');
    return model;
  }
}
