/**
 * study.optimize(moduleUrl, { concurrency: n }): trials in `n` worker threads. The study, its
 * storage, sampler and pruner stay in the main thread; each worker imports the objective module
 * and runs one trial at a time, its suggest/report/shouldPrune calls answered synchronously by
 * the main thread (sync_call.ts). So the sampler sees every running trial (the GP's constant
 * liar, TPE's running-trial handling) and pruners compare against all workers' reports, with
 * the in-memory storage as with a journal.
 *
 * The cores are split between workers by default (`threadsPerTrial`, default
 * floor(numThreads() / n), at least 1): each worker sets its own native thread budget, so two
 * trials on two cores run side by side instead of queueing for one thread pool. Read-only data
 * (the `shared` tensors) reaches every worker as handles to the same native memory
 * (shared_tensors.ts), not as copies; a worker does not copy the study's state either.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { numThreads } from '../../runtime.js';
import type { FrozenTrial } from '../frozen_trial.js';
import type { OptimizeOptions } from '../optimize.js';
import { describeTrial } from '../trial_line.js';
import type { Study, TellResult } from '../study.js';
import type { Trial } from '../trial.js';
import { answerCall, createCallBuffer, type CallAnswer, type CallRequest } from './sync_call.js';
import type { WorkerOutcome } from './trial_worker.js';
import { closeSharedTensors, openSharedTensors, shareTensors, type SharedTensorHandle, type SharedTensors } from './shared_tensors.js';

export interface ParallelOptions {
  /** Worker threads running trials at once. */
  concurrency: number;
  /** Native threads each trial may use (default: the cores split between the workers). */
  threadsPerTrial?: number;
}

/** Methods a worker may call on its trial, and how. */
const CALLS: Record<string, (t: Trial, args: unknown[]) => unknown> = {
  suggestFloat: (t, a) => t.suggestFloat(a[0] as string, a[1] as number, a[2] as number, a[3] as object),
  suggestInt: (t, a) => t.suggestInt(a[0] as string, a[1] as number, a[2] as number, a[3] as object),
  suggestCategorical: (t, a) => t.suggestCategorical(a[0] as string, a[1] as never),
  report: (t, a) => t.report(a[0] as number, a[1] as number),
  shouldPrune: (t) => t.shouldPrune(),
  setUserAttr: (t, a) => t.setUserAttr(a[0] as string, a[1] as never),
  params: (t) => t.params,
};

/**
 * The worker: the compiled trial_worker.js next to this file, or — when running from the
 * TypeScript sources (the repository's tests) — the .ts entry behind tsx's module hooks,
 * registered inside the worker (a worker does not inherit the parent's loader).
 */
/** tsx's ESM API as an importable specifier, resolved from this module when the runtime can. */
function tsxApi(): string {
  try {
    const resolved = (import.meta as { resolve?: (s: string) => string }).resolve?.('tsx/esm/api');
    if (resolved) return resolved;
  } catch {
    // Fall through: resolved from the cwd.
  }
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  } catch {
    return 'tsx/esm/api';
  }
}

