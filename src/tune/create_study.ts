/**
 * createStudy / loadStudy (optuna.create_study / optuna.load_study). Async because the storage
 * may be a database. Defaults as Optuna's: direction 'minimize', TPESampler, MedianPruner, an
 * in-memory storage, a generated name. `storage: 'journal:<path>'` opens a JournalFileStorage;
 * with `loadIfExists: true` an existing study of that name is continued — its finished trials
 * kept, and RUNNING trials whose process has died marked FAIL.
 */
import { randomUUID } from 'node:crypto';
import type { StudyDirection } from './frozen_trial.js';
import { checkOptionKeys } from './options.js';
import type { Pruner } from './pruners/base.js';
import { MedianPruner } from './pruners/median.js';
import type { Sampler } from './samplers/base.js';
import { TPESampler } from './samplers/tpe/sampler.js';
import { DuplicatedStudyError, type Storage } from './storages/base.js';
import { InMemoryStorage } from './storages/in_memory.js';
import { JournalFileStorage } from './storages/journal.js';
import { Study } from './study.js';
import { copyOptions } from './arguments.js';
import { describeValue, readSafely, typeError } from '../validate/index.js';
import { StudyNotFoundError } from './storages/base.js';

export interface CreateStudyOptions {
  direction?: StudyDirection;
  sampler?: Sampler;
  pruner?: Pruner;
  /** A Storage, or 'journal:<path>' for a JournalFileStorage. */
  storage?: Storage | string;
  studyName?: string;
  /** Continue the study named `studyName` when the storage has it. */
  loadIfExists?: boolean;
}

export interface LoadStudyOptions {
  studyName: string;
  storage: Storage | string;
  sampler?: Sampler;
  pruner?: Pruner;
}

export async function createStudy(options: CreateStudyOptions = {}): Promise<Study> {
  options = copyOptions<CreateStudyOptions>('createStudy', options) ?? {};
  checkOptionKeys('createStudy', options, ['direction', 'sampler', 'pruner', 'storage', 'studyName', 'loadIfExists']);
  const direction = options.direction ?? 'minimize';
  if (direction !== 'minimize' && direction !== 'maximize') {
    throw new RangeError(`createStudy: direction must be 'minimize' or 'maximize', got ${describeValue(direction)}`);
  }
  const storage = resolveStorage('createStudy', options.storage);
  const studyName = options.studyName ?? `no-name-${randomUUID()}`;
  let studyId: number;
  try {
    studyId = await storage.createNewStudy(direction, studyName);
  } catch (err) {
    if (!(err instanceof DuplicatedStudyError) || !options.loadIfExists) throw err;
    return open('createStudy', storage, studyName, options.sampler, options.pruner, direction);
  }
  const study = new Study(storage, studyId, studyName, direction, options.sampler ?? new TPESampler(), options.pruner ?? new MedianPruner());
  await study.refresh();
  return study;
}

export async function loadStudy(options: LoadStudyOptions): Promise<Study> {
  if (options === undefined) typeError('loadStudy', 'options', 'an options object with studyName and storage', options);
  options = copyOptions<LoadStudyOptions>('loadStudy', options)!;
  checkOptionKeys('loadStudy', options, ['studyName', 'storage', 'sampler', 'pruner']);
  if (typeof options.studyName !== 'string') throw new TypeError(`loadStudy: studyName must be a string, got ${typeof options.studyName}`);
  return open('loadStudy', resolveStorage('loadStudy', options.storage), options.studyName, options.sampler, options.pruner);
}

async function open(fn: string, storage: Storage, studyName: string, sampler?: Sampler, pruner?: Pruner, direction?: StudyDirection): Promise<Study> {
  let studyId: number;
  try {
    studyId = await storage.getStudyIdFromName(studyName);
  } catch (err) {
    if (err instanceof StudyNotFoundError) err.message = `${fn}: ${err.message}`;
    throw err;
  }
  const stored = await storage.getStudyDirection(studyId);
  if (direction !== undefined && stored !== direction) {
    throw new RangeError(`${fn}: study '${studyName}' exists with direction '${stored}', got direction '${direction}'`);
  }
  await storage.failStaleTrials?.(studyId);
  const study = new Study(storage, studyId, studyName, stored, sampler ?? new TPESampler(), pruner ?? new MedianPruner());
  await study.refresh();
  return study;
}

function resolveStorage(fn: string, storage: Storage | string | undefined): Storage {
  if (storage === undefined) return new InMemoryStorage();
  if (typeof storage !== 'string') {
    const methods = ['createNewStudy', 'getStudyIdFromName', 'getStudyDirection', 'createNewTrial', 'getAllTrials'];
    const ok = typeof storage === 'object' && storage !== null &&
      readSafely(fn, "option 'storage'", () => methods.every((k) => typeof (storage as unknown as Record<string, unknown>)[k] === 'function'));
    if (!ok) typeError(fn, "option 'storage'", "a Storage (InMemoryStorage, JournalFileStorage) or 'journal:<path>'", storage);
    return storage;
  }
  if (storage.startsWith('journal:') && storage.length > 'journal:'.length) return new JournalFileStorage(storage.slice('journal:'.length));
  throw new RangeError(`${fn}: storage must be a Storage or 'journal:<path>', got '${storage}' (database storages are not available yet)`);
}
