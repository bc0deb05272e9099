/**
 * A storage from its URL, as createStudy/loadStudy and the CLI take it:
 *   journal:<path>                          JournalFileStorage
 *   sqlite:<path>   (or sqlite:///<path>)   RdbStorage on SQLite (SQLAlchemy's form is accepted:
 *                                           three slashes then a relative path, four for an
 *                                           absolute one)
 *   postgresql://user:pass@host:5432/db     RdbStorage on PostgreSQL (also postgres://; libpq's
 *                                           ?host=/socket/dir works too)
 * and the heartbeat options, which only the database storages have.
 */
import { resolve } from 'node:path';
import { checkInt, checkNumber } from '../options.js';
import { describeValue } from '../../validate/index.js';
import type { Storage } from './base.js';
import { JournalFileStorage } from './journal.js';
import { RdbStorage, type RdbOptions } from './rdb.js';
import { PostgresDriver } from './sql/postgres_driver.js';
import { SqliteDriver } from './sql/sqlite_driver.js';

export interface HeartbeatOptions {
  /** How often each running trial's heartbeat is written, in ms (default 10 000; Optuna's heartbeat_interval). */
  heartbeatIntervalMs?: number;
  /** A RUNNING trial whose heartbeat is older is marked FAIL by the next worker that looks, in ms (default 6 heartbeat intervals; Optuna's grace_period). */
  gracePeriodMs?: number;
  /** Enqueue a trial failed that way again with the same params, up to this many times (default 0; Optuna's RetryFailedTrialCallback(max_retry)). */
  retryFailed?: number;
}

export const HEARTBEAT_KEYS = ['heartbeatIntervalMs', 'gracePeriodMs', 'retryFailed'] as const;

/** How long SQLite waits for another process's write lock, and PostgreSQL for a restarting server. */
const BUSY_TIMEOUT_MS = 60_000;
const RECONNECT_TIMEOUT_MS = 30_000;

export const STORAGE_FORMS = "a Storage, 'journal:<path>', 'sqlite:<path>' or 'postgresql://user:password@host:port/database'";

/** Checks the heartbeat options and fills the defaults. */
export function heartbeatOptions(fn: string, options: HeartbeatOptions): RdbOptions {
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 10_000;
  checkNumber(fn, 'heartbeatIntervalMs', heartbeatIntervalMs, 1);
  const gracePeriodMs = options.gracePeriodMs ?? 6 * heartbeatIntervalMs;
  checkNumber(fn, 'gracePeriodMs', gracePeriodMs, 1);
  if (gracePeriodMs <= heartbeatIntervalMs) {
    throw new RangeError(`${fn}: gracePeriodMs must be larger than heartbeatIntervalMs (${heartbeatIntervalMs}), got ${gracePeriodMs}: a live worker would look dead between two beats`);
  }
  const retryFailed = options.retryFailed ?? 0;
  checkInt(fn, 'retryFailed', retryFailed, 0);
  return { heartbeatIntervalMs, gracePeriodMs, retryFailed };
}

export function isDatabaseUrl(url: string): boolean {
  return /^(sqlite:|postgres(ql)?:\/\/)/i.test(url);
}

/** Opens the storage a URL names; throws naming `fn` for a URL of no known form. */
export async function openStorageUrl(fn: string, url: string, options: HeartbeatOptions = {}): Promise<Storage> {
  const heartbeat = heartbeatOptions(fn, options);
  if (!isDatabaseUrl(url) && Object.keys(options).some((k) => options[k as keyof HeartbeatOptions] !== undefined)) {
    throw new RangeError(`${fn}: heartbeatIntervalMs, gracePeriodMs and retryFailed need a 'sqlite:' or 'postgresql:' storage, got storage ${describeValue(url)}`);
  }
  if (url.startsWith('journal:') && url.length > 'journal:'.length) return new JournalFileStorage(url.slice('journal:'.length));
  if (/^sqlite:/i.test(url)) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('///')) path = path.slice(3);
    else if (path.startsWith('//')) throw new RangeError(`${fn}: storage ${describeValue(url)} has a host part; write 'sqlite:<path>' or 'sqlite:///<path>'`);
    if (path === '' || path === ':memory:') throw new RangeError(`${fn}: storage ${describeValue(url)} names no database file; write 'sqlite:<path>' (an in-memory SQLite database could not be shared: use the default in-memory storage)`);
    const driver = await SqliteDriver.open(resolve(path), BUSY_TIMEOUT_MS);
    return RdbStorage.open(fn, driver, heartbeat);
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new RangeError(`${fn}: storage is not a valid PostgreSQL URL (expected 'postgresql://user:password@host:port/database'), got ${describeValue(url.replace(/:[^:@/]*@/, ':***@'))}`);
    }
    if (parsed.pathname.length <= 1) throw new RangeError(`${fn}: the PostgreSQL URL names no database (expected 'postgresql://user:password@host:port/database')`);
    const driver = await PostgresDriver.open(url, { reconnectTimeoutMs: RECONNECT_TIMEOUT_MS, poolSize: 4 });
    return RdbStorage.open(fn, driver, heartbeat);
  }
  throw new RangeError(`${fn}: storage must be ${STORAGE_FORMS}, got ${describeValue(url)}`);
}
