/**
 * study.optimize (optuna.Study.optimize): asks a trial, runs the objective, tells the result —
 * until `nTrials` trials ran in this call, `timeoutMs` passed (checked between trials, as
 * Optuna does), the AbortSignal fired (the running trial finishes first; every finished trial is
 * kept), or the study was stopped (an exhausted GridSampler). How a trial ends:
 *   returns a number            COMPLETE (NaN: FAIL)
 *   throws TrialPruned          PRUNED, valued at its last report (also after trial.markPruned)
 *   throws anything else        FAIL with the error's message; the study goes on unless `catch`
 *                               lists error classes and this one is not among them (Optuna's
 *                               default is to rethrow; ours is 'all', to go on)
 *   outlives trialTimeoutMs     FAIL ("timed out"); trial.signal aborts so the objective can stop
 */
import type { FrozenTrial } from './frozen_trial.js';
import { runParallel } from './parallel/run_parallel.js';
import { describeTrial } from './trial_line.js';
import { checkInt, checkNumber, checkOptionKeys } from './options.js';
import { copyOptions } from './arguments.js';
import { describeValue, errorText, isInstance, readSafely, typeError } from '../validate/index.js';
import { statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Study, TellResult } from './study.js';
import type { Trial } from './trial.js';
import type { Tensor } from '../tensor.js';
import { TrialPruned, TrialTimeout } from './trial_pruned.js';
import { checkShared, type SharedTensors } from './parallel/shared_tensors.js';

/** The objective: a trial in, a value out; `shared` is optimize's `shared` option ({} without it). */
export type Objective = (trial: Trial, shared: SharedTensors) => number | Promise<number>;

/** An Error subclass, for optimize's `catch` option (errors of these classes fail the trial and the study goes on). */
export type ErrorClass = abstract new (...args: never[]) => unknown;

/** Options of study.optimize: how many trials, time limits, an abort signal, which errors fail a trial, callbacks, logging, concurrency in worker threads and shared tensors. */
export interface OptimizeOptions {
  /** Trials to run in this call (default: until stopped). */
  nTrials?: number;
  /** No new trial starts after this many milliseconds. */
  timeoutMs?: number;
  /** Stops after the running trial. */
  signal?: AbortSignal;
  /** A trial running longer is failed and abandoned (its `signal` aborts). */
  trialTimeoutMs?: number;
  /** Which objective errors fail the trial and go on: 'all' (default) or a list of classes. */
  catch?: 'all' | readonly ErrorClass[];
  /** Called after each trial with the study and the finished trial. */
  callbacks?: ReadonlyArray<(study: Study, trial: FrozenTrial) => void | Promise<void>>;
  /** Receives one line per finished trial (silent when absent). */
  log?: (line: string) => void;
  /**
   * Trials at once, each in its own worker thread (default 1, in this thread). Needs the
   * objective as a module path or URL (its default or `objective` export), which every worker
   * imports (parallel/run_parallel.ts).
   */
  concurrency?: number;
  /** Native threads per parallel trial (default: the cores split between the workers). */
  threadsPerTrial?: number;
  /**
   * Read-only tensors (a dataset) passed to every trial as the objective's second argument; to
   * worker threads without a copy: each worker reads the same native memory
   * (parallel/shared_tensors.ts).
   */
  shared?: Readonly<Record<string, Tensor>>;
}

const KEYS = ['nTrials', 'timeoutMs', 'signal', 'trialTimeoutMs', 'catch', 'callbacks', 'log', 'concurrency', 'threadsPerTrial', 'shared'];

/**
 * The objective module's path or URL, checked before any worker starts: an existing file, a
 * file: URL of one, or a data: URL (a worker would otherwise fail importing it, with the
 * loader's message instead of optimize's).
 */
function checkObjectiveModule(objective: string | URL): string {
  const text = readSafely('optimize', 'objective', () => String(objective));
  if (/^data:/i.test(text)) return text;
  let path: string;
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[a-z]:[\\/]/i.test(text)) {
    if (!/^file:/i.test(text)) throw new RangeError(`optimize: argument 'objective' must be a function, a module path, or a file: or data: URL, got ${describeValue(text)}`);
    try {
      path = fileURLToPath(text);
    } catch (e) {
      throw new RangeError(`optimize: argument 'objective' is not a valid file: URL (${errorText(e)}), got ${describeValue(text)}`, { cause: e });
    }
  } else {
    path = resolvePath(text);
  }
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) throw new RangeError(`optimize: argument 'objective' names no module file: ${describeValue(text)} (${path} does not exist or is not a file)`);
  return text;
}

