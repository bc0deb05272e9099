/**
 * createStudy / loadStudy (optuna.create_study / optuna.load_study). Async because the storage
 * may be a database. Defaults as Optuna's: direction 'minimize', TPESampler, MedianPruner, an
 * in-memory storage, a generated name. `storage: 'journal:<path>'` opens a JournalFileStorage,
 * 'sqlite:<path>' and 'postgresql://…' a database (storages/open_url.ts, storages/rdb.ts); with
 * `loadIfExists: true` an existing study of that name is continued — its finished trials kept,
 * and RUNNING trials whose process has died (or, in a database, whose heartbeat stopped) marked
 * FAIL. A storage opened here from a URL is closed again when the call throws.
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
import { HEARTBEAT_KEYS, openStorageUrl, STORAGE_FORMS, type HeartbeatOptions } from './storages/open_url.js';
import { Study } from './study.js';
import { copyOptions } from './arguments.js';
import { describeValue, readSafely, typeError } from '../validate/index.js';
import { StudyNotFoundError } from './storages/base.js';

/** Options of createStudy: direction (default 'minimize'), sampler (default TPESampler), pruner (default MedianPruner), storage, studyName, loadIfExists, and the heartbeat settings of database storages. */
export interface CreateStudyOptions extends HeartbeatOptions {
  direction?: StudyDirection;
  sampler?: Sampler;
  pruner?: Pruner;
  /** A Storage, 'journal:<path>', 'sqlite:<path>' or 'postgresql://user:password@host:port/database'. */
  storage?: Storage | string;
  studyName?: string;
  /** Continue the study named `studyName` when the storage has it. */
  loadIfExists?: boolean;
}

/** Options of loadStudy: the study's name and storage, and the sampler, pruner and heartbeat settings to continue it with. */
export interface LoadStudyOptions extends HeartbeatOptions {
  studyName: string;
  storage: Storage | string;
  sampler?: Sampler;
  pruner?: Pruner;
}

/**
 * A new study (optuna.create_study): in memory by default, or in a storage given as an object or a URL ('journal:<path>', 'sqlite:<path>', 'postgresql://...').
 *
 * ```ts
 * const study = await tune.createStudy({ direction: 'maximize', sampler: new tune.TPESampler({ seed: 0 }), storage: 'sqlite:studies.db', studyName: 'mlp', loadIfExists: true });
 * ```
 */
export async function createStudy(options: CreateStudyOptions = {}): Promise<Study> {
  options = copyOptions<CreateStudyOptions>('createStudy', options) ?? {};
  checkOptionKeys('createStudy', options, ['direction', 'sampler', 'pruner', 'storage', 'studyName', 'loadIfExists', ...HEARTBEAT_KEYS]);
  const direction = options.direction ?? 'minimize';
  if (direction !== 'minimize' && direction !== 'maximize') {
    throw new RangeError(`createStudy: direction must be 'minimize' or 'maximize', got ${describeValue(direction)}`);
  }
  if (options.studyName !== undefined && typeof options.studyName !== 'string') typeError('createStudy', "option 'studyName'", 'a string', options.studyName);
  const { storage, opened } = await resolveStorage('createStudy', options.storage, options);
  const studyName = options.studyName ?? `no-name-${randomUUID()}`;
  return closingOnError(storage, opened, async () => {
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
  });
}

/** An existing study of a storage (optuna.load_study); throws StudyNotFoundError when the storage has none of that name. */
export async function loadStudy(options: LoadStudyOptions): Promise<Study> {
  if (options === undefined) typeError('loadStudy', 'options', 'an options object with studyName and storage', options);
  options = copyOptions<LoadStudyOptions>('loadStudy', options)!;
  checkOptionKeys('loadStudy', options, ['studyName', 'storage', 'sampler', 'pruner', ...HEARTBEAT_KEYS]);
  if (typeof options.studyName !== 'string') throw new TypeError(`loadStudy: studyName must be a string, got ${typeof options.studyName}`);
  const { storage, opened } = await resolveStorage('loadStudy', options.storage, options);
  return closingOnError(storage, opened, () => open('loadStudy', storage, options.studyName, options.sampler, options.pruner));
}

/** Runs `fn`; when it throws, closes the storage if this call opened it (no connection left behind). */
async function closingOnError<T>(storage: Storage, opened: boolean, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (opened) await storage.close?.().catch(() => {});
    throw err;
  }
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

async function resolveStorage(fn: string, storage: Storage | string | undefined, heartbeat: HeartbeatOptions): Promise<{ storage: Storage; opened: boolean }> {
  if (typeof storage === 'string') return { storage: await openStorageUrl(fn, storage, pick(heartbeat)), opened: true };
  if (HEARTBEAT_KEYS.some((k) => heartbeat[k] !== undefined)) {
    throw new RangeError(`${fn}: heartbeatIntervalMs, gracePeriodMs and retryFailed need a 'sqlite:' or 'postgresql:' storage URL, got storage ${storage === undefined ? 'undefined (in memory)' : describeValue(storage)}`);
  }
  if (storage === undefined) return { storage: new InMemoryStorage(), opened: false };
  const methods = ['createNewStudy', 'getStudyIdFromName', 'getStudyDirection', 'createNewTrial', 'getAllTrials'];
  const ok = typeof storage === 'object' && storage !== null &&
    readSafely(fn, "option 'storage'", () => methods.every((k) => typeof (storage as unknown as Record<string, unknown>)[k] === 'function'));
  if (!ok) typeError(fn, "option 'storage'", STORAGE_FORMS, storage);
  return { storage, opened: false };
}

function pick(options: HeartbeatOptions): HeartbeatOptions {
  return { heartbeatIntervalMs: options.heartbeatIntervalMs, gracePeriodMs: options.gracePeriodMs, retryFailed: options.retryFailed };
}
