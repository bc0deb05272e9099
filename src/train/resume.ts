/**
 * What fit saves into a checkpoint (through ModelCheckpoint and TrainerContext.checkpointState)
 * and restores from one (`fit({ resumeFrom })`), so that a run continued from epoch k's
 * checkpoint reproduces the uninterrupted run bit for bit:
 *   optimizer  its stateDict: step counts and hyperparameters, and the moment buffers as
 *              Float32Arrays, which the checkpoint stores as tensors (state_codec.ts);
 *   scheduler  each schedule's stateDict, in the order given;
 *   rng        the default generator's (seed, offset), which dropout and init draw from;
 *   callbacks  each stateful callback's counters (callbacks/callback_state.ts): EarlyStopping,
 *              ReduceLROnPlateau, the TrainingMonitor, ModelCheckpoint;
 *   extra      globalStep, the History so far, and the loader position: a checkpoint taken at
 *              a complete epoch k resumes at epoch k + 1; one taken when a run was cancelled
 *              mid-epoch (an AbortSignal, SIGINT) resumes epoch k at the next batch — the
 *              shuffle order is a pure function of (seed, epoch). That resumed epoch's train
 *              loss and metrics then cover only the batches run after the restart.
 * The resume itself is recorded in the History as a 'resume' event (the report marks it).
 * On resume, everything is checked against the run (resume_checks.ts) before any of it is
 * applied, so a checkpoint that does not fit throws and leaves the run untouched.
 */
import { defaultGenerator } from '../random.js';
import type { Callback } from './callbacks/callback.js';
import { captureCallbackStates, matchCallbackStates } from './callbacks/callback_state.js';
import type { CheckpointState } from './checkpoint/checkpoint.js';
import { loadCheckpoint } from './checkpoint/checkpoint.js';
import { History, type HistoryJSON } from './history.js';
import type { TrainableModel } from './contracts.js';
import { checkResumeState } from './resume_checks.js';

/** An optimizer whose state can be saved and restored (every optim.* optimizer). */
export interface StatefulOptimizer {
  stateDict(): { state: Record<number, Record<string, unknown>>; paramGroups: Record<string, unknown>[] };
  loadStateDict(dict: never): void;
}

/** A schedule whose state can be saved and restored. */
export interface StatefulSchedule {
  stateDict?(): Record<string, unknown>;
  loadStateDict?(state: Record<string, unknown>): void;
}

/** Where in an epoch the run is: batches done, and whether the epoch ran to its end. */
export interface EpochPosition {
  batch: number;
  complete: boolean;
}

/** The checkpoint fields fit writes. */
export function captureFitState(optimizer: unknown, schedules: readonly StatefulSchedule[], globalStep: number, history: History, position: EpochPosition, callbacks: readonly Callback[] = []): CheckpointState {
  const opt = optimizer as Partial<StatefulOptimizer>;
  return {
    optimizer: typeof opt.stateDict === 'function' ? withTypedBuffers(opt.stateDict()) : null,
    scheduler: schedules.map((s) => (typeof s.stateDict === 'function' ? s.stateDict() : null)),
    callbacks: captureCallbackStates(callbacks),
    rng: defaultGenerator.getState(),
    extra: { globalStep, history: history.toJSON(), batch: position.batch, complete: position.complete },
  };
}

/**
 * The optimizer's state buffers (plain number arrays in a stateDict) as Float32Arrays, which the
 * checkpoint stores as tensors rather than as JSON numbers.
 */
function withTypedBuffers(dict: ReturnType<StatefulOptimizer['stateDict']>): unknown {
  const state = Object.fromEntries(Object.entries(dict.state).map(([index, entry]) => [index,
    Object.fromEntries(Object.entries(entry).map(([slot, v]) => [slot, Array.isArray(v) ? Float32Array.from(v as number[]) : v]))]));
  return { ...dict, state };
}

/** Where a resumed run starts. */
export interface ResumePoint {
  /** The first epoch to run. */
  epoch: number;
  /** The first batch of that epoch (non-zero after a mid-epoch cancellation). */
  batch: number;
  globalStep: number;
  history: History;
  /** Loads the callbacks' saved counters; call after their onTrainBegin (which resets them). */
  loadCallbacks(): void;
}

/**
 * Loads the checkpoint at `path` into the model, optimizer and schedules, and the default
 * generator; returns where training continues.
 */
export function restoreFitState(path: string, model: TrainableModel, optimizer: unknown, schedules: readonly StatefulSchedule[], callbacks: readonly Callback[] = []): ResumePoint {
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError(`fit: resumeFrom must be the path of a checkpoint, got ${path === null ? 'null' : typeof path === 'string' ? "''" : typeof path}`);
  }
  const { weights, metadata } = loadCheckpoint(path);
  const extra = (metadata.extra ?? {}) as { globalStep?: number; history?: HistoryJSON; batch?: number; complete?: boolean };
  let history: History;
  let loadCallbacks: () => void;
  try {
    checkResumeState(path, metadata, weights, model, optimizer, schedules);
    loadCallbacks = matchCallbackStates(metadata.callbacks, callbacks, (why) => {
      throw new Error(`fit: checkpoint '${path}' does not fit this run: ${why}`);
    });
    try {
      history = extra.history ? History.fromJSON(extra.history) : new History();
    } catch (e) {
      throw new Error(`fit: checkpoint '${path}' does not fit this run: its History: ${(e as Error).message}`, { cause: e });
    }
    const opt = optimizer as Partial<StatefulOptimizer>;
    if (metadata.optimizer) {
      try {
        opt.loadStateDict!(metadata.optimizer as never);
      } catch (e) {
        throw new Error(`fit: checkpoint '${path}' does not fit this run: ${(e as Error).message}`, { cause: e });
      }
    }
    model.loadStateDict(weights);
  } finally {
    for (const t of Object.values(weights)) t.dispose();
  }
  const saved = Array.isArray(metadata.scheduler) ? metadata.scheduler as (Record<string, unknown> | null)[] : [];
  schedules.forEach((s, i) => {
    if (saved[i] && typeof s.loadStateDict === 'function') s.loadStateDict(saved[i]!);
  });
  if (metadata.rng) defaultGenerator.setState(metadata.rng as { seed: number; offset: number });
  const savedEpoch = metadata.epoch!;
  const partial = extra.complete === false;
  // The cancelled epoch is run to its end again: its partial record is replaced.
  if (partial && history.epochs.at(-1)?.epoch === savedEpoch) history.epochs.pop();
  const epoch = partial ? savedEpoch : savedEpoch + 1;
  const batch = partial ? extra.batch ?? 0 : 0;
  const globalStep = extra.globalStep ?? 0;
  history.addEvent({
    kind: 'resume', epoch, step: globalStep,
    message: `Resumed from checkpoint '${path}' at epoch ${epoch + 1}${batch > 0 ? `, batch ${batch + 1}` : ''}`,
    detail: { path, checkpointId: metadata.checkpointId, savedAt: metadata.savedAt, batch },
  });
  const load = loadCallbacks!;
  return { epoch, batch, globalStep, history, loadCallbacks: () => {
    try {
      load();
    } catch (e) {
      throw new Error(`fit: checkpoint '${path}' does not fit this run: ${(e as Error).message}`, { cause: e });
    }
  } };
}
