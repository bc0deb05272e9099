/**
 * Callbacks' own state in checkpoints, so that a resumed run continues exactly where the
 * uninterrupted one would be: EarlyStopping's wait and best (and its best weights), the
 * ReduceLROnPlateau callback's counters, the TrainingMonitor's windows, ModelCheckpoint's best.
 * A callback takes part by having `stateDict()` (JSON-able; typed arrays are stored as tensors)
 * and `loadStateDict(state)`.
 *
 * Saved as a list of { type: class name, state } in callback order. On resume the k-th live
 * callback of a class takes the k-th saved state of that class, so adding or removing a
 * callback of another class (a ProgressBar, a logger) does not shift the others; a live
 * callback with no saved state starts fresh. States are loaded after onTrainBegin, which
 * resets them.
 */
import type { Callback } from './callback.js';

/** A callback whose counters survive a checkpoint. */
export interface StatefulCallback {
  stateDict(): Record<string, unknown>;
  loadStateDict(state: Record<string, unknown>): void;
}

/** One saved callback state. */
export interface SavedCallbackState {
  type: string;
  state: Record<string, unknown>;
}

function isStateful(cb: Callback): cb is Callback & StatefulCallback {
  const c = cb as Partial<StatefulCallback>;
  return typeof c.stateDict === 'function' && typeof c.loadStateDict === 'function';
}

/** The states of the stateful callbacks, in order. */
export function captureCallbackStates(callbacks: readonly Callback[]): SavedCallbackState[] {
  return callbacks.filter(isStateful).map((cb) => ({ type: cb.constructor.name, state: cb.stateDict() }));
}

/**
 * Pairs saved states with live callbacks (see above); throws through `fail` for a saved list
 * that is not { type, state }[]. Returns the loads to run after onTrainBegin.
 */
export function matchCallbackStates(saved: unknown, callbacks: readonly Callback[], fail: (why: string) => never): () => void {
  if (saved === undefined || saved === null) return () => {};
  if (!Array.isArray(saved)) return fail(`callbacks must be a list of { type, state }, got ${typeof saved}`);
  const byType = new Map<string, Record<string, unknown>[]>();
  saved.forEach((entry, i) => {
    const e = entry as Partial<SavedCallbackState> | null;
    if (!e || typeof e.type !== 'string' || !e.state || typeof e.state !== 'object' || Array.isArray(e.state)) {
      fail(`callbacks[${i}] must be { type: string, state: object }`);
    }
    byType.set(e!.type!, [...(byType.get(e!.type!) ?? []), e!.state!]);
  });
  const loads: (() => void)[] = [];
  const taken = new Map<string, number>();
  for (const cb of callbacks.filter(isStateful)) {
    const type = cb.constructor.name;
    const k = taken.get(type) ?? 0;
    taken.set(type, k + 1);
    const state = byType.get(type)?.[k];
    if (state) loads.push(() => cb.loadStateDict(state));
  }
  return () => loads.forEach((load) => load());
}
