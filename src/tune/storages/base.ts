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

/** One study of a storage: its id, name, direction and trial count. */
export interface StudySummary {
  studyId: number;
  studyName: string;
  direction: StudyDirection;
  nTrials: number;
}

/** Where a study's trials are kept (optuna.storages.BaseStorage, in camelCase): in memory, a journal file, SQLite or PostgreSQL. Every method is async; ids are assigned by the storage; a finished trial is immutable. */
export interface Storage {
  /** Creates a study; throws DuplicatedStudyError when the name is taken. Returns its id. */
  createNewStudy(direction: StudyDirection, studyName: string): Promise<number>;
  /** The id of the named study; throws StudyNotFoundError when there is none. */
  getStudyIdFromName(studyName: string): Promise<number>;
  /** The study's direction. */
  getStudyDirection(studyId: number): Promise<StudyDirection>;
  /** Every study in the storage. */
  getAllStudies(): Promise<StudySummary[]>;
  /** The study's system attributes (set by samplers and pruners). */
  getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>>;
  /** Sets a system attribute of the study. */
  setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void>;
  /** The study's user attributes. */
  getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>>;
  /** Sets a user attribute of the study. */
  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void>;

  /** Creates a trial (RUNNING, started now, unless the template says WAITING). */
  createNewTrial(studyId: number, template?: TrialTemplate): Promise<FrozenTrial>;
  /** Atomically takes the oldest WAITING trial of the study, makes it RUNNING and returns it; null when none waits. */
  claimWaitingTrial(studyId: number): Promise<FrozenTrial | null>;
  /** Records a parameter of a RUNNING trial, as its internal value with its distribution. */
  setTrialParam(trialId: number, name: string, internalValue: number, distribution: Distribution): Promise<void>;
  /** Records an intermediate value of a RUNNING trial at a step. */
  setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void>;
  /** Sets a system attribute of a RUNNING trial. */
  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /** Sets a user attribute of a RUNNING trial. */
  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void>;
  /** Finishes a RUNNING trial: COMPLETE with a value, PRUNED (value optional), FAIL (error message optional). */
  setTrialStateValues(trialId: number, state: Exclude<TrialState, 'RUNNING' | 'WAITING'>, value: number | null, errorMessage?: string | null): Promise<void>;
  /** The trial with this id. */
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

/** Thrown by createNewStudy when the name is taken (pass loadIfExists: true to continue the study). */
export class DuplicatedStudyError extends Error {
  constructor(studyName: string) {
    super(`createNewStudy: a study named '${checkString('DuplicatedStudyError', 'studyName', studyName)}' already exists (pass loadIfExists: true to continue it)`);
    this.name = 'DuplicatedStudyError';
  }
}

/** Thrown when a storage has no study of the given name or id. */
export class StudyNotFoundError extends Error {
  constructor(what: string) {
    super(`no study ${checkString('StudyNotFoundError', 'what', what)} in this storage`);
    this.name = 'StudyNotFoundError';
  }
}
