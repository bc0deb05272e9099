/**
 * PostgreSQL through `pg` (node-postgres, pure JavaScript: no native build), an optional peer
 * dependency loaded only when a 'postgresql:' storage is opened.
 *
 * Transient failures are retried by re-running the whole transaction after a back-off:
 * serialization failures and deadlocks (40001, 40P01), and a server that is restarting or
 * unreachable (connection refused or reset, 57P01-57P03, class 08) until `reconnectTimeoutMs`
 * has passed — so a study outlives a database restart. One failure is never retried: a
 * connection lost while COMMIT was in flight, because the commit may have happened; that error
 * says so, and nothing is written twice.
 *
 * Durability: every `write` transaction commits synchronously (it is on disk when the call
 * returns). Single statements outside one (a running trial's parameters, reports and attributes,
 * heartbeats) commit with synchronous_commit off: they skip the WAL flush, the one cost that
 * dominates a small write, and reach the disk within a few hundred ms — or at once with the next
 * synchronous commit, which flushes the WAL up to itself. So when a trial's tell returns, the
 * whole trial is durable; a server crash can only lose recent reports of trials still running,
 * never a finished trial, and a restart (a clean shutdown) loses nothing.
 */
import { backoff, loadOptional, sleep, type Row, type SqlDriver, type SqlTx, type SqlValue } from './driver.js';

interface QueryResult { rows: Row[]; rowCount: number | null }
interface Client { query(sql: string, params?: readonly SqlValue[]): Promise<QueryResult>; release(err?: unknown): void }
interface Pool {
  connect(): Promise<Client>;
  query(sql: string, params?: readonly SqlValue[]): Promise<QueryResult>;
  on(event: 'error', fn: (err: Error) => void): void;
  end(): Promise<void>;
}
interface PgModule {
  Pool: new (config: object) => Pool;
  types: { getTypeParser(oid: number, format?: string): (text: string) => unknown };
}

const RETRY_CODES = new Set(['40001', '40P01', '57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

export function isTransient(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string' && (RETRY_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  return typeof e?.message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message);
}

/** user@host:port/db of a URL: where, without the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const host = u.searchParams.get('host') ?? u.hostname;
    return `postgresql://${u.username ? `${decodeURIComponent(u.username)}@` : ''}${host}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'postgresql://(unparsable URL)';
  }
}

export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgresql' as const;
  readonly nowMs = 'CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)';
  private readonly numbered = new Map<string, string>();
  private closed = false;

  private constructor(private readonly pool: Pool, readonly where: string, private readonly reconnectTimeoutMs: number) {}

  static async open(url: string, options: { reconnectTimeoutMs: number; poolSize: number }): Promise<PostgresDriver> {
    const pg = await loadOptional<PgModule>('pg', "a 'postgresql:' storage");
    const where = describeUrl(url);
    const bigint = (text: string) => Number(text);
    const pool = new pg.Pool({
      connectionString: url, max: options.poolSize, options: '-c synchronous_commit=off', idleTimeoutMillis: 10_000, connectionTimeoutMillis: 10_000, allowExitOnIdle: true,
      // BIGINT (oid 20) holds our millisecond timestamps: numbers, for this pool only.
      types: { getTypeParser: (oid: number, format?: string) => (oid === 20 ? bigint : pg.types.getTypeParser(oid, format)) },
    });
    // An idle connection the server closed (a restart) must not crash the process: the next
    // query opens a new one.
    pool.on('error', () => {});
    const self = new PostgresDriver(pool, where, options.reconnectTimeoutMs);
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      await pool.end().catch(() => {});
      throw new Error(`PostgresStorage: cannot connect to ${where}: ${(err as Error).message}`, { cause: err });
    }
    return self;
  }

  async all(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.retrying(async () => (await this.pool.query(this.sql(sql), params)).rows);
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.retrying(async () => (await this.pool.query(this.sql(sql), params)).rowCount ?? 0);
  }

  write<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return this.retrying(() => this.transaction('BEGIN', fn));
  }

  read<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    return this.retrying(() => this.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async transaction<T>(begin: string, fn: (tx: SqlTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: SqlTx = {
      all: async (sql, params = []) => (await client.query(this.sql(sql), params)).rows,
      run: async (sql, params = []) => (await client.query(this.sql(sql), params)).rowCount ?? 0,
    };
    let committing = false;
    try {
      await client.query(begin);
      if (begin === 'BEGIN') await client.query('SET LOCAL synchronous_commit = on');
      const result = await fn(tx);
      committing = true;
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      if (!committing || !isTransient(err)) await client.query('ROLLBACK').catch(() => {});
      client.release(isTransient(err) ? err : undefined);
      if (committing && isTransient(err)) {
        throw new Error(`PostgresStorage: the connection to ${this.where} was lost while committing; this write may or may not be recorded (${(err as Error).message})`, { cause: err });
      }
      throw err;
    }
  }

  /** `?` placeholders as $1, $2 … (our statements have no '?' inside literals). */
  private sql(text: string): string {
    let s = this.numbered.get(text);
    if (s === undefined) {
      let i = 0;
      s = text.replace(/\?/g, () => `$${++i}`);
      this.numbered.set(text, s);
    }
    return s;
  }

  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw new Error(`PostgresStorage: the storage for ${this.where} is closed`);
    const deadline = Date.now() + this.reconnectTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const msg = (err as Error).message ?? '';
        if (!isTransient(err) || msg.includes('while committing')) throw err;
        if (Date.now() >= deadline) {
          throw new Error(`PostgresStorage: ${this.where} did not answer for ${this.reconnectTimeoutMs} ms (${msg}); nothing written before this call is lost`, { cause: err });
        }
        await sleep(backoff(attempt, 1000));
      }
    }
  }
}
