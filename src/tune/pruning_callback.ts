/**
 * PruningCallback (Optuna's framework integrations, e.g. optuna_integration.KerasPruningCallback):
 * plugs a study's pruner into `train.fit`. After every epoch it reports logs[monitor] as the
 * trial's intermediate value at step = epoch (0-based) and asks the pruner; when the pruner says
 * so it stops training (an 'earlyStop' event in the History) and marks the trial pruned, so the
 * study records it as PRUNED once the objective returns. `checkPruned()` throws TrialPruned for
 * objectives that prefer to end by exception, as Optuna's Lightning callback does.
 *
 *   await train.fit(model, { ..., callbacks: [new tune.PruningCallback(trial, 'valLoss')] });
 */
import { Callback, checkHook, checkIndex, stopTraining } from '../train/callbacks/callback.js';
import type { Logs } from '../train/contracts.js';
import type { Trial } from './trial.js';
import { TrialPruned } from './trial_pruned.js';
import { readSafely, typeError } from '../validate/index.js';

/** What the callback uses of a trial: a Trial, or the RemoteTrial of an objective in a worker thread. */
export type PrunableTrial = Pick<Trial, 'number' | 'report' | 'shouldPrune' | 'markPruned' | 'prunedMessage'>;

export class PruningCallback extends Callback {
  /** The epoch (0-based) at which the trial was pruned, or null. */
  prunedEpoch: number | null = null;
  private warned = false;

  constructor(readonly trial: PrunableTrial, readonly monitor = 'valLoss') {
    super();
    const what = 'a tune Trial (report, shouldPrune, markPruned)';
    if (typeof trial !== 'object' || trial === null) typeError('PruningCallback', 'trial', what, trial);
    const ok = readSafely('PruningCallback', 'trial', () => ['report', 'shouldPrune', 'markPruned'].every((k) => typeof (trial as unknown as Record<string, unknown>)[k] === 'function'));
    if (!ok) typeError('PruningCallback', 'trial', what, trial);
    if (typeof monitor !== 'string' || monitor === '') typeError('PruningCallback', 'monitor', "a log key such as 'valLoss'", monitor);
  }

  get pruned(): boolean {
    return this.prunedEpoch !== null;
  }

  /** Reports the monitored value to the trial, and throws TrialPruned when the pruner says so. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    checkIndex('PruningCallback.onEpochEnd', epoch);
    checkHook('PruningCallback.onEpochEnd', epoch, logs);
    const value = logs[this.monitor];
    if (value === undefined) {
      // An epoch cut short (abort, another callback's stop) has no validation logs: not a mistake.
      if (!this.trainer.stopTraining && !this.warned) {
        this.warned = true;
        this.trainer.log(`PruningCallback: '${this.monitor}' is not in the epoch logs (${Object.keys(logs).join(', ')}); nothing is reported to the pruner`);
      }
      return;
    }
    this.trial.report(value, epoch);
    if (!this.trial.shouldPrune()) return;
    this.prunedEpoch = epoch;
    const message = `Trial ${this.trial.number} pruned at epoch ${epoch + 1} (${this.monitor} ${value})`;
    this.trial.markPruned(message);
    stopTraining(this.trainer, message, 'earlyStop', { pruned: true, trial: this.trial.number, monitor: this.monitor, value });
  }

  /** Throws TrialPruned when this callback pruned the trial. */
  checkPruned(): void {
    if (this.pruned) throw new TrialPruned(this.trial.prunedMessage ?? `Trial ${this.trial.number} was pruned`);
  }
}
