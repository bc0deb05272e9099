/**
 * Ctrl-C for training: an AbortSignal that fires on SIGINT/SIGTERM, for `fit({ signal })`.
 * The first signal cancels the run after the current batch (so ModelCheckpoint writes a
 * resumable checkpoint at the partial epoch's end, see resume.ts); the handler then removes
 * itself, so a second Ctrl-C gets Node's default behaviour and ends the process at once.
 */
import { checkArray, checkFunction, typeError } from '../validate/index.js';

/** The signal to pass to fit, and `dispose()` to remove the handlers when training is over. */
export interface SignalAbort {
  signal: AbortSignal;
  /** Removes the signal handlers. */
  dispose(): void;
}

/**
 * A POSIX signal name ('SIGINT', 'SIGTERM', 'SIGHUP', …). Spelled structurally rather than as
 * `NodeJS.Signals`, so the published declarations do not need `@types/node`.
 */
export type SignalName = `SIG${string}`;

/** Aborts the returned signal on the first of `signals` the process receives. */
export function abortOnSignals(signals: readonly SignalName[] = ['SIGINT', 'SIGTERM'], log: (line: string) => void = (l) => console.error(l)): SignalAbort {
  checkArray('abortOnSignals', 'signals', signals, 'an array of signal names');
  signals.forEach((s, i) => {
    // SIGKILL and SIGSTOP cannot be caught: process.on would throw for them.
    if (typeof s !== 'string' || !/^SIG[A-Z0-9]+$/.test(s) || s === 'SIGKILL' || s === 'SIGSTOP') {
      typeError('abortOnSignals', `signals[${i}]`, "a catchable signal name ('SIGINT', 'SIGTERM', ...)", s);
    }
  });
  checkFunction('abortOnSignals', 'log', log);
  const controller = new AbortController();
  const dispose = () => {
    for (const s of signals) process.off(s as NodeJS.Signals, handler);
  };
  const handler = (received: SignalName) => {
    dispose();
    log(`${received}: stopping after the current batch (press Ctrl-C again to quit at once)`);
    controller.abort(new Error(`received ${received}`));
  };
  for (const s of signals) process.on(s as NodeJS.Signals, handler);
  return { signal: controller.signal, dispose };
}
