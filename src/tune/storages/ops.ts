/**
 * The storage operations as data. InMemoryStorage applies them to a StorageModel directly;
 * JournalFileStorage also appends each one to its file, and rebuilds a model on load by applying
 * the file's operations in order — one code path for both, so a journal replays to exactly the
 * state the writing process had. Timestamps and the writing worker travel inside the operation,
 * which keeps replay deterministic.
 */
import type { Distribution } from '../distributions.js';
import type { StudyDirection, TrialState } from '../frozen_trial.js';
import type { JsonValue } from '../json.js';

export type FinishedState = Exclude<TrialState, 'RUNNING' | 'WAITING'>;

export type StorageOp =
  | { op: 'createStudy'; studyName: string; direction: StudyDirection; time: string }
  | { op: 'setStudySystemAttr'; studyId: number; key: string; value: JsonValue }
  | { op: 'setStudyUserAttr'; studyId: number; key: string; value: JsonValue }
  | {
    op: 'createTrial'; studyId: number; state: 'RUNNING' | 'WAITING'; time: string; worker: string | null;
    params: Record<string, { value: number; distribution: Distribution }>;
    systemAttrs: Record<string, JsonValue>; userAttrs: Record<string, JsonValue>;
  }
  | { op: 'claimTrial'; trialId: number; time: string; worker: string | null }
  | { op: 'setParam'; trialId: number; name: string; value: number; distribution: Distribution }
  | { op: 'setIntermediate'; trialId: number; step: number; value: number }
  | { op: 'setTrialSystemAttr'; trialId: number; key: string; value: JsonValue }
  | { op: 'setTrialUserAttr'; trialId: number; key: string; value: JsonValue }
  | { op: 'finishTrial'; trialId: number; state: FinishedState; value: number | null; errorMessage: string | null; time: string };

export type OpName = StorageOp['op'];
