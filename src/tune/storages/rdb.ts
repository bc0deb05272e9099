/**
 * RdbStorage (optuna.storages.RDBStorage): studies in a relational database, SQLite for many
 * processes on one machine ('sqlite:path/to/study.db'), PostgreSQL for many machines
 * ('postgresql://user:pass@host:5432/db'). The schema, its version and migrations are in
 * sql/schema.ts; the drivers, which are optional peer dependencies, in sql/*_driver.ts.
 *
 * Where Optuna's RDBStorage goes wrong under several workers, and what is done here instead:
 * - "database is locked" (SQLite): WAL, write transactions that take the lock up front, and
 *   retries with back-off (sql/sqlite_driver.ts);
 * - two workers running one trial, or a result overwritten: a trial number is drawn from the
 *   study row inside the inserting transaction, an enqueued trial is claimed with
 *   SELECT … FOR UPDATE SKIP LOCKED, and every write to a trial is one conditional UPDATE on
 *   `state IN ('RUNNING','WAITING')` that also locks the row — a finished trial is never
 *   changed, and the error says which trial and which state;
 * - trials RUNNING forever after a crash: every running trial has a heartbeat (sql/heartbeat.ts);
 *   before each new trial a worker fails the RUNNING trials whose heartbeat is older than the
 *   grace period, or whose process on this host is gone, and with `retryFailed: n` enqueues each
 *   again with its parameters (Optuna's RetryFailedTrialCallback: system attributes
 *   failed_trial and retry_history).
 * Reads are cached per trial id and version (sql/trial_rows.ts).
 */
import { checkDistributionCompatibility, type Distribution } from '../distributions.js';
import { FrozenTrial, isFinished, type StudyDirection, type TrialState } from '../frozen_trial.js';
import type { JsonValue } from '../json.js';
import { DuplicatedStudyError, StudyNotFoundError, type Storage, type StudySummary, type TrialTemplate } from './base.js';
import { isDeadWorker, parseWorker, workerId } from './file_lock.js';
import { decodeJson, encodeJson } from './journal_codec.js';
import type { FinishedState } from './ops.js';
import type { SqlDriver, SqlTx, SqlValue } from './sql/driver.js';
import { Heartbeat } from './sql/heartbeat.js';
import { migrate } from './sql/schema.js';
import { fetchTrials, parseDistribution, TrialCache } from './sql/trial_rows.js';

export interface RdbOptions {
  /** How often a running trial's heartbeat is written (ms). */
  heartbeatIntervalMs: number;
  /** A RUNNING trial whose heartbeat is older than this is failed by the next worker to look (ms). */
  gracePeriodMs: number;
  /** How many times a trial failed that way is enqueued again with its parameters. */
  retryFailed: number;
}

const OPEN = "('RUNNING', 'WAITING')";

export class RdbStorage implements Storage {
  /** Other processes write to this storage: the study re-reads it while a trial runs. */
  readonly shared = true;
  private readonly self = workerId();
  private readonly caches = new Map<number, TrialCache>();
  private readonly trialStudy = new Map<number, number>();
  /** `studyId NUL name` → the distribution text this process last recorded for it. */
  private readonly checked = new Map<string, string>();
  private readonly heartbeat: Heartbeat;

  private constructor(private readonly db: SqlDriver, private readonly options: RdbOptions) {
    this.heartbeat = new Heartbeat(db, options.heartbeatIntervalMs);
  }

  /** Opens the database behind `db` and brings its schema up to date. */
  static async open(fn: string, db: SqlDriver, options: RdbOptions): Promise<RdbStorage> {
    try {
      await migrate(fn, db);
    } catch (err) {
      await db.close().catch(() => {});
      throw err;
    }
    return new RdbStorage(db, options);
  }

  /** Where the database is (no password). */
  get where(): string {
    return this.db.where;
  }

  async createNewStudy(direction: StudyDirection, studyName: string): Promise<number> {
    return this.db.write(async (tx) => {
      if ((await tx.all('SELECT study_id FROM steepest_studies WHERE study_name = ?', [studyName])).length) throw new DuplicatedStudyError(studyName);
      try {
        const rows = await tx.all('INSERT INTO steepest_studies (study_name, direction, created_ms) VALUES (?, ?, ?) RETURNING study_id', [studyName, direction, Date.now()]);
        return Number(rows[0].study_id);
      } catch (err) {
        if (isUniqueViolation(err)) throw new DuplicatedStudyError(studyName);
        throw err;
      }
    });
  }

