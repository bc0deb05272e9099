/**
 * What samplers and pruners see of a study: its direction and name, its trials (finished ones as
 * stored, running ones as they are right now in this process), study-level system attributes,
 * and a way to annotate a trial or stop the study. Reads are synchronous — the study keeps a
 * snapshot of its storage, refreshed before each trial — so `suggest*` and `shouldPrune` stay
 * synchronous calls even when the storage is a database.
 */
import type { FrozenTrial, StudyDirection, TrialState } from './frozen_trial.js';
import type { JsonValue } from './json.js';

/** What samplers and pruners see of a study: its name and direction, its trials, its system attributes, and a way to annotate a trial or stop the study. Reads are synchronous. */
export interface StudyView {
  readonly studyName: string;
  readonly direction: StudyDirection;
  /** Trials in number order, optionally only those in `states`. */
  getTrials(states?: readonly TrialState[]): readonly FrozenTrial[];
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  /** Sets a system attribute of the study. */
  setSystemAttr(key: string, value: JsonValue): void;
  /** Sets a system attribute of a RUNNING trial of this process (pruners keep rung values there). */
  setTrialSystemAttr(trialNumber: number, key: string, value: JsonValue): void;
  /** Ends `optimize` after the running trial (GridSampler does this when the grid is exhausted). */
  stop(): void;
}
