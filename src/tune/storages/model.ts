/**
 * StorageModel: the state of a storage held in memory, changed only by `apply(op)`, which
 * validates an operation against the current state (finished trials are immutable, a parameter
 * name keeps a compatible distribution, a WAITING trial is claimed once) before changing it.
 */
import { checkDistributionCompatibility, type Distribution, type ParamValue } from '../distributions.js';
import { FrozenTrial, isFinished, type StudyDirection, type TrialState } from '../frozen_trial.js';
import type { JsonValue } from '../json.js';
import { DuplicatedStudyError, StudyNotFoundError, type StudySummary } from './base.js';
import type { StorageOp } from './ops.js';

interface StudyRecord {
  studyId: number;
  studyName: string;
  direction: StudyDirection;
  systemAttrs: Record<string, JsonValue>;
  userAttrs: Record<string, JsonValue>;
  trialIds: number[];
  /** The latest distribution of each parameter name, for the compatibility check. */
  distributions: Map<string, Distribution>;
}

interface TrialRecord {
  trialId: number;
  studyId: number;
  number: number;
  state: TrialState;
  value: number | null;
  params: Map<string, { value: number; distribution: Distribution }>;
  intermediate: Map<number, number>;
  systemAttrs: Record<string, JsonValue>;
  userAttrs: Record<string, JsonValue>;
  datetimeStart: Date | null;
  datetimeComplete: Date | null;
  errorMessage: string | null;
  /** Who runs it (JournalFileStorage's host:pid:nonce), for stale-trial detection. */
  worker: string | null;
  /** Cached snapshot, dropped on every change. */
  frozen: FrozenTrial | null;
}

export class StorageModel {
  private readonly studies: StudyRecord[] = [];
  private readonly byName = new Map<string, StudyRecord>();
  private readonly trials: TrialRecord[] = [];

  /** Validates and applies one operation; returns the new id for create operations. */
  apply(op: StorageOp): number | undefined {
    switch (op.op) {
      case 'createStudy': {
        if (this.byName.has(op.studyName)) throw new DuplicatedStudyError(op.studyName);
        const study: StudyRecord = {
          studyId: this.studies.length, studyName: op.studyName, direction: op.direction,
          systemAttrs: {}, userAttrs: {}, trialIds: [], distributions: new Map(),
        };
        this.studies.push(study);
        this.byName.set(op.studyName, study);
        return study.studyId;
      }
      case 'setStudySystemAttr':
        this.study('setStudySystemAttr', op.studyId).systemAttrs[op.key] = op.value;
        return;
      case 'setStudyUserAttr':
        this.study('setStudyUserAttr', op.studyId).userAttrs[op.key] = op.value;
        return;
      case 'createTrial': {
        const study = this.study('createNewTrial', op.studyId);
        for (const [name, p] of Object.entries(op.params)) this.checkParam('createNewTrial', study, name, p.distribution);
        const trial: TrialRecord = {
          trialId: this.trials.length, studyId: study.studyId, number: study.trialIds.length, state: op.state,
          value: null, params: new Map(Object.entries(op.params)), intermediate: new Map(),
          systemAttrs: { ...op.systemAttrs }, userAttrs: { ...op.userAttrs },
          datetimeStart: op.state === 'RUNNING' ? new Date(op.time) : null, datetimeComplete: null,
          errorMessage: null, worker: op.worker, frozen: null,
        };
        for (const [name, p] of trial.params) study.distributions.set(name, p.distribution);
        this.trials.push(trial);
        study.trialIds.push(trial.trialId);
        return trial.trialId;
      }
      case 'claimTrial': {
        const trial = this.trial('claimWaitingTrial', op.trialId);
        if (trial.state !== 'WAITING') throw new Error(`claimWaitingTrial: trial ${trial.number} is ${trial.state}, not WAITING`);
        trial.state = 'RUNNING';
        trial.datetimeStart = new Date(op.time);
        trial.worker = op.worker;
        trial.frozen = null;
        return;
      }
      case 'setParam': {
        const trial = this.updatable('setTrialParam', op.trialId);
        if (trial.params.has(op.name)) throw new Error(`setTrialParam: trial ${trial.number} already has parameter '${op.name}'`);
        const study = this.studies[trial.studyId];
        this.checkParam('setTrialParam', study, op.name, op.distribution);
        trial.params.set(op.name, { value: op.value, distribution: op.distribution });
        study.distributions.set(op.name, op.distribution);
        return;
      }
      case 'setIntermediate':
        this.updatable('setTrialIntermediateValue', op.trialId).intermediate.set(op.step, op.value);
        return;
      case 'setTrialSystemAttr':
        this.updatable('setTrialSystemAttr', op.trialId).systemAttrs[op.key] = op.value;
        return;
      case 'setTrialUserAttr':
        this.updatable('setTrialUserAttr', op.trialId).userAttrs[op.key] = op.value;
        return;
      case 'finishTrial': {
        const trial = this.trial('setTrialStateValues', op.trialId);
        if (trial.state !== 'RUNNING') throw new Error(`setTrialStateValues: trial ${trial.number} is ${trial.state}; only a RUNNING trial can finish`);
        if (!isFinished(op.state)) throw new RangeError(`setTrialStateValues: state must be COMPLETE, PRUNED or FAIL, got ${op.state}`);
        if (op.state === 'COMPLETE' && op.value === null) throw new RangeError('setTrialStateValues: a COMPLETE trial needs a value');
        trial.state = op.state;
        trial.value = op.value;
        trial.errorMessage = op.errorMessage;
        trial.datetimeComplete = new Date(op.time);
        trial.frozen = null;
        return;
      }
      default:
        throw new TypeError(`StorageModel.apply: unknown operation '${(op as { op: string }).op}'`);
    }
  }

