// The storage contract (storages/base.ts), one suite run against every storage: in memory, a
// journal file, SQLite and PostgreSQL. Storages that several processes share are also opened
// twice, to check that a second instance sees the first one's writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';
import { recordingObjective } from './helpers/recording_objective.js';
import { freshDatabase, PG_URL, requirePostgres } from './helpers/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
requirePostgres('storage_contract.test.ts');

/** A fresh location, and how to open a storage on it (twice for shared storages). */
interface Backend { name: string; shared: boolean; skip?: boolean; place(): Promise<() => Promise<tune.Storage | string>> }
const backends: Backend[] = [
  { name: 'in memory', shared: false, place: async () => { const s = new tune.InMemoryStorage(); return async () => s; } },
  { name: 'journal', shared: true, place: async () => { const p = `journal:${join(dir, `j${counter++}.jsonl`)}`; return async () => p; } },
  { name: 'sqlite', shared: true, place: async () => { const p = `sqlite:${join(dir, `s${counter++}.db`)}`; return async () => p; } },
  { name: 'postgresql', shared: true, skip: !PG_URL, place: async () => { const u = await freshDatabase('contract'); return async () => u; } },
];

const objective = recordingObjective;
const snapshot = (s: tune.Study) => s.trials.map((t) => { const j = t.toJSON() as Record<string, unknown>; delete j.trialId; return j; });
const opts = { sampler: new tune.RandomSampler({ seed: 2 }), pruner: new tune.NopPruner() };

