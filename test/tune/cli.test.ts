// `steepest tune worker` and `steepest tune report` as a user runs them: a study grown by two
// worker runs, its report written from the database, and the errors for a missing study, an
// unknown or missing flag and a missing objective file (exit code 2, one line naming the fix).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('steepest tune', () => {
  it('two worker runs grow one study; report renders it from the database', async () => {
    const storage = `sqlite:${join(dir, 'cli.db')}`;
    const common = ['tune', 'worker', '--storage', storage, '--study', 'cli', '--objective', 'test/tune/fixtures/storage_objective.ts', '--sampler', 'random'];
    const first = cli(...common, '--trials', '3');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/study 'cli' in .*cli\.db, 0 trials so far/);
    expect(first.stdout.match(/^Trial \d+ finished with value/gm)?.length).toBe(3);
    const second = cli(...common, '--trials', '2', '--quiet');
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toBe('');
    const study = await tune.loadStudy({ storage, studyName: 'cli' });
    expect(study.trials.map((t) => [t.number, t.state])).toEqual([0, 1, 2, 3, 4].map((n) => [n, 'COMPLETE']));
    await study.storage.close?.();
    const out = join(dir, 'study.html');
    const report = cli('tune', 'report', '--storage', storage, '--study', 'cli', '-o', out);
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toBe(`steepest tune report: 5 trials of 'cli' written to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('5 trials (5 complete)');
  }, 120_000);

  it('says what is wrong, with exit code 2', () => {
    const storage = `sqlite:${join(dir, 'errors.db')}`;
    const missing = cli('tune', 'report', '--storage', storage, '--study', 'nope', '-o', join(dir, 'x.html'));
    expect([missing.status, missing.stderr]).toEqual([2, `steepest tune report: no study named 'nope' in ${storage}; its studies: (none)\n`]);
    const typo = cli('tune', 'worker', '--storag', storage);
    expect([typo.status, typo.stderr]).toEqual([2, "steepest tune worker: unknown option '--storag' (did you mean '--storage'?)\n"]);
    const noStudy = cli('tune', 'worker', '--storage', storage, '--objective', 'x.ts');
    expect([noStudy.status, noStudy.stderr]).toEqual([2, 'steepest tune worker: --study is required\n']);
    const noFile = cli('tune', 'worker', '--storage', storage, '--study', 's', '--objective', 'no/such.ts');
    expect(noFile.status).toBe(2);
    expect(noFile.stderr).toMatch(/^steepest tune worker: --objective names no file: 'no\/such\.ts'/);
    const badInt = cli('tune', 'worker', '--storage', storage, '--study', 's', '--objective', 'x.ts', '--trials', '1.5');
    expect([badInt.status, badInt.stderr]).toEqual([2, "steepest tune worker: --trials must be an integer >= 0, got '1.5'\n"]);
    const unknown = cli('tune', 'resume');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^steepest tune: unknown command 'resume'/);
  }, 120_000);
});
