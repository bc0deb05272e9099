/**
 * bench:tune — how good and how cheap our samplers are, side by side with Optuna in the same run.
 *
 *   npm run bench:tune        (BENCH_TUNE_SEEDS=20, BENCH_TUNE_TRIALS=100; Optuna from /usr/bin/python3)
 *
 * 1. Median best regret (best value found - known minimum) after 10, 30 and 100 trials over the
 *    seeds, on Branin (2-D), Hartmann-6 (6-D) and Levy (10-D): our GPSampler, TPESampler and
 *    RandomSampler against Optuna's TPESampler and RandomSampler (bench/tune/optuna_ref.py).
 *    Whether our TPE is "within noise" of Optuna's at each trial count: a two-sided Mann–Whitney U
 *    test over the per-seed regrets (within noise when p >= 0.05) with a bootstrap 95 % CI of the
 *    difference of the medians (stats.ts). BENCH_TUNE_SAMPLERS=tpe,random runs only those of ours
 *    (tpe-density, TPE with kernelScores 'density', only when named).
 * 2. Sampler overhead: milliseconds for one ask() and six suggestions after 100 and 500 finished
 *    trials of a 6-D sphere (median of 15), ours (TPE, and GP after 100) against Optuna's TPE.
 * 3. Tuning the handbook MLP on the bundled Fashion-MNIST slice (mlp_tuning.ts): wall time and
 *    best validation accuracy without pruning, with MedianPruner and with ASHA; concurrency 2
 *    against concurrency 1. BENCH_TUNE_MLP=0 leaves it out; BENCH_TUNE_ONLY=overhead,mlp runs
 *    only the parts named (regret, overhead, mlp).
 * Writes bench/results/tune.json (atomically). Needs `apt-get install python3-optuna`; without
 * it the Optuna columns are empty.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tune } from '../../src/index.js';
import { mlpRuns, printMlp } from './mlp_tuning.js';
import { bootstrapMedianDiff, mannWhitneyU, median } from './stats.js';
import { GPSampler } from '../../src/tune/samplers/gp.js';
import { branin, hartmann6, levy10, type TestFunction as BenchFunction } from '../../test/tune/helpers/objectives.js';

const BENCH_FUNCTIONS = [branin, hartmann6, levy10];

const here = dirname(fileURLToPath(import.meta.url));
const SEEDS = Number(process.env.BENCH_TUNE_SEEDS ?? 20);
const TRIALS = Number(process.env.BENCH_TUNE_TRIALS ?? 100);
const CHECKPOINTS = [10, 30, 100].filter((c) => c <= TRIALS);
const PYTHON = '/usr/bin/python3';
/**
 * BENCH_TUNE_ONLY=overhead,mlp (any of regret, overhead, mlp) runs those parts alone, for timing
 * them on a quiet machine; the other parts' earlier results stay in tune.json.
 */
const ONLY = process.env.BENCH_TUNE_ONLY ? new Set(process.env.BENCH_TUNE_ONLY.split(',').map((p) => p.trim())) : null;
const RUN_REGRET = !ONLY || ONLY.has('regret');
const RUN_OVERHEAD = !ONLY || ONLY.has('overhead');
const RUN_MLP = (!ONLY || ONLY.has('mlp')) && process.env.BENCH_TUNE_MLP !== '0';
const haveOptuna = existsSync(PYTHON) && (() => {
  try { execFileSync(PYTHON, ['-c', 'import optuna'], { stdio: 'ignore' }); return true; } catch { return false; }
})();

type Ours = 'gp' | 'tpe' | 'random' | 'tpe-density';
const OURS: Record<Ours, (seed: number) => tune.Sampler> = {
  gp: (seed) => new GPSampler({ seed, deterministicObjective: true }),
  tpe: (seed) => new tune.TPESampler({ seed }),
  // Not run by default: TPE scoring with true kernel densities (BENCH_TUNE_SAMPLERS=tpe,tpe-density).
  'tpe-density': (seed) => new tune.TPESampler({ seed, kernelScores: 'density' }),
  random: (seed) => new tune.RandomSampler({ seed }),
};

