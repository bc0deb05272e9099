/**
 * The PostgreSQL server bench:storage measures on: BENCH_POSTGRES_URL (or
 * STEEPEST_TEST_POSTGRES_URL) when set, else a throwaway server started here as .ci/run does
 * (root, Debian's postgresql package: initdb as the postgres user, a free port on 127.0.0.1),
 * stopped by the returned function.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function postgresServer(): Promise<{ url: string; stop: () => void } | { url: null; why: string }> {
  const given = process.env.BENCH_POSTGRES_URL ?? process.env.STEEPEST_TEST_POSTGRES_URL;
  if (given) return { url: given, stop: () => {} };
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  const bin = version && join(root, version, 'bin');
  if (!bin || !existsSync(join(bin, 'initdb'))) return { url: null, why: 'no PostgreSQL: apt-get install postgresql, or set BENCH_POSTGRES_URL' };
  if (userInfo().uid !== 0) return { url: null, why: 'starting a throwaway PostgreSQL needs root (initdb runs as the postgres user); or set BENCH_POSTGRES_URL' };
  const dir = mkdtempSync(join(tmpdir(), 'steepest-bench-pg-'));
  execFileSync('chown', ['postgres', dir]);
  const port = await freePort();
  const as = (cmd: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'ignore' });
  as('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres']);
  as('pg_ctl', ['-D', join(dir, 'data'), '-o', `-p ${port} -k ${dir} -h 127.0.0.1`, '-l', join(dir, 'log'), '-w', 'start']);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try { as('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']); } catch { /* already gone */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