  async getStudyIdFromName(studyName: string): Promise<number> {
    const rows = await this.db.all('SELECT study_id FROM steepest_studies WHERE study_name = ?', [studyName]);
    if (!rows.length) throw new StudyNotFoundError(`named '${studyName}' (${this.db.where})`);
    return Number(rows[0].study_id);
  }

  async getStudyDirection(studyId: number): Promise<StudyDirection> {
    const rows = await this.db.all('SELECT direction FROM steepest_studies WHERE study_id = ?', [studyId]);
    if (!rows.length) throw new StudyNotFoundError(`with id ${studyId} (getStudyDirection)`);
    return rows[0].direction as StudyDirection;
  }

  async getAllStudies(): Promise<StudySummary[]> {
    const rows = await this.db.all('SELECT study_id, study_name, direction, next_number FROM steepest_studies ORDER BY study_id');
    return rows.map((r) => ({ studyId: Number(r.study_id), studyName: String(r.study_name), direction: r.direction as StudyDirection, nTrials: Number(r.next_number) }));
  }

  getStudySystemAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return this.studyAttrs('getStudySystemAttrs', studyId, 'system');
  }

  getStudyUserAttrs(studyId: number): Promise<Record<string, JsonValue>> {
    return this.studyAttrs('getStudyUserAttrs', studyId, 'user');
  }

  setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    return this.setStudyAttr('setStudySystemAttr', studyId, 'system', key, value);
  }

  setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    return this.setStudyAttr('setStudyUserAttr', studyId, 'user', key, value);
  }

  async createNewTrial(studyId: number, template: TrialTemplate = {}): Promise<FrozenTrial> {
    const state = template.state ?? 'RUNNING';
    const params = Object.entries(template.params ?? {});
    const plain = params.length === 0 && Object.keys(template.systemAttrs ?? {}).length === 0 && Object.keys(template.userAttrs ?? {}).length === 0;
    if (plain && state === 'RUNNING' && this.db.dialect === 'postgresql') return this.createPlainTrial(studyId);
    const trial = await this.db.write(async (tx) => {
      const counter = await tx.all('UPDATE steepest_studies SET next_number = next_number + 1 WHERE study_id = ? RETURNING next_number', [studyId]);
      if (!counter.length) throw new StudyNotFoundError(`with id ${studyId} (createNewTrial)`);
      const number = Number(counter[0].next_number) - 1;
      for (const [name, p] of params) await this.checkParam('createNewTrial', studyId, name, p.distribution, encodeJson(p.distribution), tx);
      const running = state === 'RUNNING';
      const start = running ? Date.now() : null;
      const rows = await tx.all(
        `INSERT INTO steepest_trials (study_id, number, state, start_ms, worker, heartbeat_ms, version)
         VALUES (?, ?, ?, ?, ?, ${running ? this.db.nowMs : 'NULL'}, 1) RETURNING trial_id`,
        [studyId, number, state, start, running ? this.self : null]);
      const trialId = Number(rows[0].trial_id);
      this.trialStudy.set(trialId, studyId);
      for (const [name, p] of params) {
        await tx.run('INSERT INTO steepest_trial_params (trial_id, name, value, distribution_json) VALUES (?, ?, ?, ?)', [trialId, name, p.value, encodeJson(p.distribution)]);
      }
      for (const [kind, attrs] of [['system', template.systemAttrs], ['user', template.userAttrs]] as const) {
        for (const [key, value] of Object.entries(attrs ?? {})) {
          await tx.run('INSERT INTO steepest_trial_attrs (trial_id, kind, key, value_json) VALUES (?, ?, ?, ?)', [trialId, kind, key, encodeJson(value)]);
        }
      }
      const frozen = new FrozenTrial({
        number, trialId, state, value: null,
        params: Object.fromEntries(params.map(([name, p]) => [name, p.distribution.toExternalRepr(p.value)])),
        distributions: Object.fromEntries(params.map(([name, p]) => [name, p.distribution])),
        intermediateValues: new Map(), datetimeStart: start === null ? null : new Date(start), datetimeComplete: null,
        userAttrs: { ...template.userAttrs }, systemAttrs: { ...template.systemAttrs }, errorMessage: null,
      });
      this.cache(studyId).put(trialId, 1, frozen);
      return frozen;
    });
    if (state === 'RUNNING') this.heartbeat.add(trial.trialId);
    return trial;
  }

  /**
   * A new RUNNING trial in one statement (PostgreSQL): the study row's counter is incremented and
   * the trial inserted with that number, atomically, in one round trip.
   */
  private async createPlainTrial(studyId: number): Promise<FrozenTrial> {
    const start = Date.now();
    const rows = await this.db.write((tx) => tx.all(`WITH c AS (UPDATE steepest_studies SET next_number = next_number + 1 WHERE study_id = ? RETURNING next_number - 1 AS number)
      INSERT INTO steepest_trials (study_id, number, state, start_ms, worker, heartbeat_ms, version)
      SELECT CAST(? AS INTEGER), number, 'RUNNING', CAST(? AS BIGINT), CAST(? AS TEXT), ${this.db.nowMs}, 1 FROM c RETURNING trial_id, number`,
    [studyId, studyId, start, this.self]));
    if (!rows.length) throw new StudyNotFoundError(`with id ${studyId} (createNewTrial)`);
    const trialId = Number(rows[0].trial_id);
    const frozen = new FrozenTrial({
      number: Number(rows[0].number), trialId, state: 'RUNNING', value: null, params: {}, distributions: {}, intermediateValues: new Map(),
      datetimeStart: new Date(start), datetimeComplete: null, userAttrs: {}, systemAttrs: {}, errorMessage: null,
    });
    this.trialStudy.set(trialId, studyId);
    this.cache(studyId).put(trialId, 1, frozen);
    this.heartbeat.add(trialId);
    return frozen;
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    // Most asks find nothing enqueued: one plain read says so (and whether the study exists).
    const [peek] = await this.db.all(`SELECT (SELECT trial_id FROM steepest_trials WHERE study_id = ? AND state = 'WAITING' LIMIT 1) AS waiting,
      (SELECT study_id FROM steepest_studies WHERE study_id = ?) AS found`, [studyId, studyId]);
    if (peek.found === null || peek.found === undefined) throw new StudyNotFoundError(`with id ${studyId} (claimWaitingTrial)`);
    if (peek.waiting === null || peek.waiting === undefined) return null;
    const skipLocked = this.db.dialect === 'postgresql' ? ' FOR UPDATE SKIP LOCKED' : '';
    const trial = await this.db.write(async (tx) => {
      const waiting = await tx.all(`SELECT trial_id FROM steepest_trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1${skipLocked}`, [studyId]);
      if (!waiting.length) return null;
      const trialId = Number(waiting[0].trial_id);
      const changed = await tx.run(
        `UPDATE steepest_trials SET state = 'RUNNING', start_ms = ?, worker = ?, heartbeat_ms = ${this.db.nowMs}, version = version + 1
         WHERE trial_id = ? AND state = 'WAITING'`, [Date.now(), this.self, trialId]);
      if (changed !== 1) throw new Error(`claimWaitingTrial: trial id ${trialId} was claimed by another worker meanwhile`);
      return (await fetchTrials(tx, [trialId])).get(trialId)!.trial;
    });
    if (trial) this.heartbeat.add(trial.trialId);
    return trial;
  }

  async setTrialParam(trialId: number, name: string, value: number, distribution: Distribution): Promise<void> {
    const fn = 'setTrialParam';
    const text = encodeJson(distribution);
    const studyId = await this.studyOf(fn, trialId);
    await this.checkParam(fn, studyId, name, distribution, text);
    try {
      await this.writeOpen(fn, trialId, `INSERT INTO steepest_trial_params (trial_id, name, value, distribution_json)
        SELECT trial_id, CAST(? AS TEXT), CAST(? AS DOUBLE PRECISION), CAST(? AS TEXT) FROM t`, [name, value, text]);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const [row] = await this.db.all('SELECT number FROM steepest_trials WHERE trial_id = ?', [trialId]);
      throw new Error(`${fn}: trial ${row?.number} already has parameter '${name}'`);
    }
  }

  async setTrialIntermediateValue(trialId: number, step: number, value: number): Promise<void> {
    await this.writeOpen('setTrialIntermediateValue', trialId, `INSERT INTO steepest_trial_values (trial_id, step, value)
      SELECT trial_id, CAST(? AS BIGINT), CAST(? AS DOUBLE PRECISION) FROM t WHERE true
      ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value`, [step, Number.isNaN(value) ? null : value]);
  }

  setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    return this.setTrialAttr('setTrialSystemAttr', trialId, 'system', key, value);
  }

  setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    return this.setTrialAttr('setTrialUserAttr', trialId, 'user', key, value);
  }

  async setTrialStateValues(trialId: number, state: FinishedState, value: number | null, errorMessage: string | null = null): Promise<void> {
    const fn = 'setTrialStateValues';
    if (!isFinished(state)) throw new RangeError(`${fn}: state must be COMPLETE, PRUNED or FAIL, got ${state}`);
    if (state === 'COMPLETE' && (value === null || Number.isNaN(value))) throw new RangeError(`${fn}: a COMPLETE trial needs a value`);
    // One conditional UPDATE (a trial another worker failed meanwhile stays FAIL), committed
    // durably: it also flushes the trial's lazily committed reports (postgres_driver.ts).
    await this.db.write(async (tx) => {
      const changed = await tx.run(
        `UPDATE steepest_trials SET state = ?, value = ?, error_message = ?, complete_ms = ?, version = version + 1
         WHERE trial_id = ? AND state = 'RUNNING'`, [state, value, errorMessage, Date.now(), trialId]);
      if (changed !== 1) await this.refuse(tx, fn, trialId, 'only a RUNNING trial can finish');
    }).finally(() => this.heartbeat.remove(trialId));
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const found = await this.reading((tx) => fetchTrials(tx, [trialId]));
    const entry = found.get(trialId);
    if (!entry) throw new RangeError(`getTrial: no trial with id ${trialId}`);
    this.cache(entry.studyId).put(trialId, entry.version, entry.trial, entry.studyId);
    return entry.trial;
  }

  async getAllTrials(studyId: number, states?: readonly TrialState[]): Promise<FrozenTrial[]> {
    const trials = await this.reading(async (tx) => {
      const list = await this.cache(studyId).read(tx, studyId);
      if (!list.length) await this.studyExists(tx, 'getAllTrials', studyId);
      return list;
    });
    return states ? trials.filter((t) => states.includes(t.state)) : trials;
  }

  /**
   * Fails the study's RUNNING trials of other workers whose heartbeat is older than the grace
   * period (by the database's clock), or whose process on this host has ended; enqueues each
   * again when `retryFailed` allows. Returns the failed trials' numbers.
   */
  async failStaleTrials(studyId: number): Promise<number[]> {
    const skipLocked = this.db.dialect === 'postgresql' ? ' FOR UPDATE SKIP LOCKED' : '';
    const { gracePeriodMs, retryFailed } = this.options;
    const candidates = await this.db.all(
      `SELECT trial_id, worker, heartbeat_ms, ${this.db.nowMs} AS now_ms FROM steepest_trials
       WHERE study_id = ? AND state = 'RUNNING' AND (worker IS NULL OR worker <> ?)`, [studyId, this.self]);
    const stale = candidates.filter((r) => {
      const w = r.worker === null ? null : String(r.worker);
      return (r.heartbeat_ms === null || Number(r.now_ms) - Number(r.heartbeat_ms) > gracePeriodMs) || isDeadWorker(w, this.self);
    });
    if (!stale.length) return [];
    return this.db.write(async (tx) => {
      const failed: number[] = [];
      for (const r of stale) {
        const trialId = Number(r.trial_id);
        // Locked and re-checked: another worker may have failed it, or its heartbeat came in.
        const rows = await tx.all(`SELECT number, worker, heartbeat_ms, ${this.db.nowMs} AS now_ms FROM steepest_trials WHERE trial_id = ? AND state = 'RUNNING'${skipLocked}`, [trialId]);
        if (!rows.length) continue;
        const row = rows[0];
        const worker = row.worker === null ? null : String(row.worker);
        const late = row.heartbeat_ms === null ? Infinity : Number(row.now_ms) - Number(row.heartbeat_ms);
        const dead = isDeadWorker(worker, this.self);
        if (!dead && late <= gracePeriodMs) continue;
        const number = Number(row.number);
        const why = dead
          ? `the process running trial ${number} (pid ${parseWorker(worker)?.pid}) ended before the trial finished`
          : `trial ${number} had no heartbeat for ${Math.round(late)} ms (gracePeriodMs ${gracePeriodMs}); its worker ${worker ?? '(unknown)'} is presumed dead`;
        await tx.run(`UPDATE steepest_trials SET state = 'FAIL', error_message = ?, complete_ms = ?, version = version + 1 WHERE trial_id = ?`, [why, Date.now(), trialId]);
        failed.push(number);
        if (retryFailed > 0) await this.enqueueRetry(tx, studyId, trialId, number, retryFailed);
      }
      return failed;
    });
  }

  async close(): Promise<void> {
    this.heartbeat.stop();
    await this.db.close();
  }

  /** Optuna's RetryFailedTrialCallback: the same params, WAITING, with failed_trial and retry_history. */
  private async enqueueRetry(tx: SqlTx, studyId: number, trialId: number, number: number, maxRetry: number): Promise<void> {
    const old = (await fetchTrials(tx, [trialId])).get(trialId)!.trial;
    const history = Array.isArray(old.systemAttrs.retry_history) ? [...(old.systemAttrs.retry_history as number[])] : [];
    if (history.length >= maxRetry) return;
    const first = typeof old.systemAttrs.failed_trial === 'number' ? old.systemAttrs.failed_trial : number;
    const counter = await tx.all('UPDATE steepest_studies SET next_number = next_number + 1 WHERE study_id = ? RETURNING next_number', [studyId]);
    const rows = await tx.all(`INSERT INTO steepest_trials (study_id, number, state, version) VALUES (?, ?, 'WAITING', 1) RETURNING trial_id`, [studyId, Number(counter[0].next_number) - 1]);
    const retryId = Number(rows[0].trial_id);
    await tx.run(`INSERT INTO steepest_trial_params (trial_id, name, value, distribution_json)
                  SELECT ?, name, value, distribution_json FROM steepest_trial_params WHERE trial_id = ?`, [retryId, trialId]);
    await tx.run(`INSERT INTO steepest_trial_attrs (trial_id, kind, key, value_json)
                  SELECT ?, kind, key, value_json FROM steepest_trial_attrs WHERE trial_id = ? AND kind = 'user'`, [retryId, trialId]);
    for (const [key, value] of [['failed_trial', first], ['retry_history', [...history, number]]] as const) {
      await tx.run(`INSERT INTO steepest_trial_attrs (trial_id, kind, key, value_json) VALUES (?, 'system', ?, ?)`, [retryId, key, encodeJson(value)]);
    }
  }

  private cache(studyId: number): TrialCache {
    let c = this.caches.get(studyId);
    if (!c) this.caches.set(studyId, (c = new TrialCache()));
    return c;
  }

  /**
   * Reads: on SQLite in one snapshot (free, in-process); on PostgreSQL as separate statements,
   * which saves two round trips and is safe because the cache re-reads any trial whose version
   * moved between the statements (trial_rows.ts).
   */
  private reading<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return this.db.dialect === 'postgresql' ? fn(this.db) : this.db.read(fn);
  }

  /**
   * One write to a trial that may still change: its row locked and its version counted, then
   * `insert`, which selects from `t` (the trial's id). On PostgreSQL one statement — a
   * data-modifying CTE, one round trip; on SQLite a transaction (SQLite has no UPDATE in WITH,
   * and its statements cost no round trip). Throws, changing nothing, for a finished trial.
   */
  private async writeOpen(fn: string, trialId: number, insert: string, params: SqlValue[]): Promise<void> {
    const touch = `UPDATE steepest_trials SET version = version + 1 WHERE trial_id = ? AND state IN ${OPEN}`;
    if (this.db.dialect === 'postgresql') {
      const changed = await this.db.run(`WITH t AS (${touch} RETURNING trial_id) ${insert}`, [trialId, ...params]);
      if (changed === 0) await this.refuse(this.db, fn, trialId, 'a finished trial cannot be updated');
      return;
    }
    await this.db.write(async (tx) => {
      if ((await tx.run(touch, [trialId])) === 0) await this.refuse(tx, fn, trialId, 'a finished trial cannot be updated');
      await tx.run(`WITH t AS (SELECT CAST(? AS INTEGER) AS trial_id) ${insert}`, [trialId, ...params]);
    });
  }

  /** The study of a trial (remembered: it never changes). */
  private async studyOf(fn: string, trialId: number): Promise<number> {
    let studyId = this.trialStudy.get(trialId);
    if (studyId === undefined) {
      const rows = await this.db.all('SELECT study_id FROM steepest_trials WHERE trial_id = ?', [trialId]);
      if (!rows.length) throw new RangeError(`${fn}: no trial with id ${trialId}`);
      this.trialStudy.set(trialId, (studyId = Number(rows[0].study_id)));
    }
    return studyId;
  }

  /** Throws the reason a write to `trialId` was refused. */
  private async refuse(tx: SqlTx, fn: string, trialId: number, rule: string): Promise<never> {
    const rows = await tx.all('SELECT number, state, error_message FROM steepest_trials WHERE trial_id = ?', [trialId]);
    if (!rows.length) throw new RangeError(`${fn}: no trial with id ${trialId}`);
    const { number, state, error_message: why } = rows[0];
    throw new Error(`${fn}: trial ${number} is ${state}; ${rule}${state === 'FAIL' && why ? ` (${why})` : ''}`);
  }

  /**
   * The study's latest distribution for `name` must be compatible; records this one. Skipped when
   * this process already recorded the very same distribution (the common case: every trial
   * suggests the same space).
   */
  private async checkParam(fn: string, studyId: number, name: string, distribution: Distribution, text: string, tx: SqlTx = this.db): Promise<void> {
    const key = `${studyId}\u0000${name}`;
    if (this.checked.get(key) === text) return;
    const rows = await tx.all('SELECT distribution_json FROM steepest_study_params WHERE study_id = ? AND name = ?', [studyId, name]);
    if (rows.length) checkDistributionCompatibility(fn, name, parseDistribution(String(rows[0].distribution_json)), distribution);
    if (!rows.length || rows[0].distribution_json !== text) {
      await tx.run(`INSERT INTO steepest_study_params (study_id, name, distribution_json) VALUES (?, ?, ?)
                    ON CONFLICT (study_id, name) DO UPDATE SET distribution_json = excluded.distribution_json`, [studyId, name, text]);
    }
    this.checked.set(key, text);
  }

  private async setTrialAttr(fn: string, trialId: number, kind: 'system' | 'user', key: string, value: JsonValue): Promise<void> {
    await this.writeOpen(fn, trialId, `INSERT INTO steepest_trial_attrs (trial_id, kind, key, value_json)
      SELECT trial_id, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT) FROM t WHERE true
      ON CONFLICT (trial_id, kind, key) DO UPDATE SET value_json = excluded.value_json`, [kind, key, encodeJson(value)]);
  }

  private async studyAttrs(fn: string, studyId: number, kind: string): Promise<Record<string, JsonValue>> {
    // One statement: the study row (absent: no such study) joined with its attributes, if any.
    const rows = await this.db.all(`SELECT a.key, a.value_json FROM steepest_studies s
      LEFT JOIN steepest_study_attrs a ON a.study_id = s.study_id AND a.kind = ? WHERE s.study_id = ?`, [kind, studyId]);
    if (!rows.length) throw new StudyNotFoundError(`with id ${studyId} (${fn})`);
    return Object.fromEntries(rows.filter((r) => r.key !== null).map((r) => [String(r.key), decodeJson(String(r.value_json)) as JsonValue]));
  }

  private async setStudyAttr(fn: string, studyId: number, kind: string, key: string, value: JsonValue): Promise<void> {
    await this.db.write(async (tx) => {
      await this.studyExists(tx, fn, studyId);
      await tx.run(`INSERT INTO steepest_study_attrs (study_id, kind, key, value_json) VALUES (?, ?, ?, ?)
                    ON CONFLICT (study_id, kind, key) DO UPDATE SET value_json = excluded.value_json`, [studyId, kind, key, encodeJson(value)]);
    });
  }

  private async studyExists(tx: SqlTx, fn: string, studyId: number): Promise<void> {
    if (!(await tx.all('SELECT 1 AS x FROM steepest_studies WHERE study_id = ?', [studyId as SqlValue])).length) {
      throw new StudyNotFoundError(`with id ${studyId} (${fn})`);
    }
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errcode?: number };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.errcode === 2067;
}
