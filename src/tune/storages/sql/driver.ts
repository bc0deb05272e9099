/**
 * What the relational storage needs from a database: statements with `?` placeholders (the
 * PostgreSQL driver renumbers them to $1, $2 …), write transactions retried on the engine's
 * transient failures (SQLITE_BUSY; serialization failures, deadlocks and lost connections on
 * PostgreSQL), and the engine's clock for heartbeats, so workers on machines whose clocks
 * disagree still agree on which trial is stale.
 */
export type SqlValue = number | string | null;
export type Row = Record<string, unknown>;

export interface SqlTx {
  /** Rows of a SELECT, or of an INSERT/UPDATE … RETURNING. */
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** The number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface SqlDriver extends SqlTx {
  readonly dialect: 'sqlite' | 'postgresql';
  /** Where the database is, for messages (never the password). */
  readonly where: string;
  /** An SQL expression: milliseconds since the epoch by the database's clock. */
  readonly nowMs: string;
  /**
   * Runs `fn` in one transaction that holds the write lock (SQLite BEGIN IMMEDIATE; on
   * PostgreSQL row locks taken with FOR UPDATE), retrying the whole of `fn` on a transient
   * failure. `fn` must therefore only touch the database. Durable when it returns; single
   * statements through `run`/`all` may commit lazily (postgres_driver.ts).
   */
  write<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  /** Runs `fn` on one consistent snapshot where the engine gives one cheaply. */
  read<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Waits `ms`, off the event loop's critical path. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Retry delays: 5, 10, 20 … ms, capped, with jitter so retrying workers spread out. */
export function backoff(attempt: number, capMs = 500): number {
  const base = Math.min(capMs, 5 * 2 ** attempt);
  return base / 2 + Math.random() * base / 2;
}

/** Loads an optional driver package, or says which package to install. */
export async function loadOptional<T>(pkg: string, why: string): Promise<T> {
  try {
    const mod = (await import(pkg)) as { default?: T };
    return (mod.default ?? mod) as T;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(`${why} needs the '${pkg}' package, which is an optional peer dependency of steepest: run npm install ${pkg}`, { cause: err });
    }
    throw new Error(`${why}: loading the '${pkg}' package failed: ${(err as Error).message}`, { cause: err });
  }
}