function startWorker(workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./trial_worker.js', here), { workerData });
  const entry = new URL('./trial_worker.ts', here).href;
  // tsx is resolved here, from this package: the eval'd worker would resolve it from the cwd.
  const boot = `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

class TrialWorker {
  readonly buffer = createCallBuffer();
  readonly worker: Worker;
  private trial: Trial | null = null;
  private settle: ((o: WorkerOutcome | { type: 'exit'; message: string }) => void) | null = null;
  readonly ready: Promise<void>;

  constructor(moduleUrl: string, threads: number, shared: Record<string, SharedTensorHandle>) {
    this.worker = startWorker({ moduleUrl, threads, buffer: this.buffer, shared });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('error', (e: unknown) => reject(new Error(
        `optimize: the worker thread could not start on the objective module '${moduleUrl}': ${e instanceof Error ? e.message : String(e)}`, { cause: e })));
      const onReady = (m: { type: string }) => { if (m.type === 'ready') { this.worker.off('message', onReady); this.worker.off('error', reject); resolve(); } };
      this.worker.on('message', onReady);
    });
    this.worker.on('message', (m: CallRequest | WorkerOutcome) => {
      if (m.type === 'call') this.answer(m);
      else if (m.type === 'outcome') { const s = this.settle; this.settle = null; s?.(m); }
    });
    const ended = (message: string) => { const s = this.settle; this.settle = null; s?.({ type: 'exit', message }); };
    this.worker.on('error', (e) => ended(`the worker thread failed: ${e.message}`));
    this.worker.on('exit', (code) => ended(`the worker thread exited (code ${code})`));
  }

  private answer(m: CallRequest): void {
    let answer: CallAnswer;
    try {
      const fn = CALLS[m.method];
      if (!fn || !this.trial) throw new Error(`trial.${m.method} is not available in a worker`);
      answer = { ok: true, value: fn(this.trial, m.args) ?? null };
    } catch (err) {
      const e = err as Error;
      answer = { ok: false, name: e.name, message: e.message };
    }
    answerCall(this.buffer, answer);
  }

  run(trial: Trial): Promise<WorkerOutcome | { type: 'exit'; message: string }> {
    this.trial = trial;
    return new Promise((resolve) => {
      this.settle = resolve;
      this.worker.postMessage({ type: 'run', number: trial.number });
    });
  }
}

export async function runParallel(study: Study, moduleUrl: string, options: OptimizeOptions & ParallelOptions & { shared: SharedTensors }): Promise<void> {
  const { concurrency, nTrials, timeoutMs, trialTimeoutMs, signal } = options;
  const shared = shareTensors(options.shared);
  // This run's own hold on the shared memory: a worker started later (after a timed-out trial)
  // can still open it if the caller disposed its tensors meanwhile.
  const held = openSharedTensors(shared);
  const threads = options.threadsPerTrial ?? Math.max(1, Math.floor(Math.min(numThreads(), availableParallelism()) / concurrency));
  const start = performance.now();
  let started = 0;
  const canStart = () => !(signal?.aborted) && !study.takeStop()
    && (nTrials === undefined || started < nTrials)
    && (timeoutMs === undefined || performance.now() - start < timeoutMs)
    && !study.sampler.isExhausted?.(study);
  let stopped = false;

  const lane = async (first: TrialWorker): Promise<void> => {
    let w = first;
    try {
      while (!stopped && canStart()) {
        started++;
        const trial = await study.ask();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = trialTimeoutMs === undefined ? null : new Promise<{ type: 'timeout' }>((resolve) => { timer = setTimeout(() => resolve({ type: 'timeout' }), trialTimeoutMs); });
        const outcome = await Promise.race([w.run(trial), ...(timeout ? [timeout] : [])]);
        clearTimeout(timer);
        let result: TellResult;
        let errorMessage: string | undefined;
        if (outcome.type === 'timeout' || outcome.type === 'exit') {
          result = 'failed';
          errorMessage = outcome.type === 'timeout' ? `trial ${trial.number} timed out after ${trialTimeoutMs} ms` : outcome.message;
          await w.worker.terminate();
          w = new TrialWorker(moduleUrl, threads, shared); // a fresh worker for the next trial
          await w.ready;
        } else if (outcome.pruned !== null || ('error' in outcome && outcome.error.name === 'TrialPruned')) {
          result = 'pruned';
        } else if ('error' in outcome) {
          result = 'failed';
          errorMessage = outcome.error.message;
        } else if (typeof outcome.value === 'number') {
          result = outcome.value;
        } else {
          result = 'failed';
          errorMessage = `the objective returned ${outcome.value === null ? 'null' : typeof outcome.value}, expected a number`;
        }
        const frozen: FrozenTrial = await study.tell(trial, result, { errorMessage });
        options.log?.(describeTrial(study, frozen));
        for (const cb of options.callbacks ?? []) await cb(study, frozen);
      }
    } catch (err) {
      stopped = true;
      throw err;
    } finally {
      await w.worker.terminate();
    }
  };
  try {
    // Every worker is started (they load in parallel) before the first trial, so trials spread
    // over all of them even when one starts slower (a loaded machine), instead of the first
    // ready worker taking every trial of a short study.
    const workers = Array.from({ length: concurrency }, () => new TrialWorker(moduleUrl, threads, shared));
    const ready = await Promise.allSettled(workers.map((w) => w.ready));
    const failed = ready.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.worker.terminate()));
      throw failed.reason;
    }
    await Promise.all(workers.map(lane));
  } finally {
    closeSharedTensors(held);
  }
}
