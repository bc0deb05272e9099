/**
 * FrozenTrial (optuna.trial.FrozenTrial): a trial as storages keep it — an immutable record of
 * its number, state, value, parameters (external values and their distributions), intermediate
 * values by step, timestamps, attributes and, for a failed trial, why it failed.
 */
import type { Distribution, ParamValue } from './distributions.js';
import type { JsonValue } from './json.js';

/** A trial's states, as optuna.trial.TrialState: RUNNING, COMPLETE, PRUNED, FAIL, WAITING (enqueued). */
export const TrialState = {
  RUNNING: 'RUNNING',
  COMPLETE: 'COMPLETE',
  PRUNED: 'PRUNED',
  FAIL: 'FAIL',
  WAITING: 'WAITING',
} as const;
export type TrialState = (typeof TrialState)[keyof typeof TrialState];

/** COMPLETE, PRUNED and FAIL are final; RUNNING and WAITING are not. */
export function isFinished(state: TrialState): boolean {
  return state === 'COMPLETE' || state === 'PRUNED' || state === 'FAIL';
}

/** Whether a study minimizes or maximizes its objective. */
export type StudyDirection = 'minimize' | 'maximize';

export interface FrozenTrialInit {
  number: number;
  trialId: number;
  state: TrialState;
  value: number | null;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  intermediateValues: Map<number, number>;
  datetimeStart: Date | null;
  datetimeComplete: Date | null;
  userAttrs: Record<string, JsonValue>;
  systemAttrs: Record<string, JsonValue>;
  errorMessage: string | null;
}

/** A finished or running trial as storages keep it (optuna.trial.FrozenTrial): number, state, value, parameters and their distributions, intermediate values, timestamps and attributes. */
export class FrozenTrial {
  /** 0-based position of the trial in its study. */
  readonly number: number;
  /** The storage's id of the trial (unique across the storage's studies). */
  readonly trialId: number;
  readonly state: TrialState;
  /** The objective's value; for a PRUNED trial its last intermediate value (Optuna's rule), else null. */
  readonly value: number | null;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly intermediateValues: ReadonlyMap<number, number>;
  readonly datetimeStart: Date | null;
  readonly datetimeComplete: Date | null;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  /** For a FAIL trial: the error's message (or why the study failed it). */
  readonly errorMessage: string | null;

  constructor(init: FrozenTrialInit) {
    this.number = init.number;
    this.trialId = init.trialId;
    this.state = init.state;
    this.value = init.value;
    this.params = Object.freeze({ ...init.params });
    this.distributions = Object.freeze({ ...init.distributions });
    this.intermediateValues = new Map(init.intermediateValues);
    this.datetimeStart = init.datetimeStart;
    this.datetimeComplete = init.datetimeComplete;
    this.userAttrs = Object.freeze({ ...init.userAttrs });
    this.systemAttrs = Object.freeze({ ...init.systemAttrs });
    this.errorMessage = init.errorMessage;
    Object.freeze(this);
  }

  /** The largest reported step, or null when nothing was reported. */
  get lastStep(): number | null {
    let last: number | null = null;
    for (const step of this.intermediateValues.keys()) if (last === null || step > last) last = step;
    return last;
  }

  /** Milliseconds from start to completion, null until both are known. */
  get duration(): number | null {
    if (!this.datetimeStart || !this.datetimeComplete) return null;
    return this.datetimeComplete.getTime() - this.datetimeStart.getTime();
  }

  /** The trial as plain JSON (dates as ISO strings, intermediate values as an object). */
  toJSON(): Record<string, unknown> {
    return {
      number: this.number, state: this.state, value: this.value, params: this.params,
      distributions: Object.fromEntries(Object.entries(this.distributions).map(([k, d]) => [k, d.toJSON()])),
      intermediateValues: Object.fromEntries(this.intermediateValues),
      datetimeStart: this.datetimeStart?.toISOString() ?? null,
      datetimeComplete: this.datetimeComplete?.toISOString() ?? null,
      duration: this.duration, userAttrs: this.userAttrs, systemAttrs: this.systemAttrs, errorMessage: this.errorMessage,
    };
  }
}
