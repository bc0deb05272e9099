/**
 * `steepest tune worker`: runs trials of one study kept in a database, so a study grows by
 * starting the same command on more machines (createStudy with loadIfExists: the first worker
 * creates the study, the others join it). Each trial is asked, run and told like optimize's; the
 * storage's heartbeat marks this worker alive, and before each trial stale trials of dead
 * workers are failed (and, with --retry-failed, enqueued again, so a live worker runs them).
 *
 * --until-complete N ends the study at exactly N COMPLETE trials, however many workers run: a
 * worker stops once N are COMPLETE; while the COMPLETE, RUNNING and WAITING trials fill N it
 * waits (a RUNNING one may still fail and free its place); and a trial that finds N trials
 * before it (by number) COMPLETE, RUNNING or WAITING is not run but failed as surplus. Numbers
 * are drawn in commit order, so that test is the same for every worker: no overshoot.
 */
import { createStudy } from '../../tune/create_study.js';
import type { Study } from '../../tune/study.js';
import { GPSampler } from '../../tune/samplers/gp.js';
import { RandomSampler } from '../../tune/samplers/random.js';
import { TPESampler } from '../../tune/samplers/tpe/sampler.js';
import { describeTrial } from '../../tune/trial_line.js';
import { intFlag, parseFlags, required, UsageError } from './args.js';
import { loadObjective } from './objective_module.js';

const COMMAND = 'steepest tune worker';
/** A worker process has no shared tensors: its objective module loads its own data. */
const NO_SHARED = Object.freeze({});

const USAGE = `usage: steepest tune worker --storage URL --study NAME --objective ./objective.ts [options]

  --storage URL              sqlite:path/to/study.db or postgresql://user:password@host:5432/database
  --study NAME               the study (created when missing, joined when it exists)
  --objective PATH           module exporting the objective (export const objective, or default)
  --trials N                 trials this worker runs (default: until --until-complete, or stopped)
  --until-complete N         stop when the study has N COMPLETE trials (exactly N, across workers)
  --direction D              minimize (default) or maximize, for a new study
  --sampler S                tpe (default, with the constant liar), random or gp
  --seed N                   the sampler's seed
  --heartbeat-interval-ms N  heartbeat of the running trial (default 10000)
  --grace-period-ms N        a trial without heartbeat for this long is failed (default 6 intervals)
  --retry-failed N           enqueue a trial failed that way again, up to N times (default 0)
  --quiet                    no line per trial
`;

class SurplusTrial extends Error {
  override name = 'SurplusTrial';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runWorker(args: string[]): Promise<number> {
  const v = parseFlags(COMMAND, args, {
    storage: { type: 'string' }, study: { type: 'string' }, objective: { type: 'string' }, trials: { type: 'string' },
    'until-complete': { type: 'string' }, direction: { type: 'string' }, sampler: { type: 'string' }, seed: { type: 'string' },
    'heartbeat-interval-ms': { type: 'string' }, 'grace-period-ms': { type: 'string' }, 'retry-failed': { type: 'string' },
    quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
  });
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const storage = required(COMMAND, v, 'storage');
  const studyName = required(COMMAND, v, 'study');
  const objectivePath = required(COMMAND, v, 'objective');
  const trials = intFlag(COMMAND, v, 'trials', 0);
  const untilComplete = intFlag(COMMAND, v, 'until-complete', 1);
  const seed = intFlag(COMMAND, v, 'seed', 0);
  const direction = (v.direction ?? 'minimize') as string;
  if (direction !== 'minimize' && direction !== 'maximize') throw new UsageError(`${COMMAND}: --direction must be minimize or maximize, got '${direction}'`);
  const samplers = { tpe: () => new TPESampler({ constantLiar: true, seed }), random: () => new RandomSampler({ seed }), gp: () => new GPSampler({ seed }) };
  const samplerName = (v.sampler ?? 'tpe') as string;
  if (!Object.hasOwn(samplers, samplerName)) throw new UsageError(`${COMMAND}: --sampler must be tpe, random or gp, got '${samplerName}'`);
  const objective = await loadObjective(COMMAND, objectivePath);

  const study = await createStudy({
    storage, studyName, loadIfExists: true, direction, sampler: samplers[samplerName as keyof typeof samplers](),
    heartbeatIntervalMs: intFlag(COMMAND, v, 'heartbeat-interval-ms', 1), gracePeriodMs: intFlag(COMMAND, v, 'grace-period-ms', 1),
    retryFailed: intFlag(COMMAND, v, 'retry-failed', 0),
  });
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(`${COMMAND}: stopping after the running trial (signal again to quit now)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const log = v.quiet ? undefined : (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (!v.quiet) process.stdout.write(`${COMMAND}: study '${studyName}' in ${describeStorage(study)}, ${study.trials.length} trials so far\n`);
    const run = async (trial: Parameters<typeof objective>[0]) => {
      if (untilComplete !== undefined) {
        await study.refresh();
        const ahead = study.trials.filter((t) => t.number < trial.number && ['COMPLETE', 'RUNNING', 'WAITING'].includes(t.state)).length;
        if (ahead >= untilComplete) throw new SurplusTrial(`surplus: ${ahead} trials before it already fill --until-complete ${untilComplete}; not run`);
      }
      return objective(trial, NO_SHARED);
    };
    for (let ran = 0; !stopping && (trials === undefined || ran < trials);) {
      if (untilComplete !== undefined) {
        await study.storage.failStaleTrials?.(study.studyId);
        await study.refresh();
        const count = (s: string) => study.trials.filter((t) => t.state === s).length;
        const [complete, running, waiting] = [count('COMPLETE'), count('RUNNING'), count('WAITING')];
        if (complete >= untilComplete) break;
        if (complete + running + waiting >= untilComplete && waiting === 0) {
          await sleep(200); // others' trials are still running; one may fail and free a place
          continue;
        }
      }
      await study.optimize(run, { nTrials: 1, log });
      ran++;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await study.storage.close?.();
  }
}

function describeStorage(study: Study): string {
  return (study.storage as { where?: string }).where ?? 'the storage';
}
