/**
 * bench:tune part 3 — tuning the handbook MLP (examples/mlp_objective.ts: lr, weight decay and
 * hidden width; up to 10 epochs, the handbook's fit) on the bundled Fashion-MNIST slice, 20
 * trials per study:
 *   - pruning: TPE (seed 0) on both cores without a pruner, with MedianPruner and with ASHA
 *     (SuccessiveHalvingPruner, Optuna's defaults): wall time and best validation accuracy;
 *   - parallel trials: the same 20 configurations (RandomSampler, seed 0: trial n's parameters
 *     depend on n alone, so every run does the same work) at concurrency 1 with one thread,
 *     concurrency 1 with both cores, and concurrency 2 with one thread per trial; and the TPE
 *     study at concurrency 2, whose suggestions differ from the sequential study's (it sees the
 *     running trial through the constant liar), for information.
 * Each configuration runs BENCH_TUNE_MLP_REPEATS times (default 3), interleaved so that a slow
 * spell of the machine hits every configuration alike; the table gives the median wall time.
 *
 * It runs the built package (dist/, `npm run build` first; the bench script does), as an
 * installed steepest runs: the objective module is compiled to plain JavaScript importing
 * dist/ (esbuild, into a temp folder), so worker threads start without tsx (about 0.2 s instead
 * of 1 s here) and the in-thread runs use the very same code.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import type * as Steepest from '../../src/index.js';
import type * as MlpObjective from '../../examples/mlp_objective.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const distIndex = join(root, 'dist', 'index.js');

/** examples/mlp_objective.ts as an .mjs importing dist/, its data folder unchanged. */
function compiledObjective(): string {
  const source = join(root, 'examples', 'mlp_objective.ts');
  const { code } = transformSync(readFileSync(source, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20' });
  const js = code
    .replace(/from ["']\.\.\/src\/index\.js["']/g, `from ${JSON.stringify(pathToFileURL(distIndex).href)}`)
    .replace(/import\.meta\.url/g, JSON.stringify(pathToFileURL(source).href));
  if (js.includes('../src/')) throw new Error('bench:tune: the compiled objective still imports ../src/');
  const file = join(mkdtempSync(join(tmpdir(), 'steepest-bench-tune-')), 'mlp_objective.mjs');
  writeFileSync(file, js);
  return file;
}

const TRIALS = 20;
const REPEATS = Number(process.env.BENCH_TUNE_MLP_REPEATS ?? 3);

interface MlpConfig {
  label: string;
  sampler: 'tpe' | 'random';
  pruner: () => Steepest.tune.Pruner;
  concurrency: number;
  threads: number;
}

export interface MlpRow {
  label: string;
  sampler: string;
  concurrency: number;
  threads: number;
  /** Median wall seconds over the repeats, and every repeat's. */
  seconds: number;
  runs: number[];
  /** Best validation accuracy of each repeat. */
  bestValAccuracy: number[];
  pruned: number[];
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

export async function mlpRuns(): Promise<{ epochs: number; trials: number; repeats: number; rows: MlpRow[] }> {
  const { numThreads, setNumThreads, tune } = (await import(pathToFileURL(distIndex).href)) as typeof Steepest;
  const moduleUrl = compiledObjective();
  const { loadData, objective, EPOCHS } = (await import(pathToFileURL(moduleUrl).href)) as typeof MlpObjective;
  const cores = Math.min(2, numThreads());
  const configs: MlpConfig[] = [
    { label: 'TPE, no pruning', sampler: 'tpe', pruner: () => new tune.NopPruner(), concurrency: 1, threads: cores },
    { label: 'TPE, MedianPruner', sampler: 'tpe', pruner: () => new tune.MedianPruner({ nStartupTrials: 5, nWarmupSteps: 1 }), concurrency: 1, threads: cores },
    { label: 'TPE, ASHA', sampler: 'tpe', pruner: () => new tune.SuccessiveHalvingPruner(), concurrency: 1, threads: cores },
    { label: 'random, concurrency 1, 1 thread', sampler: 'random', pruner: () => new tune.NopPruner(), concurrency: 1, threads: 1 },
    { label: `random, concurrency 1, ${cores} threads`, sampler: 'random', pruner: () => new tune.NopPruner(), concurrency: 1, threads: cores },
    { label: 'random, concurrency 2, 1 thread each', sampler: 'random', pruner: () => new tune.NopPruner(), concurrency: 2, threads: 1 },
    { label: 'TPE, concurrency 2, 1 thread each', sampler: 'tpe', pruner: () => new tune.NopPruner(), concurrency: 2, threads: 1 },
  ];
  const shared = await loadData(); // loaded once, before any timing
  const rows: MlpRow[] = configs.map((c) => ({ label: c.label, sampler: c.sampler, concurrency: c.concurrency, threads: c.threads, seconds: 0, runs: [], bestValAccuracy: [], pruned: [] }));
  for (let r = 0; r < REPEATS; r++) {
    for (const [i, c] of configs.entries()) {
      setNumThreads(c.threads);
      const sampler = c.sampler === 'tpe' ? new tune.TPESampler({ seed: 0 }) : new tune.RandomSampler({ seed: 0 });
      const study = await tune.createStudy({ direction: 'maximize', sampler, pruner: c.pruner() });
      const t0 = performance.now();
      if (c.concurrency > 1) await study.optimize(moduleUrl, { nTrials: TRIALS, concurrency: c.concurrency, threadsPerTrial: c.threads, shared });
      else await study.optimize(objective, { nTrials: TRIALS, shared });
      const seconds = (performance.now() - t0) / 1000;
      setNumThreads(cores);
      const pruned = study.trials.filter((t) => t.state === 'PRUNED').length;
      rows[i].runs.push(seconds);
      rows[i].bestValAccuracy.push(study.bestValue);
      rows[i].pruned.push(pruned);
      console.log(`  MLP [${r + 1}/${REPEATS}] ${c.label}: ${seconds.toFixed(1)} s, best val accuracy ${(100 * study.bestValue).toFixed(2)} %, ${pruned} pruned`);
    }
  }
  for (const row of rows) row.seconds = median(row.runs);
  return { epochs: EPOCHS, trials: TRIALS, repeats: REPEATS, rows };
}

/** The table, and the ratios the tuning issue's acceptance names. */
export function printMlp(mlp: Awaited<ReturnType<typeof mlpRuns>>): Record<string, number> {
  const { rows } = mlp;
  console.log(`\nHandbook MLP, bundled slice, ${mlp.trials} trials of up to ${mlp.epochs} epochs, median of ${mlp.repeats} runs`);
  console.log('| run | concurrency x threads | wall s (median) | runs | best val accuracy % | pruned trials |\n|---|---:|---:|---|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.label} | ${r.concurrency} x ${r.threads} | ${r.seconds.toFixed(1)} | ${r.runs.map((s) => s.toFixed(1)).join(', ')} | ${r.bestValAccuracy.map((a) => (100 * a).toFixed(2)).join(', ')} | ${r.pruned.join(', ')} |`);
  }
  const by = (label: string) => rows.find((r) => r.label.startsWith(label))!;
  const none = by('TPE, no pruning');
  const bestAcc = (r: MlpRow) => median(r.bestValAccuracy);
  const ratios = {
    medianPrunerTimeCut: 1 - by('TPE, MedianPruner').seconds / none.seconds,
    ashaTimeCut: 1 - by('TPE, ASHA').seconds / none.seconds,
    medianPrunerAccuracyDelta: bestAcc(by('TPE, MedianPruner')) - bestAcc(none),
    ashaAccuracyDelta: bestAcc(by('TPE, ASHA')) - bestAcc(none),
    concurrency2VsOneThread: by('random, concurrency 2').seconds / by('random, concurrency 1, 1 thread').seconds,
    concurrency2VsAllCores: by('random, concurrency 2').seconds / rows.find((r) => r.sampler === 'random' && r.concurrency === 1 && r.threads > 1)!.seconds,
  };
  console.log(`\npruning cuts the wall time by ${(100 * ratios.medianPrunerTimeCut).toFixed(0)} % (MedianPruner) and ${(100 * ratios.ashaTimeCut).toFixed(0)} % (ASHA); ` +
    `best accuracy ${(100 * ratios.medianPrunerAccuracyDelta).toFixed(2)} / ${(100 * ratios.ashaAccuracyDelta).toFixed(2)} points against no pruning`);
  console.log(`concurrency 2 takes ${ratios.concurrency2VsOneThread.toFixed(2)}x the wall time of concurrency 1 with one thread and ${ratios.concurrency2VsAllCores.toFixed(2)}x that of concurrency 1 on both cores`);
  return ratios;
}