export async function runOptimize(study: Study, objective: Objective | string | URL, rawOptions: OptimizeOptions): Promise<void> {
  checkOptionKeys('optimize', rawOptions, KEYS);
  // Read once: every option below is a plain value, a getter that throws fails here.
  const options = (copyOptions<OptimizeOptions>('optimize', rawOptions) ?? {}) as OptimizeOptions;
  const moduleUrl = typeof objective === 'string' || isInstance(objective, URL) ? checkObjectiveModule(objective) : null;
  if (moduleUrl === null && typeof objective !== 'function') throw new TypeError(`optimize: objective must be a function or the path or URL of a module exporting one, got ${describeValue(objective)}`);
  if (options.signal !== undefined && !isInstance(options.signal, AbortSignal)) typeError('optimize', "option 'signal'", 'an AbortSignal', options.signal);
  if (options.log !== undefined && typeof options.log !== 'function') typeError('optimize', "option 'log'", 'a function (line) => void', options.log);
  if (options.callbacks !== undefined) {
    if (!Array.isArray(options.callbacks)) typeError('optimize', "option 'callbacks'", 'an array of functions (study, trial) => void', options.callbacks);
    const list = readSafely('optimize', "option 'callbacks'", () => [...options.callbacks!]);
    list.forEach((cb, i) => typeof cb === 'function' || typeError('optimize', `option 'callbacks'[${i}]`, 'a function (study, trial) => void', cb));
    options.callbacks = list;
  }
  const shared = options.shared === undefined ? Object.freeze({}) : checkShared('optimize', options.shared);
  const concurrency = options.concurrency ?? 1;
  checkInt('optimize', 'concurrency', concurrency, 1);
  if (options.threadsPerTrial !== undefined) checkInt('optimize', 'threadsPerTrial', options.threadsPerTrial, 1);
  if (concurrency > 1 && moduleUrl === null) {
    throw new TypeError('optimize: concurrency > 1 runs trials in worker threads, which cannot receive a function: pass the path or URL of a module that exports the objective');
  }
  const { nTrials, timeoutMs, trialTimeoutMs, signal } = options;
  if (nTrials !== undefined) checkInt('optimize', 'nTrials', nTrials, 0);
  if (timeoutMs !== undefined) checkNumber('optimize', 'timeoutMs', timeoutMs, 0);
  if (trialTimeoutMs !== undefined) checkNumber('optimize', 'trialTimeoutMs', trialTimeoutMs, 0);
  let catchList = options.catch ?? 'all';
  if (catchList !== 'all' && !Array.isArray(catchList)) throw new TypeError(`optimize: catch must be 'all' or an array of error classes, got ${describeValue(catchList)}`);
  if (catchList !== 'all') {
    const list = readSafely('optimize', "option 'catch'", () => [...(catchList as readonly ErrorClass[])]);
    list.forEach((c, i) => typeof c === 'function' || typeError('optimize', `option 'catch'[${i}]`, 'an error class', c));
    catchList = list;
  }
  if (study.optimizing) throw new Error('optimize: this study is already optimizing (nested or concurrent optimize calls are not supported)');
  study.optimizing = true;
  study.takeStop(true);
  const start = performance.now();
  try {
    if (moduleUrl !== null) {
      await runParallel(study, moduleUrl, { ...options, concurrency, shared });
      return;
    }
    for (let i = 0; nTrials === undefined || i < nTrials; i++) {
      if (signal?.aborted || study.takeStop()) break;
      if (timeoutMs !== undefined && performance.now() - start >= timeoutMs) break;
      if (study.sampler.isExhausted?.(study)) break;
      const { trial, error } = await runTrial(study, objective as Objective, shared, trialTimeoutMs);
      options.log?.(describeTrial(study, trial));
      for (const cb of options.callbacks ?? []) await cb(study, trial);
      if (error !== undefined && !(catchList === 'all' || catchList.some((cls) => error instanceof cls))) throw error;
    }
  } finally {
    study.optimizing = false;
    study.takeStop(true);
  }
}

async function runTrial(study: Study, objective: Objective, shared: SharedTensors, trialTimeoutMs: number | undefined): Promise<{ trial: FrozenTrial; error?: unknown }> {
  const trial = await study.ask();
  let result: TellResult;
  let errorMessage: string | undefined;
  let error: unknown;
  try {
    const value = await withTimeout(trial, (t) => objective(t, shared), trialTimeoutMs);
    if (trial.prunedMessage !== null) result = 'pruned';
    else if (typeof value === 'number') result = value;
    else {
      result = 'failed';
      errorMessage = `the objective returned ${value === null ? 'null' : typeof value}, expected a number`;
    }
  } catch (err) {
    if (err instanceof TrialPruned) {
      result = 'pruned';
    } else {
      result = 'failed';
      errorMessage = err instanceof Error ? err.message || err.name : String(err);
      if (!(err instanceof TrialTimeout)) error = err;
    }
  }
  const frozen = await study.tell(trial, result, { errorMessage });
  return { trial: frozen, error };
}

/** The objective's result, or a TrialTimeout once `ms` pass (the objective is then abandoned). */
async function withTimeout(trial: Trial, objective: (trial: Trial) => number | Promise<number>, ms: number | undefined): Promise<unknown> {
  const run = Promise.resolve().then(() => objective(trial));
  if (ms === undefined) return run;
  run.catch(() => {}); // an abandoned objective may still reject; that is not an unhandled error
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new TrialTimeout(`trial ${trial.number} timed out after ${ms} ms`);
      trial.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
