/**
 * InMemoryStorage (optuna.storages.InMemoryStorage): the default storage; the study lives as long
 * as the process.
 */
import type { Distribution } from '../distributions.js';
import type { FrozenTrial, StudyDirection, TrialState } from '../frozen_trial.js';
import type { JsonValue } from '../json.js';
import type { Storage, StudySummary, TrialTemplate } from './base.js';
import { StorageModel } from './model.js';
import type { FinishedState, StorageOp } from './ops.js';

/** The default storage (optuna.storages.InMemoryStorage): the study lives as long as the process. */
export class InMemoryStorage implements Storage {
  protected readonly model = new StorageModel();

  /** Applies one operation; JournalFileStorage overrides this to make it durable first. */
  protected commit(op: StorageOp): number | undefined {
    return this.model.apply(op);
  }

  /** Brings the model up to date before a read (a journal reads what other processes appended). */
  protected sync(): void {}

  /** Who runs the trials this storage creates (null: not tracked). */
  protected worker(): string | null {
    return null;
  }

  async createNewStudy(direction: StudyDirection, studyName: string): Promise<number> {
    return this.commit({ op: 'createStudy', studyName, direction, time: new Date().toISOString() })!;
  }

  async getStudyIdFromName(studyName: string): Promise<number> {
    this.sync();
    return this.model.studyIdFromName(studyName);
  }

  async getStudyDirection(studyId: number): Promise<StudyDirection> {
    this.sync();
    return this.model.direction(studyId);
  }

  async getAllStudies(): Promise<StudySummary[]> {
    this.sync();
    return this.model.allStudies();
  }

  async getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    this.sync();
    return this.model.studySystemAttrs(studyId);
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.commit({ op: 'setStudySystemAttr', studyId, key, value });
  }

  async getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    this.sync();
    return this.model.studyUserAttrs(studyId);
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.commit({ op: 'setStudyUserAttr', studyId, key, value });
  }

  async createNewTrial(studyId: number, template: TrialTemplate = {}): Promise<FrozenTrial> {
    const trialId = this.commit({
      op: 'createTrial', studyId, state: template.state ?? 'RUNNING', time: new Date().toISOString(), worker: this.worker(),
      params: template.params ?? {}, systemAttrs: template.systemAttrs ?? {}, userAttrs: template.userAttrs ?? {},
    })!;
    return this.model.getTrial(trialId);
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    return this.claim(studyId);
  }

  /** Finds and claims under one commit; a journal overrides it to hold its lock across both. */
  protected claim(studyId: number): FrozenTrial | null {
    const trialId = this.model.firstWaiting(studyId);
    if (trialId === null) return null;
    this.commit({ op: 'claimTrial', trialId, time: new Date().toISOString(), worker: this.worker() });
    return this.model.getTrial(trialId);
  }

  async setTrialParam(trialId: number, name: string, value: number, distribution: Distribution): Promise<void> {
    this.commit({ op: 'setParam', trialId, name, value, distribution });
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    this.commit({ op: 'setIntermediate', trialId, step, value });
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.commit({ op: 'setTrialSystemAttr', trialId, key, value });
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    this.commit({ op: 'setTrialUserAttr', trialId, key, value });
  }

  async setTrialStateValues(trialId: number, state: FinishedState, value: number | null, errorMessage: string | null = null): Promise<void> {
    this.commit({ op: 'finishTrial', trialId, state, value, errorMessage, time: new Date().toISOString() });
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    this.sync();
    return this.model.getTrial(trialId);
  }

  async getAllTrials(studyId: number, states?: readonly TrialState[]): Promise<FrozenTrial[]> {
    this.sync();
    return this.model.allTrials(studyId, states);
  }
}
