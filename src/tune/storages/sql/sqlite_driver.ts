/**
 * SQLite through a synchronous driver: Node's built-in `node:sqlite` where the runtime has it
 * (Node >= 22.13: nothing to install, no native build), else the `better-sqlite3` package
 * (Node 20). better-sqlite3 is an optional peer dependency: it compiles a native addon against
 * one Node ABI (it is not N-API), so steepest must not pull it into every install; version 12 is
 * the one checked here (13 crashed on Node 20). Neither driver is needed by anyone who does not
 * open a 'sqlite:' storage.
 *
 * Settings, and why: WAL (readers never block the one writer, and a process killed mid-write
 * leaves the last committed transaction intact); synchronous=NORMAL (in WAL a commit survives a
 * killed process; only a power loss can drop the last commits); a busy timeout of a few hundred
 * ms inside SQLite (it blocks this thread, so it is kept short) and, around it, whole-transaction
 * retries with asynchronous back-off until `busyTimeoutMs`; write transactions start with BEGIN
 * IMMEDIATE, which takes the write lock up front — a deferred transaction that reads and then
 * writes can fail with SQLITE_BUSY at once, whatever the timeout (a lock upgrade would deadlock).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { backoff, loadOptional, sleep, type Row, type SqlDriver, type SqlTx, type SqlValue } from './driver.js';

interface Statement {
  all(...params: SqlValue[]): unknown[];
  run(...params: SqlValue[]): { changes: number | bigint };
}
interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
  close(): void;
}

/** How long one statement may wait inside SQLite for the lock (blocking). */
const INNER_BUSY_MS = 200;

/**
 * node:sqlite, loaded without its one-time "SQLite is an experimental feature" warning (Node 22
 * prints it to stderr when the module is first loaded): the storage is used on purpose, and the
 * line would land in every worker's and report's output. Only that warning, only while loading.
 */
function loadBuiltinSqlite(): { DatabaseSync: new (path: string) => Database } | undefined {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (!get) return undefined;
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning?.message;
    if (typeof text === 'string' && text.startsWith('SQLite is an experimental feature')) return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return get.call(process, 'node:sqlite') as { DatabaseSync: new (path: string) => Database } | undefined;
  } finally {
    process.emitWarning = emit;
  }
}

async function openDatabase(path: string): Promise<{ db: Database; driver: string }> {
  const builtin = loadBuiltinSqlite();
  if (builtin?.DatabaseSync) return { db: new builtin.DatabaseSync(path), driver: 'node:sqlite' };
  const BetterSqlite = await loadOptional<new (path: string) => Database>('better-sqlite3', `a 'sqlite:' storage on Node ${process.versions.node} (node:sqlite needs Node >= 22.13)`);
  return { db: new BetterSqlite(path), driver: 'better-sqlite3' };
}

export function isBusy(err: unknown): boolean {
  const e = err as { code?: string; errcode?: number; message?: string };
  if (typeof e?.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(e.code)) return true;
  if (typeof e?.errcode === 'number') return (e.errcode & 0xff) === 5 || (e.errcode & 0xff) === 6;
  return false;
}

export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly nowMs = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
  private readonly statements = new Map<string, Statement>();
  /** One connection, one transaction at a time: every call queues here. */
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly db: Database, readonly where: string, readonly driverName: string, private readonly busyTimeoutMs: number) {}

  static async open(path: string, busyTimeoutMs: number): Promise<SqliteDriver> {
    mkdirSync(dirname(path), { recursive: true });
    const { db, driver } = await openDatabase(path);
    const self = new SqliteDriver(db, path, driver, busyTimeoutMs);
    try {
      await self.retrying(async () => {
        db.exec(`PRAGMA busy_timeout = ${INNER_BUSY_MS}`);
        db.exec('PRAGMA journal_mode = WAL');
        db.exec('PRAGMA synchronous = NORMAL');
        db.exec('PRAGMA foreign_keys = ON');
      });
    } catch (err) {
      db.close();
      throw err;
    }
    return self;
  }

  all(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.serial(() => this.retrying(async () => this.stmt(sql).all(...params) as Row[]));
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.serial(() => this.retrying(async () => Number(this.stmt(sql).run(...params).changes)));
  }

  write<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return this.serial(() => this.retrying(() => this.transaction('BEGIN IMMEDIATE', fn)));
  }

  read<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return this.serial(() => this.retrying(() => this.transaction('BEGIN', fn)));
  }

  async close(): Promise<void> {
    await this.serial(async () => {
      if (this.closed) return;
      this.closed = true;
      this.db.close();
    });
  }

  private async transaction<T>(begin: string, fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    const tx: SqlTx = {
      all: async (sql, params = []) => this.stmt(sql).all(...params) as Row[],
      run: async (sql, params = []) => Number(this.stmt(sql).run(...params).changes),
    };
    this.db.exec(begin);
    try {
      const result = await fn(tx);
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      try { this.db.exec('ROLLBACK'); } catch { /* no transaction left to roll back */ }
      throw err;
    }
  }

  private stmt(sql: string): Statement {
    if (this.closed) throw new Error(`SqliteStorage: ${this.where} is closed`);
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => {});
    return next;
  }

  /** Retries `fn` while the database is locked by another process, up to busyTimeoutMs. */
  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!isBusy(err)) throw err;
        if (Date.now() >= deadline) {
          throw new Error(`SqliteStorage: ${this.where} stayed locked by another process for ${this.busyTimeoutMs} ms (SQLITE_BUSY); raise busyTimeoutMs or use fewer writers`, { cause: err });
        }
        await sleep(backoff(attempt, 100));
      }
    }
  }
}
