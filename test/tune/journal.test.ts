// JournalFileStorage: replay, torn and corrupt lines, several writers on one file, stale locks,
// and a study that survives kill -9 of its process.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';
import { recordingObjective } from './helpers/recording_objective.js';
import { isDeadWorker, workerId } from '../../src/tune/storages/file_lock.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const fresh = () => join(dir, `study-${counter++}.jsonl`);

const objective = recordingObjective;
const snapshot = (s: tune.Study) => s.trials.map((t) => t.toJSON());

async function journalStudy(path: string, extra: Partial<tune.CreateStudyOptions> = {}) {
  return tune.createStudy({ storage: `journal:${path}`, studyName: 'j', loadIfExists: true, sampler: new tune.RandomSampler({ seed: 2 }), pruner: new tune.NopPruner(), ...extra });
}

describe('JournalFileStorage', () => {
  it('replays to the same trials: params, distributions, NaN and Infinity reports, attrs, states, errors', async () => {
    const path = fresh();
    const a = await journalStudy(path);
    await a.enqueueTrial({ x: 0.5 });
    await a.optimize(objective, { nTrials: 6 });
    a.setUserAttr('owner', 'ci');
    await a.refresh();
    const b = await journalStudy(path);
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(b.trials[0].params.x).toBe(0.5);
    expect(b.trials[1].intermediateValues.get(0)).toBeNaN();
    expect(b.trials[1].intermediateValues.get(1)).toBe(Infinity);
    expect(b.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'FAIL', 'PRUNED', 'COMPLETE', 'COMPLETE']);
    expect(b.trials[2].errorMessage).toBe('diverged');
    expect(b.userAttrs).toEqual({ owner: 'ci' });
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('{"op":"header","format":"steepest-journal","version":1}');
  });

  it('ignores a torn last line on load and cuts it off before the next append', async () => {
    const path = fresh();
    const a = await journalStudy(path);
    await a.optimize(objective, { nTrials: 2 });
    appendFileSync(path, '{"op":"setIntermediate","trialId":1,"st');
    const b = await journalStudy(path);
    expect(snapshot(b)).toEqual(snapshot(a));
    await b.optimize(objective, { nTrials: 1 });
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect((await journalStudy(path)).trials.length).toBe(3);
  });

  it('refuses a corrupt line in the middle and a file that is not a journal', async () => {
    const path = fresh();
    await (await journalStudy(path)).optimize(objective, { nTrials: 1 });
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[3] = 'garbage';
    writeFileSync(path, lines.join('\n'));
    await expect(journalStudy(path)).rejects.toThrow(/JournalFileStorage: line 4 of .* is not a journal record/);
    const other = fresh();
    writeFileSync(other, '{"hello":1}\n');
    await expect(journalStudy(other)).rejects.toThrow('not a journal operation');
  });

  it('two storages on one file see each other, and an enqueued trial is claimed once', async () => {
    const path = fresh();
    const a = await journalStudy(path);
    const b = await journalStudy(path);
    await a.enqueueTrial({ x: 1 });
    const [ta, tb] = [await a.ask(), await b.ask()];
    expect([ta.number, tb.number]).toEqual([0, 1]);
    expect(ta.systemAttrs.fixed_params).toEqual({ x: 1 });
    expect(tb.systemAttrs.fixed_params).toBeUndefined();
    await a.tell(ta, 1);
    await b.tell(tb, 2);
    await a.refresh();
    expect(a.trials.map((t) => t.value)).toEqual([1, 2]);
  });

  it('tells dead writers from live ones: other pids by liveness, our own pid by process start time', () => {
    const me = workerId();
    const [pidHost, rest] = me.split('#');
    const start = rest.split(':')[0];
    const dead = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' }).pid!;
    const host = pidHost.split('@')[1];
    expect(isDeadWorker(`${process.pid}@${host}#${start}:beef`, me)).toBe(false); // another thread of this process
    expect(isDeadWorker(`${process.pid}@${host}#${Number(start) - 1}:beef`, me)).toBe(true); // an earlier process with our pid
    expect(isDeadWorker(`${dead}@${host}#1:beef`, me)).toBe(true);
    expect(isDeadWorker(`${process.ppid}@${host}#1:beef`, me)).toBe(false);
    expect(isDeadWorker(`${dead}@another-host#1:beef`, me)).toBe(false); // cannot tell: leave it
  });

  it('takes over a lock left by a dead process', async () => {
    const path = fresh();
    const dead = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' }).pid!;
    writeFileSync(`${path}.lock`, `${dead}@${(await import('node:os')).hostname()}#123:abc`);
    const s = await journalStudy(path);
    await s.optimize(objective, { nTrials: 1 });
    expect(s.trials.length).toBe(1);
  });
});

/** Runs journal_child.ts; resolves once `ready(stdout, journal)` holds, then kill -9s it. */
async function crash(path: string, mode: 'hang' | 'busy', ready: () => boolean): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/tune/helpers/journal_child.ts', path, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  while (!done && !(mode === 'hang' ? out.includes('hanging') : ready())) await new Promise((r) => setTimeout(r, 20));
  expect(done).toBe(false); // the child was still running when killed
  child.kill('SIGKILL');
  await exited;
}

const finishedLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l.includes('"op":"finishTrial"')).length;

describe('a study that survives kill -9', () => {
  it('keeps every finished trial, fails the one that was running, and continues', async () => {
    const path = fresh();
    await crash(path, 'hang', () => false);
    const s = await tune.createStudy({ storage: `journal:${path}`, studyName: 'crash', loadIfExists: true, sampler: new tune.RandomSampler({ seed: 1 }) });
    expect(s.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL']);
    expect(s.trials[3].errorMessage).toMatch(/^the process running trial 3 \(pid \d+\) ended before the trial finished$/);
    for (const t of s.trials.slice(0, 3)) expect([...t.intermediateValues.keys()]).toEqual([0, 1, 2, 3, 4]);
    await s.optimize((t) => t.suggestFloat('x', -5, 5) ** 2, { nTrials: 2 });
    const again = await tune.loadStudy({ storage: `journal:${path}`, studyName: 'crash' });
    expect(again.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE']);
  }, 60_000);

  it('killed while writing as fast as it can, the journal loads with all its finished trials intact', async () => {
    const path = fresh();
    await crash(path, 'busy', () => {
      try {
        return finishedLines(path) >= 25;
      } catch {
        return false;
      }
    });
    const finished = finishedLines(path);
    const s = await tune.createStudy({ storage: `journal:${path}`, studyName: 'crash', loadIfExists: true });
    const complete = s.trials.filter((t) => t.state === 'COMPLETE');
    expect(complete.length).toBeGreaterThanOrEqual(25);
    expect(complete.length).toBeLessThanOrEqual(finished);
    for (const t of complete) {
      expect(t.intermediateValues.size).toBe(5);
      expect(t.value).toBeCloseTo((t.params.x as number) ** 2 + (t.params.k as number), 12);
    }
    expect(s.trials.filter((t) => t.state === 'RUNNING')).toEqual([]);
    await s.optimize((t) => t.suggestFloat('x', -5, 5) ** 2, { nTrials: 3 });
    expect((await tune.loadStudy({ storage: `journal:${path}`, studyName: 'crash' })).trials.length).toBe(s.trials.length);
  }, 60_000);
});
