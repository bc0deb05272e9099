// Chaos: several `steepest tune worker` processes on one study in a real SQLite file and on a
// real PostgreSQL server, one of them kill -9ed in the middle of a trial. Afterwards: exactly the
// requested number of COMPLETE trials, no trial number used twice or skipped, every result a
// worker printed is stored as printed, the killed worker's trial FAIL with the reason, and its
// retry (same params) COMPLETE. Nothing is mocked.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';
import { expected } from './fixtures/storage_objective.js';
import { freshDatabase, PG_URL, requirePostgres } from './helpers/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-chaos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
requirePostgres('storage_chaos.test.ts');

interface Worker { pid: number; out: () => string; exited: Promise<number | null> }

function startWorker(storage: string, total: number, env: Record<string, string> = {}): Worker {
  const child = spawn(process.execPath, [
    '--import', 'tsx', 'src/cli/index.ts', 'tune', 'worker', '--storage', storage, '--study', 'chaos',
    '--objective', 'test/tune/fixtures/storage_objective.ts', '--until-complete', String(total), '--retry-failed', '1', '--sampler', 'random',
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return { pid: child.pid!, out: () => out, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

async function chaos(storage: string, workers: number, total: number): Promise<void> {
  const hangFile = join(dir, `hang-${Date.now()}`);
  // The first worker creates the study alone, so that the others join it instead of racing to create it.
  const first = startWorker(storage, total, { HANG_FILE: hangFile, HANG_AFTER: '3' });
  const deadline = Date.now() + 60_000;
  const others: Worker[] = [];
  while (!existsSync(hangFile)) {
    if (Date.now() > deadline) throw new Error(`the worker to be killed never reached its hanging trial:\n${first.out()}`);
    if (others.length === 0 && /trials so far/.test(first.out())) for (let i = 1; i < workers; i++) others.push(startWorker(storage, total));
    await new Promise((r) => setTimeout(r, 20));
  }
  const hung = Number(readFileSync(hangFile, 'utf8'));
  process.kill(first.pid, 'SIGKILL');
  expect(await first.exited).toBe(null); // killed, not exited
  if (others.length === 0) for (let i = 1; i < workers; i++) others.push(startWorker(storage, total));
  const codes = await Promise.all(others.map((w) => w.exited));
  expect(codes, others.map((w) => w.out()).join('\n---\n')).toEqual(others.map(() => 0));

  const study = await tune.loadStudy({ storage, studyName: 'chaos' });
  try {
    const trials = study.trials;
    expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i)); // dense, none twice
    expect(trials.filter((t) => t.state === 'COMPLETE').length).toBe(total);
    expect(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);
    const killed = trials[hung];
    expect(killed.state).toBe('FAIL');
    expect(killed.errorMessage).toBe(`the process running trial ${hung} (pid ${first.pid}) ended before the trial finished`);
    // Its reports were written in the background while it hung; the kill may have come first.
    for (const step of killed.intermediateValues.keys()) expect([0, 1, 2]).toContain(step);
    const retry = trials.filter((t) => t.systemAttrs.failed_trial === hung);
    expect(retry.length).toBe(1);
    expect(retry[0].state).toBe('COMPLETE');
    expect(retry[0].params).toEqual(killed.params);
    expect(retry[0].systemAttrs.retry_history).toEqual([hung]);
    for (const t of trials.filter((x) => x.state === 'FAIL' && x.number !== hung)) expect(t.errorMessage).toMatch(/^surplus: /);
    for (const t of trials.filter((x) => x.state === 'COMPLETE')) {
      expect(t.value).toBe(expected(t.params.x as number, t.params.k as number, t.params.c as string));
      expect(t.intermediateValues.size).toBe(3);
    }
    // Every result a worker printed, the killed one included, is stored as printed.
    const printed = [first, ...others].flatMap((w) => [...w.out().matchAll(/^Trial (\d+) finished with value: (\S+) /gm)]);
    expect(printed.length).toBeGreaterThanOrEqual(total);
    for (const [, n, v] of printed) expect(trials[Number(n)].value).toBe(Number(v));
  } finally {
    await study.storage.close?.();
  }
}

describe('chaos: workers killed with kill -9 mid-trial', () => {
  it('3 workers on one SQLite file: 150 COMPLETE trials, the killed one FAIL and retried', async () => {
    await chaos(`sqlite:${join(dir, 'chaos.db')}`, 3, 150);
  }, 180_000);

  it.skipIf(!PG_URL)('4 workers on one PostgreSQL study: 200 COMPLETE trials, the killed one FAIL and retried', async () => {
    await chaos(await freshDatabase('chaos'), 4, 200);
  }, 180_000);
});
