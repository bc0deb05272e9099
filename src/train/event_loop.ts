/**
 * Yielding to the event loop from a long computation: a training step is synchronous native
 * work, so without a pause between batches a server running `fit` would answer no request and
 * fire no timer until the run ends. `setImmediate` lets one full turn of the loop run (timers,
 * I/O polling, then the check phase that resumes us), which costs a few microseconds; pausing
 * only once `everyMs` has passed since the last pause keeps that cost off small, fast batches.
 */
import { checkNumber } from '../validate/index.js';

/** Resolves on the check phase of the next event-loop turn. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** Pauses for one event-loop turn whenever `everyMs` milliseconds have passed since the last. */
export class EventLoopYielder {
  private last = performance.now();

  /** @param everyMs 0 pauses at every call. */
  constructor(readonly everyMs = 0) {
    checkNumber('EventLoopYielder', 'everyMs', everyMs, { min: 0 });
  }

  /** Awaits one turn if due; otherwise returns at once (no promise, no microtask). */
  maybeYield(): Promise<void> | undefined {
    if (this.everyMs > 0 && performance.now() - this.last < this.everyMs) return undefined;
    return nextTurn().then(() => {
      this.last = performance.now();
    });
  }
}
