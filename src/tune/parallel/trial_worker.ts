/**
 * The worker-thread side of parallel trials (run_parallel.ts): imports the objective module
 * once, takes a thread budget for the native kernels (so two trials on two cores do not fight
 * over one pool), then runs one trial per 'run' message and answers with its outcome.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { setNumThreads } from '../../runtime.js';
import { RemoteTrial } from './remote_trial.js';
import type { CallRequest } from './sync_call.js';
import { openSharedTensors, type SharedTensorHandle, type SharedTensors } from './shared_tensors.js';

interface WorkerInput { moduleUrl: string; threads: number; buffer: SharedArrayBuffer; shared: Record<string, SharedTensorHandle> }
export type WorkerOutcome =
  | { type: 'outcome'; number: number; value: unknown; pruned: string | null }
  | { type: 'outcome'; number: number; error: { name: string; message: string }; pruned: string | null };

const { moduleUrl, threads, buffer, shared: handles } = workerData as WorkerInput;
const port = parentPort!;
setNumThreads(threads);
// The main thread's shared tensors, over the same memory (opened once, for every trial).
const shared = openSharedTensors(handles);
const url = /^[a-z]+:/i.test(moduleUrl) ? moduleUrl : pathToFileURL(moduleUrl).href;
const mod = (await import(url)) as { default?: unknown; objective?: unknown };
const objective = (typeof mod.objective === 'function' ? mod.objective : mod.default) as ((trial: RemoteTrial, shared: SharedTensors) => unknown) | undefined;
if (typeof objective !== 'function') throw new Error(`optimize: the module '${moduleUrl}' exports no objective function (export default or export const objective)`);
const post = (r: CallRequest) => port.postMessage(r);

port.on('message', async (message: { type: 'run'; number: number }) => {
  if (message.type !== 'run') return;
  const trial = new RemoteTrial(message.number, buffer, post);
  let outcome: WorkerOutcome;
  try {
    const value = await objective(trial, shared);
    outcome = { type: 'outcome', number: trial.number, value, pruned: trial.prunedMessage };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    outcome = { type: 'outcome', number: trial.number, error: { name: e.name, message: e.message || e.name }, pruned: trial.prunedMessage };
  }
  port.postMessage(outcome);
});
port.postMessage({ type: 'ready' });
