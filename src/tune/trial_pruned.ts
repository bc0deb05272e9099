/**
 * TrialPruned (optuna.TrialPruned): thrown by an objective to end its trial early. The study
 * records the trial as PRUNED, with its last reported intermediate value as the value, and goes on.
 *
 *   trial.report(valLoss, epoch);
 *   if (trial.shouldPrune()) throw new tune.TrialPruned();
 */
import { checkString } from '../validate/index.js';
/**
 * Thrown by an objective to end its trial early (optuna.TrialPruned): the trial is recorded as PRUNED and the study goes on.
 *
 * ```ts
 * trial.report(valLoss, epoch);
 * if (trial.shouldPrune()) throw new tune.TrialPruned();
 * ```
 */
export class TrialPruned extends Error {
  constructor(message = 'Trial was pruned') {
    super(checkString('TrialPruned', 'message', message));
    this.name = 'TrialPruned';
  }
}

/** Recorded as a trial's error when `trialTimeoutMs` ran out before the objective returned. */
export class TrialTimeout extends Error {
  constructor(message: string) {
    super(checkString('TrialTimeout', 'message', message));
    this.name = 'TrialTimeout';
  }
}
