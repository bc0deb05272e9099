// A PostgreSQL server that goes away in the middle of a study: stopped, then started again
// while a trial runs, the study goes on and loses nothing; stopped for good, the next call fails
// with an error that says so, and what was recorded before stays. The test runs a private server
// of its own (STEEPEST_TEST_POSTGRES_BIN, set by .ci/run), so the shared one stays up.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';

const BIN = process.env.STEEPEST_TEST_POSTGRES_BIN;
const canRun = !!BIN && process.getuid?.() === 0;
if (!canRun && process.env.CI) {
  it('has the PostgreSQL binaries that CI must provide', () => {
    throw new Error('STEEPEST_TEST_POSTGRES_BIN is not set (or not root): .ci/run sets it to the directory of initdb and pg_ctl');
  });
} else if (!canRun) {
  console.warn('rdb_restart.test.ts skipped: set STEEPEST_TEST_POSTGRES_BIN=/usr/lib/postgresql/<v>/bin and run as root');
}

const dir = mkdtempSync(join(tmpdir(), 'steepest-restart-'));
const as = (cmd: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(BIN!, cmd), ...args], { stdio: 'ignore' });
let started = false;
afterAll(() => {
  if (started) try { as('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']); } catch { /* stopped */ }
  rmSync(dir, { recursive: true, force: true });
});

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

describe.skipIf(!canRun)('PostgreSQL restarting under a study', () => {
  it('a stop and a start mid-trial lose nothing; a server gone for good is a clear error that keeps what was recorded', async () => {
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), 0);
    const port = await freePort();
    const data = join(dir, 'data');
    as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres']);
    const startArgs = ['-D', data, '-o', `-p ${port} -k ${dir} -h 127.0.0.1`, '-l', join(dir, 'log'), '-w', 'start'];
    as('pg_ctl', startArgs);
    started = true;
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    const study = await tune.createStudy({ storage: url, studyName: 'restart', sampler: new tune.RandomSampler({ seed: 0 }), pruner: new tune.NopPruner() });
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
    const trial = await study.ask();
    const x = trial.suggestFloat('x', 0, 1);
    trial.report(1, 0);
    await study.refresh();

    as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    const restarted = new Promise<void>((resolve) => setTimeout(() => {
      spawn('runuser', ['-u', 'postgres', '--', join(BIN!, 'pg_ctl'), ...startArgs], { stdio: 'ignore' }).on('exit', () => resolve());
    }, 1000));
    trial.report(2, 1);
    await study.tell(trial, x); // retried until the server is back
    await restarted;
    await study.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
    const again = await tune.loadStudy({ storage: url, studyName: 'restart' });
    expect(again.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE']);
    expect([...again.trials[3].intermediateValues]).toEqual([[0, 1], [1, 2]]);
    expect(again.trials[3].value).toBe(x);
    await again.storage.close?.();

    // Gone for good: the call fails once its reconnect time is up (shortened here), naming the server.
    (study.storage as unknown as { db: { reconnectTimeoutMs: number } }).db.reconnectTimeoutMs = 1500;
    as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    await expect(study.ask()).rejects.toThrow(new RegExp(`PostgresStorage: postgresql://postgres@127\\.0\\.0\\.1:${port}/postgres did not answer for 1500 ms .*nothing written before this call is lost`));
    as('pg_ctl', startArgs);
    const kept = await tune.loadStudy({ storage: url, studyName: 'restart' });
    expect(kept.trials.filter((t) => t.state === 'COMPLETE').length).toBe(6);
    await kept.storage.close?.();
    await study.storage.close?.();
  }, 60_000);
});
