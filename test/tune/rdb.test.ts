// RdbStorage beyond the shared contract: the schema version, URL and option errors, a missing
// driver, heartbeats and stale trials (failed, retried with their params), other workers'
// trials seen by samplers and pruners, and the read cache. Each case runs on SQLite and, when a
// server is there, on PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';
import { loadOptional } from '../../src/tune/storages/sql/driver.js';
import { freshDatabase, PG_URL, requirePostgres } from './helpers/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-rdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
requirePostgres('rdb.test.ts');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const engines = [
  { name: 'sqlite', skip: false, url: async () => `sqlite:${join(dir, `r${counter++}.db`)}` },
  { name: 'postgresql', skip: !PG_URL, url: () => freshDatabase('rdb') },
];
const random = () => ({ sampler: new tune.RandomSampler({ seed: 1 }), pruner: new tune.NopPruner() });
type Internal = { db: { all(sql: string, p?: unknown[]): Promise<Record<string, unknown>[]>; run(sql: string, p?: unknown[]): Promise<number> }; heartbeat: { stop(): void } };
const internal = (s: tune.Study) => s.storage as unknown as Internal;

describe('database storage URLs and options', () => {
  it('refuses malformed URLs and options, naming what was expected', async () => {
    await expect(tune.createStudy({ storage: 'sqlite:' })).rejects.toThrow("createStudy: storage string 'sqlite:' names no database file");
    await expect(tune.createStudy({ storage: 'sqlite://host/x.db' })).rejects.toThrow('has a host part');
    await expect(tune.createStudy({ storage: 'postgresql://u:secret@[bad/db' })).rejects.toThrow(/createStudy: storage is not a valid PostgreSQL URL .*u:\*\*\*@/);
    await expect(tune.createStudy({ storage: 'postgresql://u@127.0.0.1:5432' })).rejects.toThrow('names no database');
    await expect(tune.createStudy({ storage: 'postgresql://nobody:pw@127.0.0.1:1/db' })).rejects.toThrow(/PostgresStorage: cannot connect to postgresql:\/\/nobody@127\.0\.0\.1:1\/db: .*ECONNREFUSED/);
    const url = `sqlite:${join(dir, 'opts.db')}`;
    await expect(tune.createStudy({ storage: url, heartbeatInterval: 5 } as never)).rejects.toThrow("unknown option 'heartbeatInterval' (did you mean 'heartbeatIntervalMs'?)");
    await expect(tune.createStudy({ storage: url, heartbeatIntervalMs: 100, gracePeriodMs: 100 })).rejects.toThrow('createStudy: gracePeriodMs must be larger than heartbeatIntervalMs (100), got 100');
    await expect(tune.createStudy({ storage: url, retryFailed: -1 })).rejects.toThrow('createStudy: retryFailed must be an integer >= 0, got -1');
    await expect(tune.createStudy({ storage: url, heartbeatIntervalMs: 0 })).rejects.toThrow('createStudy: heartbeatIntervalMs must be a number >= 1, got 0');
    await expect(tune.createStudy({ retryFailed: 1 })).rejects.toThrow("createStudy: heartbeatIntervalMs, gracePeriodMs and retryFailed need a 'sqlite:' or 'postgresql:' storage URL");
    await expect(tune.createStudy({ storage: `journal:${join(dir, 'j.jsonl')}`, retryFailed: 1 })).rejects.toThrow("need a 'sqlite:' or 'postgresql:' storage");
  });

  it('a missing driver package is named with the command that installs it', async () => {
    await expect(loadOptional('steepest-no-such-driver', "a 'sqlite:' storage")).rejects.toThrow("a 'sqlite:' storage needs the 'steepest-no-such-driver' package, which is an optional peer dependency of steepest: run npm install steepest-no-such-driver");
  });
});