  studyIdFromName(studyName: string): number {
    const s = this.byName.get(studyName);
    if (!s) throw new StudyNotFoundError(`named '${studyName}'`);
    return s.studyId;
  }

  direction(studyId: number): StudyDirection {
    return this.study('getStudyDirection', studyId).direction;
  }

  studySystemAttrs(studyId: number): Record<string, JsonValue> {
    return { ...this.study('getStudySystemAttrs', studyId).systemAttrs };
  }

  studyUserAttrs(studyId: number): Record<string, JsonValue> {
    return { ...this.study('getStudyUserAttrs', studyId).userAttrs };
  }

  allStudies(): StudySummary[] {
    return this.studies.map((s) => ({ studyId: s.studyId, studyName: s.studyName, direction: s.direction, nTrials: s.trialIds.length }));
  }

  /** The id of the oldest WAITING trial of the study, or null. */
  firstWaiting(studyId: number): number | null {
    for (const id of this.study('claimWaitingTrial', studyId).trialIds) if (this.trials[id].state === 'WAITING') return id;
    return null;
  }

  getTrial(trialId: number): FrozenTrial {
    return this.freeze(this.trial('getTrial', trialId));
  }

  allTrials(studyId: number, states?: readonly TrialState[]): FrozenTrial[] {
    const out: FrozenTrial[] = [];
    for (const id of this.study('getAllTrials', studyId).trialIds) {
      const t = this.trials[id];
      if (!states || states.includes(t.state)) out.push(this.freeze(t));
    }
    return out;
  }

  /** [trialId, worker] of the study's RUNNING trials. */
  runningWorkers(studyId: number): Array<[number, string | null]> {
    return this.study('failStaleTrials', studyId).trialIds
      .filter((id) => this.trials[id].state === 'RUNNING').map((id) => [id, this.trials[id].worker]);
  }

  private freeze(t: TrialRecord): FrozenTrial {
    if (t.frozen) return t.frozen;
    const params: Record<string, ParamValue> = {};
    const distributions: Record<string, Distribution> = {};
    for (const [name, p] of t.params) {
      params[name] = p.distribution.toExternalRepr(p.value);
      distributions[name] = p.distribution;
    }
    t.frozen = new FrozenTrial({
      number: t.number, trialId: t.trialId, state: t.state, value: t.value, params, distributions,
      intermediateValues: t.intermediate, datetimeStart: t.datetimeStart, datetimeComplete: t.datetimeComplete,
      userAttrs: t.userAttrs, systemAttrs: t.systemAttrs, errorMessage: t.errorMessage,
    });
    return t.frozen;
  }

  private checkParam(fn: string, study: StudyRecord, name: string, distribution: Distribution): void {
    const previous = study.distributions.get(name);
    if (previous) checkDistributionCompatibility(fn, name, previous, distribution);
  }

  private study(fn: string, studyId: number): StudyRecord {
    const s = this.studies[studyId];
    if (!s) throw new StudyNotFoundError(`with id ${studyId} (${fn})`);
    return s;
  }

  private trial(fn: string, trialId: number): TrialRecord {
    const t = this.trials[trialId];
    if (!t) throw new RangeError(`${fn}: no trial with id ${trialId}`);
    return t;
  }

  /** A trial that may still change: RUNNING, or WAITING (an enqueued trial being prepared). */
  private updatable(fn: string, trialId: number): TrialRecord {
    const t = this.trial(fn, trialId);
    if (isFinished(t.state)) throw new Error(`${fn}: trial ${t.number} is ${t.state}; a finished trial cannot be updated`);
    t.frozen = null;
    return t;
  }
}
