/**
 * bench:storage (also bench:tune-storage) — the bookkeeping a database storage costs per trial,
 * ours against Optuna's RDBStorage on the same databases in the same run.
 *
 *   npm run bench:storage     (BENCH_STORAGE_TRIALS=40 per worker, BENCH_STORAGE_STEPS=5,10)
 *
 * A trial is: ask, suggest 3 parameters, report STEPS intermediate values, tell, with
 * RandomSampler on both sides, so what is measured is the storage. Each row runs WORKERS
 * processes (1 and 4) on one study: ms/trial is a worker's loop time per trial, averaged over
 * the workers (what a trial waits for its bookkeeping); trials/s is the study's throughput
 * (all trials over the slowest worker's loop; process start-up left out on both sides).
 * Engines: SQLite (a fresh file in the temp dir) and PostgreSQL (postgres_server.ts). Optuna is
 * Debian's (/usr/bin/python3 with python3-optuna, python3-sqlalchemy; python3-psycopg2 for
 * PostgreSQL). Writes bench/results/storage.json.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tune } from '../../src/index.js';
import { postgresServer } from './postgres_server.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const TRIALS = Number(process.env.BENCH_STORAGE_TRIALS ?? 40);
const STEPS = (process.env.BENCH_STORAGE_STEPS ?? '5,10').split(',').map(Number);
const WORKERS = [1, 4];
const PYTHON = '/usr/bin/python3';
const canImport = (mod: string) => {
  try { execFileSync(PYTHON, ['-c', `import ${mod}`], { stdio: 'ignore' }); return true; } catch { return false; }
};

interface Measure { msPerTrial: number; trialsPerSecond: number }

async function ours(url: string, workers: number, steps: number): Promise<Measure> {
  const studyName = `bench-${Date.now()}-${workers}-${steps}`;
  await (await tune.createStudy({ storage: url, studyName })).storage.close?.();
  const outs = await Promise.all(Array.from({ length: workers }, (_, i) =>
    run(process.execPath, ['--import', 'tsx', join(here, 'ours_worker.ts'), url, studyName, String(TRIALS), String(steps), String(i)], { cwd: root })));
  const seconds = outs.map((o) => (JSON.parse(o.stdout.trim().split('\n').pop()!) as { seconds: number }).seconds);
  return { msPerTrial: (1000 * seconds.reduce((a, b) => a + b, 0)) / (TRIALS * workers), trialsPerSecond: (TRIALS * workers) / Math.max(...seconds) };
}

async function optuna(url: string, workers: number, steps: number): Promise<Measure> {
  const { stdout } = await run(PYTHON, [join(here, 'optuna_rdb.py'), url, String(TRIALS), String(workers), String(steps)]);
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as { msPerTrial: number; trials: number; loopSeconds: number };
  return { msPerTrial: r.msPerTrial, trialsPerSecond: r.trials / r.loopSeconds };
}

interface Row { engine: string; workers: number; steps: number; ours: Measure; optuna: Measure | null; ratio: number | null }

const haveOptuna = canImport('optuna');
const tmp = mkdtempSync(join(tmpdir(), 'steepest-bench-storage-'));
const pg = await postgresServer();
const rows: Row[] = [];
try {
  const engines: Array<{ engine: string; ours: (tag: string) => Promise<string>; optuna: ((tag: string) => Promise<string>) | null }> = [
    { engine: 'sqlite', ours: async (tag) => `sqlite:${join(tmp, `ours-${tag}.db`)}`, optuna: haveOptuna ? async (tag) => `sqlite:///${join(tmp, `optuna-${tag}.db`)}` : null },
  ];
  if (pg.url !== null) {
    const base = pg.url;
    const database = async (name: string) => {
      const admin = await tune.createStudy({ storage: base, studyName: `bench-admin-${Date.now()}` });
      await (admin.storage as unknown as { db: { run(sql: string): Promise<number> } }).db.run(`CREATE DATABASE ${name}`);
      await admin.storage.close?.();
      const u = new URL(base);
      u.pathname = `/${name}`;
      return u.toString();
    };
    engines.push({
      engine: 'postgresql',
      ours: (tag) => database(`steepest_bench_ours_${tag}_${process.pid}`),
      optuna: haveOptuna && canImport('psycopg2') ? async (tag) => (await database(`steepest_bench_optuna_${tag}_${process.pid}`)).replace(/^postgres(ql)?:/, 'postgresql+psycopg2:') : null,
    });
  } else {
    console.log(`PostgreSQL left out: ${pg.why}`);
  }
  for (const e of engines) {
    for (const workers of WORKERS) {
      for (const steps of STEPS) {
        const tag = `${workers}_${steps}`;
        const o = await ours(await e.ours(tag), workers, steps);
        const r = e.optuna ? await optuna(await e.optuna(tag), workers, steps) : null;
        const row = { engine: e.engine, workers, steps, ours: o, optuna: r, ratio: r ? o.msPerTrial / r.msPerTrial : null };
        rows.push(row);
        console.log(`${e.engine} ${workers} worker(s) ${steps} steps: ours ${o.msPerTrial.toFixed(2)} ms/trial, Optuna ${r ? r.msPerTrial.toFixed(2) : '-'} ms/trial`);
      }
    }
  }
} finally {
  if (pg.url !== null) pg.stop();
  rmSync(tmp, { recursive: true, force: true });
}

const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '-' : x.toFixed(d));
console.log(`\nbookkeeping per trial (ask, 3 suggestions, STEPS reports, tell; ${TRIALS} trials per worker)\n`);
console.log('| engine | workers | steps | ours ms/trial | Optuna ms/trial | ours / Optuna | ours trials/s | Optuna trials/s |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.engine} | ${r.workers} | ${r.steps} | ${f(r.ours.msPerTrial)} | ${f(r.optuna?.msPerTrial)} | ${f(r.ratio)}x | ${f(r.ours.trialsPerSecond, 1)} | ${f(r.optuna?.trialsPerSecond, 1)} |`);
}
const out = join(root, 'bench', 'results', 'storage.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.tmp`, JSON.stringify({ date: new Date().toISOString(), node: process.version, trialsPerWorker: TRIALS, rows }, null, 2) + '\n');
renameSync(`${out}.tmp`, out);
console.log(`\nwrote ${out}`);
