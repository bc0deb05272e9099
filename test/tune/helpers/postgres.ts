// The PostgreSQL server of the storage tests: STEEPEST_TEST_POSTGRES_URL (.ci/run starts a
// throwaway server and sets it). Under CI its absence is a failure; elsewhere the PostgreSQL
// cases are skipped with the reason printed. Each test file gets a database of its own.
import { PostgresDriver } from '../../../src/tune/storages/sql/postgres_driver.js';
import { afterAll, it } from 'vitest';

export const PG_URL = process.env.STEEPEST_TEST_POSTGRES_URL;

/** Call at the top of a file: fails under CI without a server, prints why cases are skipped elsewhere. */
export function requirePostgres(file: string): void {
  if (PG_URL) return;
  if (process.env.CI) {
    it('has the PostgreSQL server that CI must provide', () => {
      throw new Error('STEEPEST_TEST_POSTGRES_URL is not set: .ci/run starts a PostgreSQL server and sets it; the PostgreSQL storage tests cannot run');
    });
  } else {
    console.warn(`${file}: PostgreSQL cases skipped: set STEEPEST_TEST_POSTGRES_URL=postgresql://user@host:port/db to run them`);
  }
}

const made: string[] = [];

/** A new, empty database on the test server; its URL. Dropped after the file. */
export async function freshDatabase(tag: string): Promise<string> {
  const name = `steepest_t_${tag}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = await PostgresDriver.open(PG_URL!, { reconnectTimeoutMs: 5000, poolSize: 1 });
  try {
    await admin.run(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  made.push(name);
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

afterAll(async () => {
  if (!made.length) return;
  const admin = await PostgresDriver.open(PG_URL!, { reconnectTimeoutMs: 5000, poolSize: 1 });
  try {
    for (const name of made.splice(0)) await admin.run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.close();
  }
});
