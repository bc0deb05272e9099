/**
 * The storage contract, shaped for a database (the SQLite and PostgreSQL storages of a later
 * issue implement it too): every method is async, a study and a trial are addressed by ids the
 * storage assigns, a new trial's number is assigned by the storage (numbers are dense per study),
 * and `claimWaitingTrial` moves one enqueued WAITING trial to RUNNING atomically, so two workers
 * never run the same enqueued trial. Parameters are stored in their internal representation
 * (categoricals as choice indices) with their distribution. A finished trial is immutable:
 * updating it throws.
 *
 * Mirrors optuna.storages.BaseStorage, in camelCase, minus multi-objective values.
 */
import type { Distribution } from '../distributions.js';
import type { FrozenTrial, StudyDirection, TrialState } from '../frozen_trial.js';
import type { JsonValue } from '../json.js';
import { checkString } from '../../validate/index.js';

/** What `createNewTrial` may preset: an enqueued trial is WAITING with fixed parameters. */
export interface TrialTemplate {
  state?: 'RUNNING' | 'WAITING';
  /** Internal values, each with its distribution. */
  params?: Record<string, { value: number; distribution: Distribution }>;
  systemAttrs?: Record<string, JsonValue>;
  userAttrs?: Record<string, JsonValue>;
}

export interface StudySummary {
  studyId: number;
  studyName: string;
  direction: StudyDirection;
  nTrials: number;
}

export interface Storage {
  /** Creates a study; throws DuplicatedStudyError when the name is taken. Returns its id. */
  createNewStudy(direction: StudyDirection, studyName: string): Promise<number>;
  /** The id of the named study; throws StudyNotFoundError when there is none. */
  getStudyIdFromName(studyName: string): Promise<number>;
  getStudyDirection(studyId: number): Promise<StudyDirection>;
  getAllStudies(): Promise<StudySummary[]>;
  getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>>;
  setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>>;
  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void>;

  /** Creates a trial (RUNNING, started now, unless the template says WAITING). */
  createNewTrial(studyId: number, template?: TrialTemplate): Promise<FrozenTrial>;
  /** Atomically takes the oldest WAITING trial of the study, makes it RUNNING and returns it; null when none waits. */
  claimWaitingTrial(studyId: number): Promise<FrozenTrial | null>;
  setTrialParam(trialId: number, name: string, internalValue: number, distribution: Distribution): Promise<void>;
  setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /** Finishes a RUNNING trial: COMPLETE with a value, PRUNED (value optional), FAIL (error message optional). */
  setTrialStateValues(trialId: number, state: Exclude<TrialState, 'RUNNING' | 'WAITING'>, value: number | null, errorMessage?: string | null): Promise<void>;
  getTrial(trialId: number): Promise<FrozenTrial>;
  /** The study's trials in number order, optionally only those in `states`. */
  getAllTrials(studyId: number, states?: readonly TrialState[]): Promise<FrozenTrial[]>;
  /**
   * Marks FAIL the RUNNING trials whose worker is known to be gone (a crashed process); returns
   * their numbers. Storages that cannot tell leave this out.
   */
  failStaleTrials?(studyId: number): Promise<number[]>;
  /** True when other processes write to it too (a database): the study re-reads it while trials run. */
  readonly shared?: boolean;
  /** Releases files or connections. */
  close?(): Promise<void>;
}

export class DuplicatedStudyError extends Error {
  constructor(studyName: string) {
    super(`createNewStudy: a study named '${checkString('DuplicatedStudyError', 'studyName', studyName)}' already exists (pass loadIfExists: true to continue it)`);
    this.name = 'DuplicatedStudyError';
  }
}

export class StudyNotFoundError extends Error {
  constructor(what: string) {
    super(`no study ${checkString('StudyNotFoundError', 'what', what)} in this storage`);
    this.name = 'StudyNotFoundError';
  }
}