/** Best-so-far regret after every trial, one curve per seed. */
async function ourCurves(fn: BenchFunction, sampler: Ours): Promise<number[][]> {
  const curves: number[][] = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    const study = await tune.createStudy({ direction: 'minimize', sampler: OURS[sampler](seed) });
    const curve: number[] = [];
    let best = Infinity;
    for (let t = 0; t < TRIALS; t++) {
      const trial = await study.ask();
      const v = fn.f(fn.bounds.map(([lo, hi], i) => trial.suggestFloat(`x${i}`, lo, hi)));
      await study.tell(trial, v);
      best = Math.min(best, v);
      curve.push(best - fn.minimum);
    }
    curves.push(curve);
  }
  return curves;
}

function optunaCurves(fn: BenchFunction, sampler: 'tpe' | 'random'): number[][] | null {
  if (!haveOptuna) return null;
  const out = execFileSync(PYTHON, [join(here, 'optuna_ref.py'), 'regret', fn.name, sampler, String(SEEDS), String(TRIALS)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return (JSON.parse(out) as { curves: number[][] }).curves;
}

const at = (curves: number[][] | null, n: number) => (curves ? median(curves.map((c) => c[n - 1])) : null);
/** Which of our samplers part 1 runs (BENCH_TUNE_SAMPLERS, comma-separated; all by default). */
const OUR_SAMPLERS = (process.env.BENCH_TUNE_SAMPLERS?.split(',') ?? ['gp', 'tpe', 'random']).filter((s): s is Ours => s in OURS);

/** Our TPE against Optuna's at each checkpoint: the U test and the bootstrap CI over the seeds' regrets. */
function noiseTests(ours: number[][] | null, optuna: number[][] | null) {
  if (!ours || !optuna) return null;
  return Object.fromEntries(CHECKPOINTS.map((n) => {
    const a = ours.map((c) => c[n - 1]);
    const b = optuna.map((c) => c[n - 1]);
    const mannWhitney = mannWhitneyU(a, b);
    return [String(n), { ours: median(a), optuna: median(b), mannWhitney, medianDiff95: bootstrapMedianDiff(a, b, { seed: n }), withinNoise: mannWhitney.p >= 0.05 }];
  }));
}

function printNoiseTests(tests: Record<string, ReturnType<typeof noiseTests>>) {
  console.log(`\nsteepest TPE against Optuna TPE, ${SEEDS} seeds each: two-sided Mann–Whitney U over the per-seed regrets, within noise when p >= 0.05; bootstrap 95 % CI of median(ours) − median(Optuna)`);
  console.log('| function | trials | steepest tpe | optuna tpe | difference [95 % CI] | U | p | within noise |\n|---|---:|---:|---:|---|---:|---:|---|');
  for (const [fn, rows] of Object.entries(tests)) {
    for (const [n, t] of Object.entries(rows ?? {})) {
      const ci = t.medianDiff95;
      console.log(`| ${fn} | ${n} | ${fmt(t.ours)} | ${fmt(t.optuna)} | ${ci.diff.toPrecision(3)} [${ci.low.toPrecision(3)}, ${ci.high.toPrecision(3)}] | ${t.mannWhitney.u} | ${t.mannWhitney.p.toFixed(3)} | ${t.withinNoise ? 'yes' : 'no'} |`);
    }
  }
}

/** Timed suggestions per point of the overhead part (its median is reported); optuna_ref.py uses the same. */
const OVERHEAD_REPEATS = 15;

/** ms for ask() + 6 suggestions after each count of finished trials (median of OVERHEAD_REPEATS). */
async function ourOverhead(make: () => tune.Sampler, counts: number[]): Promise<Record<string, number>> {
  const study = await tune.createStudy({ direction: 'minimize', sampler: make() });
  const out: Record<string, number> = {};
  let done = 0;
  const sphere = async (timed: boolean) => {
    const start = performance.now();
    const trial = await study.ask();
    const xs = Array.from({ length: 6 }, (_, i) => trial.suggestFloat(`x${i}`, 0, 1));
    const ms = performance.now() - start;
    await study.tell(trial, xs.reduce((s, v) => s + (v - 0.3) ** 2, 0));
    done++;
    return timed ? ms : 0;
  };
  for (const count of counts) {
    while (done < count) await sphere(false);
    const times: number[] = [];
    for (let r = 0; r < OVERHEAD_REPEATS; r++) times.push(await sphere(true));
    out[String(count)] = median(times);
  }
  return out;
}

const fmt = (v: number | null) => (v === null ? '-' : v < 1e-3 ? v.toExponential(1) : v.toPrecision(3));

async function main() {
  console.log(`bench:tune — ${SEEDS} seeds x ${TRIALS} trials; Optuna ${haveOptuna ? execFileSync(PYTHON, ['-c', 'import optuna; print(optuna.__version__)'], { encoding: 'utf8' }).trim() : 'not installed'}`);
  const regret: Record<string, Record<string, Record<string, number | null>>> = {};
  const regretPerSeed: Record<string, Record<string, Record<string, number[]>>> = {};
  const tpeNoiseTest: Record<string, ReturnType<typeof noiseTests>> = {};
  for (const fn of RUN_REGRET ? BENCH_FUNCTIONS : []) {
    const curves: Record<string, number[][] | null> = {};
    for (const s of OUR_SAMPLERS) {
      const t0 = performance.now();
      curves[`steepest ${s}`] = await ourCurves(fn, s);
      console.log(`  ${fn.name}: steepest ${s} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    for (const s of ['tpe', 'random'] as const) curves[`optuna ${s}`] = optunaCurves(fn, s);
    regret[fn.name] = Object.fromEntries(Object.entries(curves).map(([k, c]) => [k, Object.fromEntries(CHECKPOINTS.map((n) => [String(n), at(c, n)]))]));
    regretPerSeed[fn.name] = Object.fromEntries(Object.entries(curves).filter(([, c]) => c).map(([k, c]) => [k, Object.fromEntries(CHECKPOINTS.map((n) => [String(n), c!.map((r) => r[n - 1])]))]));
    tpeNoiseTest[fn.name] = noiseTests(curves['steepest tpe'], curves['optuna tpe']);
  }
  console.log('\nMedian best regret (lower is better)');
  console.log(`| function | sampler | ${CHECKPOINTS.map((n) => `${n} trials`).join(' | ')} |`);
  console.log(`|---|---|${CHECKPOINTS.map(() => '---:').join('|')}|`);
  for (const [fn, rows] of Object.entries(regret)) {
    for (const [s, v] of Object.entries(rows)) console.log(`| ${fn} | ${s} | ${CHECKPOINTS.map((n) => fmt(v[String(n)])).join(' | ')} |`);
  }
  if (RUN_REGRET) printNoiseTests(tpeNoiseTest);

  const overhead = !RUN_OVERHEAD ? null : {
    'steepest tpe': await ourOverhead(() => new tune.TPESampler({ seed: 0 }), [100, 500]),
    'steepest gp': await ourOverhead(() => new GPSampler({ seed: 0 }), [100]),
    'optuna tpe': haveOptuna ? JSON.parse(execFileSync(PYTHON, [join(here, 'optuna_ref.py'), 'overhead', 'tpe', '100', '500'], { encoding: 'utf8' })) as Record<string, number> : null,
  };
  console.log(`\nSampler overhead: ms for ask() + 6 suggestions (6-D sphere), median of ${OVERHEAD_REPEATS}`);
  console.log('| sampler | after 100 trials | after 500 trials |\n|---|---:|---:|');
  for (const [s, v] of Object.entries(overhead ?? {})) console.log(`| ${s} | ${fmt(v?.['100'] ?? null)} | ${fmt(v?.['500'] ?? null)} |`);

  const mlpRaw = RUN_MLP ? await mlpRuns() : null;
  const mlp = mlpRaw && { ...mlpRaw, ratios: printMlp(mlpRaw) };

  const path = join(here, '..', 'results', 'tune.json');
  // Parts not run this time keep their earlier results (and dates).
  const earlier = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> : {};
  const now = new Date().toISOString();
  const results = {
    ...earlier,
    ...(RUN_REGRET ? { date: now, seeds: SEEDS, trials: TRIALS, regret, tpeNoiseTest, regretPerSeed } : {}),
    ...(RUN_OVERHEAD ? { overheadDate: now, overheadMs: overhead } : {}),
    ...(mlp ? { mlpDate: now, mlp } : {}),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(results, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
  console.log(`\nwrote ${path}`);
}

await main();