for (const e of engines) {
  describe.skipIf(e.skip)(`RdbStorage on ${e.name}`, () => {
    it('writes schema version 1, reopens without migrating twice, and refuses a newer schema', async () => {
      const url = await e.url();
      const s = await tune.createStudy({ storage: url, studyName: 'v' });
      expect(await internal(s).db.all('SELECT version FROM steepest_version')).toEqual([{ version: 1 }]);
      if (e.name === 'sqlite') {
        // The built-in driver where the runtime has one (Node >= 22.13), the optional package elsewhere.
        const builtin = !!(process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:sqlite');
        expect((internal(s).db as unknown as { driverName: string }).driverName).toBe(builtin ? 'node:sqlite' : 'better-sqlite3');
        expect(await internal(s).db.all('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      }
      await s.storage.close!();
      const again = await tune.loadStudy({ storage: url, studyName: 'v' });
      expect(await internal(again).db.all('SELECT version FROM steepest_version')).toEqual([{ version: 1 }]);
      await internal(again).db.run('UPDATE steepest_version SET version = 99');
      await again.storage.close!();
      await expect(tune.loadStudy({ storage: url, studyName: 'v' })).rejects.toThrow(/loadStudy: .* has steepest schema version 99; this steepest knows versions up to 1/);
    });

    it('fails a trial whose heartbeat stopped, re-enqueues it with its params, and refuses the dead worker\'s late write', async () => {
      const url = await e.url();
      const hb = { heartbeatIntervalMs: 40, gracePeriodMs: 400, retryFailed: 1 };
      const a = await tune.createStudy({ storage: url, studyName: 'hb', ...hb, ...random() });
      const b = await tune.loadStudy({ storage: url, studyName: 'hb', ...hb, ...random() });
      const live = await b.ask();
      live.suggestFloat('x', 0, 1);
      const dead = await b.ask();
      const x = dead.suggestFloat('x', 0, 1);
      dead.setUserAttr('tag', 'kept');
      await b.refresh();
      internal(b).heartbeat.stop(); // b's process "hangs": no more beats for either trial
      // Beating for trial `live` goes on from another instance with b's rows: simulate by a manual beat loop.
      const beat = setInterval(() => void internal(a).db.run(`UPDATE steepest_trials SET heartbeat_ms = heartbeat_ms + 100000 WHERE trial_id = ${live.trialId}`), 40);
      await sleep(700);
      const next = await a.ask();
      clearInterval(beat);
      await a.refresh();
      const byNumber = new Map(a.trials.map((t) => [t.number, t]));
      expect(byNumber.get(live.number)!.state).toBe('RUNNING');
      const failed = byNumber.get(dead.number)!;
      expect(failed.state).toBe('FAIL');
      expect(failed.errorMessage).toMatch(new RegExp(`^trial ${dead.number} had no heartbeat for \\d+ ms \\(gracePeriodMs 400\\); its worker \\d+@.* is presumed dead$`));
      // The retry was enqueued and claimed at once by a's ask: same params, Optuna's attributes.
      expect(next.number).toBe(dead.number + 1);
      expect(next.params).toEqual({ x });
      expect(next.systemAttrs).toEqual({ failed_trial: dead.number, retry_history: [dead.number] });
      expect(next.userAttrs).toEqual({ tag: 'kept' });
      await expect(b.tell(dead, 1)).rejects.toThrow(`setTrialStateValues: trial ${dead.number} is FAIL; only a RUNNING trial can finish (trial ${dead.number} had no heartbeat`);
      await a.tell(next, 0.5);
      expect((await a.storage.getTrial(next.trialId)).state).toBe('COMPLETE');
    });

    it('a trial whose worker beats stays RUNNING well past the grace period', async () => {
      const url = await e.url();
      const hb = { heartbeatIntervalMs: 30, gracePeriodMs: 200 };
      const a = await tune.createStudy({ storage: url, studyName: 'alive', ...hb, ...random() });
      const b = await tune.loadStudy({ storage: url, studyName: 'alive', ...hb, ...random() });
      const t = await b.ask();
      await sleep(600);
      expect(await a.storage.failStaleTrials!(a.studyId)).toEqual([]);
      await b.tell(t, 2);
      await a.refresh();
      expect(a.trials.map((x) => x.state)).toEqual(['COMPLETE']);
    });

    it('samplers see other workers\' running trials, and pruners their latest reports', async () => {
      const url = await e.url();
      const a = await tune.createStudy({ storage: url, studyName: 'see', ...random() });
      const b = await tune.loadStudy({ storage: url, studyName: 'see', sampler: new tune.RandomSampler({ seed: 3 }), pruner: new tune.MedianPruner({ nStartupTrials: 2, nWarmupSteps: 0 }) });
      const ta = await a.ask();
      const xa = ta.suggestFloat('x', 0, 1);
      await a.refresh();
      const tb = await b.ask();
      const seen = b.getTrials(['RUNNING']).find((t) => t.number === ta.number)!;
      expect(seen.params).toEqual({ x: xa }); // what TPE's and the GP's constant liar read
      // a finishes three trials with low reports after b's trial started.
      await a.tell(ta, 0);
      for (let i = 0; i < 3; i++) {
        const t = await a.ask();
        t.report(0.1 * i, 0);
        await a.tell(t, 0.1 * i);
      }
      await sleep(1100); // past the background refresh's one-second spacing
      tb.report(5, 0); // starts a background read of the storage
      await sleep(300);
      expect(b.getTrials(['COMPLETE']).length).toBe(4);
      expect(tb.shouldPrune()).toBe(true); // 5 is above the median of a's reports at step 0
    });

    it('re-reads only trials that changed', async () => {
      const url = await e.url();
      const s = await tune.createStudy({ storage: url, studyName: 'cache', ...random() });
      await s.optimize((t) => { t.report(1, 0); return t.suggestFloat('x', 0, 1); }, { nTrials: 10 });
      const db = internal(s).db as Internal['db'] & { read(fn: (tx: Internal['db']) => Promise<unknown>): Promise<unknown> };
      const [all, read] = [db.all.bind(db), db.read.bind(db)];
      const fetched: number[] = [];
      const spy = (inner: Internal['db']['all']): Internal['db']['all'] => async (sql, p) => {
        const rows = await inner(sql, p);
        if (sql.startsWith('SELECT * FROM steepest_trials WHERE trial_id IN')) fetched.push(rows.length);
        return rows;
      };
      db.all = spy(all);
      db.read = (fn) => read((tx) => fn({ ...tx, all: spy(tx.all.bind(tx)), run: tx.run.bind(tx) }));
      try {
        await s.refresh();
        expect(fetched).toEqual([]); // all ten cached
        const other = await tune.loadStudy({ storage: url, studyName: 'cache', ...random() });
        await other.optimize((t) => t.suggestFloat('x', 0, 1), { nTrials: 1 });
        await s.refresh();
        expect(fetched).toEqual([1]); // only the other worker's new trial
      } finally {
        db.all = all;
        db.read = read;
      }
    });
  });
}