for (const b of backends) {
  describe.skipIf(b.skip)(`storage contract: ${b.name}`, () => {
    it('records params, distributions, NaN and Infinity reports, attrs, states and errors, and a second instance reads them back', async () => {
      const open = await b.place();
      const a = await tune.createStudy({ storage: await open(), studyName: 'c', ...opts });
      await a.enqueueTrial({ x: 0.5 });
      await a.optimize(objective, { nTrials: 6 });
      a.setUserAttr('owner', 'ci');
      a.setSystemAttr('sys', [1, 'two']);
      await a.refresh();
      expect(a.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(a.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE', 'FAIL', 'PRUNED', 'COMPLETE', 'COMPLETE']);
      expect(a.trials[0].params.x).toBe(0.5);
      expect(a.trials[1].intermediateValues.get(0)).toBeNaN();
      expect(a.trials[1].intermediateValues.get(1)).toBe(Infinity);
      expect(a.trials[2].errorMessage).toBe('diverged');
      expect(a.trials[3].value).toBe(a.trials[3].intermediateValues.get(2));
      expect(Object.keys(a.trials[4].params)).toEqual(['x', 'opt', 'n']);
      expect(a.trials[4].userAttrs).toEqual({ note: { n: a.trials[4].params.n, tag: 't4' } });
      expect(a.userAttrs).toEqual({ owner: 'ci' });
      expect(a.systemAttrs).toEqual({ sys: [1, 'two'] });
      if (!b.shared) return;
      const again = await tune.loadStudy({ storage: await open(), studyName: 'c' });
      expect(snapshot(again)).toEqual(snapshot(a));
      expect(again.userAttrs).toEqual({ owner: 'ci' });
    });

    it('keeps several studies apart, refuses a taken name, names a missing one', async () => {
      const open = await b.place();
      const storage = await open();
      const s1 = await tune.createStudy({ storage, studyName: 'one', ...opts });
      const s1b = typeof storage === 'string' ? null : s1;
      const s2 = await tune.createStudy({ storage: s1b ? storage : await open(), studyName: 'two', direction: 'maximize', ...opts });
      await s1.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 2 });
      await s2.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 3 });
      expect(s1.trials.map((t) => t.number)).toEqual([0, 1]);
      expect(s2.trials.map((t) => t.number)).toEqual([0, 1, 2]);
      const summaries = await s2.storage.getAllStudies();
      expect(summaries.map((s) => [s.studyName, s.direction, s.nTrials])).toEqual([['one', 'minimize', 2], ['two', 'maximize', 3]]);
      await expect(tune.createStudy({ storage: s1b ? storage : await open(), studyName: 'one' })).rejects.toThrow("createNewStudy: a study named 'one' already exists");
      await expect(tune.loadStudy({ storage: s1b ? storage : await open(), studyName: 'three' })).rejects.toThrow(/loadStudy: no study named 'three'/);
      const resumed = await tune.createStudy({ storage: s1b ? storage : await open(), studyName: 'one', loadIfExists: true });
      expect(resumed.trials.length).toBe(2);
      await expect(tune.createStudy({ storage: s1b ? storage : await open(), studyName: 'one', loadIfExists: true, direction: 'maximize' }))
        .rejects.toThrow("createStudy: study 'one' exists with direction 'minimize', got direction 'maximize'");
    });

    it('a finished trial is immutable, with an error naming the trial and its state; nothing changes', async () => {
      const open = await b.place();
      const s = await tune.createStudy({ storage: await open(), studyName: 'imm', ...opts });
      const t = await s.ask();
      t.suggestFloat('x', 0, 1);
      await s.tell(t, 1);
      const storage = s.storage;
      const before = (await storage.getTrial(t.trialId)).toJSON();
      const d = new tune.FloatDistribution(0, 1);
      await expect(storage.setTrialParam(t.trialId, 'y', 0.5, d)).rejects.toThrow('setTrialParam: trial 0 is COMPLETE; a finished trial cannot be updated');
      await expect(storage.setTrialIntermediateValue(t.trialId, 0, 1)).rejects.toThrow('setTrialIntermediateValue: trial 0 is COMPLETE; a finished trial cannot be updated');
      await expect(storage.setTrialUserAttr(t.trialId, 'k', 1)).rejects.toThrow('setTrialUserAttr: trial 0 is COMPLETE');
      await expect(storage.setTrialStateValues(t.trialId, 'FAIL', null)).rejects.toThrow('setTrialStateValues: trial 0 is COMPLETE; only a RUNNING trial can finish');
      expect((await storage.getTrial(t.trialId)).toJSON()).toEqual(before);
      const running = await s.ask();
      running.suggestFloat('x', 0, 1);
      await s.refresh(); // the study's queued writes reach the storage
      await expect(storage.setTrialParam(running.trialId, 'x', 0.5, d)).rejects.toThrow("setTrialParam: trial 1 already has parameter 'x'");
      await expect(storage.setTrialParam(running.trialId, 'z', 1, new tune.IntDistribution(0, 3))).resolves.toBeUndefined();
      await expect(storage.setTrialParam(running.trialId, 'w', 0, new tune.CategoricalDistribution(['a']))).resolves.toBeUndefined();
      const other = await s.ask();
      await expect(storage.setTrialParam(other.trialId, 'w', 0, new tune.CategoricalDistribution(['a', 'b']))).rejects.toThrow(/choices/);
      await expect(storage.getTrial(999_999)).rejects.toThrow('getTrial: no trial with id 999999');
    });

    it('an enqueued trial is claimed once, by the first instance that asks', async () => {
      const open = await b.place();
      const a = await tune.createStudy({ storage: await open(), studyName: 'q', ...opts });
      const storage = await open();
      const bStudy = b.shared ? await tune.loadStudy({ storage, studyName: 'q', ...opts }) : a;
      await a.enqueueTrial({ x: 1 });
      const ta = await a.ask();
      const tb = await bStudy.ask();
      expect([ta.number, tb.number]).toEqual([0, 1]);
      expect(ta.systemAttrs.fixed_params).toEqual({ x: 1 });
      expect(tb.systemAttrs.fixed_params).toBeUndefined();
      expect(ta.suggestFloat('x', 0, 2)).toBe(1);
      await a.tell(ta, 1);
      await bStudy.tell(tb, 2);
      await a.refresh();
      expect(a.trials.map((t) => t.value)).toEqual([1, 2]);
      expect(await a.storage.claimWaitingTrial(a.studyId)).toBeNull();
      await expect(a.storage.claimWaitingTrial(12_345)).rejects.toThrow(/no study with id 12345/);
    });
  });
}
