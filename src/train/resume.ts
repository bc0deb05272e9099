/**
 * What fit saves into a checkpoint sidecar (through ModelCheckpoint and
 * TrainerContext.checkpointState) and restores from one (`fit({ resumeFrom })`), so that a run
 * continued from epoch k's checkpoint reproduces the uninterrupted run bit for bit:
 *   optimizer  its stateDict (step counts, moment buffers as plain arrays: a float32 value
 *              printed by JSON.stringify parses back to the same float32), hyperparameters;
 *   scheduler  each schedule's stateDict, in the order given;
 *   rng        the default generator's (seed, offset), which dropout and init draw from;
 *   extra      globalStep, the History so far, and the loader position: a checkpoint taken at
 *              a complete epoch k resumes at epoch k + 1; one taken when a run was cancelled
 *              mid-epoch (an AbortSignal, SIGINT) resumes epoch k at the next batch — the
 *              shuffle order is a pure function of (seed, epoch). That resumed epoch's train
 *              loss and metrics then cover only the batches run after the restart.
 * Not saved: callbacks' own state (EarlyStopping's patience counter, the monitor's windows).
 */
import { defaultGenerator } from '../random.js';
import type { CheckpointState } from './checkpoint/checkpoint.js';
import { loadCheckpoint } from './checkpoint/checkpoint.js';
import { History, type HistoryJSON } from './history.js';
import type { TrainableModel } from './contracts.js';

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

/** The sidecar fields fit writes. */
export function captureFitState(optimizer: unknown, schedules: readonly StatefulSchedule[], globalStep: number, history: History, position: EpochPosition): CheckpointState {
  const opt = optimizer as Partial<StatefulOptimizer>;
  let optimizerState: unknown = null;
  if (typeof opt.stateDict === 'function') {
    const dict = opt.stateDict();
    const state: Record<string, Record<string, unknown>> = {};
    for (const [index, entry] of Object.entries(dict.state)) {
      state[index] = Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v]));
    }
    optimizerState = { state, paramGroups: dict.paramGroups };
  }
  return {
    optimizer: optimizerState,
    scheduler: schedules.map((s) => (typeof s.stateDict === 'function' ? s.stateDict() : null)),
    rng: defaultGenerator.getState(),
    extra: { globalStep, history: history.toJSON(), batch: position.batch, complete: position.complete },
  };
}

/** Where a resumed run starts. */
export interface ResumePoint {
  /** The first epoch to run. */
  epoch: number;
  /** The first batch of that epoch (non-zero after a mid-epoch cancellation). */
  batch: number;
  globalStep: number;
  history: History;
}

/**
 * Loads the checkpoint at `path` into the model, optimizer and schedules, and the default
 * generator; returns where training continues.
 */
export function restoreFitState(path: string, model: TrainableModel, optimizer: unknown, schedules: readonly StatefulSchedule[]): ResumePoint {
  const { weights, sidecar } = loadCheckpoint(path);
  if (typeof sidecar.epoch !== 'number') throw new Error(`fit: checkpoint '${path}' has no epoch in its sidecar; it was not written during fit`);
  model.loadStateDict(weights);
  for (const t of Object.values(weights)) t.dispose();
  const opt = optimizer as Partial<StatefulOptimizer>;
  if (sidecar.optimizer) {
    if (typeof opt.loadStateDict !== 'function') throw new TypeError('fit: the checkpoint holds optimizer state but the optimizer has no loadStateDict');
    opt.loadStateDict(sidecar.optimizer as never);
  }
  const saved = Array.isArray(sidecar.scheduler) ? sidecar.scheduler as (Record<string, unknown> | null)[] : [];
  if (saved.length !== schedules.length) throw new Error(`fit: the checkpoint holds ${saved.length} schedules, this run has ${schedules.length}`);
  schedules.forEach((s, i) => {
    if (saved[i] && typeof s.loadStateDict === 'function') s.loadStateDict(saved[i]!);
  });
  if (sidecar.rng) defaultGenerator.setState(sidecar.rng as { seed: number; offset: number });
  const extra = (sidecar.extra ?? {}) as { globalStep?: number; history?: HistoryJSON; batch?: number; complete?: boolean };
  const history = extra.history ? History.fromJSON(extra.history) : new History();
  if (extra.complete === false) {
    // The cancelled epoch is run to its end again: its partial record is replaced.
    if (history.epochs.at(-1)?.epoch === sidecar.epoch) history.epochs.pop();
    return { epoch: sidecar.epoch, batch: extra.batch ?? 0, globalStep: extra.globalStep ?? 0, history };
  }
  return { epoch: sidecar.epoch + 1, batch: 0, globalStep: extra.globalStep ?? 0, history };
}
