/**
 * Learning-rate schedules inside `fit`: the optim.lrScheduler classes stepped at the end of
 * every epoch (the default; PyTorch's usual placement after validation) or after every
 * optimizer step (`interval: 'step'`, for OneCycleLR and per-iteration warm-ups), and
 * ReduceLROnPlateau fed the monitored log value (default valLoss, or loss without validation
 * data) at epoch end. A plateau reduction is recorded as an 'lrChange' event.
 */
import { ReduceLROnPlateau } from '../optim/lr_scheduler/plateau.js';
import type { Logs, LrControl } from './contracts.js';
import type { History } from './history.js';
import { formatLogValue } from './callbacks/progress_bar.js';

/** A schedule object: LRScheduler, SequentialLR, ChainedScheduler or ReduceLROnPlateau. */
export interface Steppable {
  /** Advances the schedule by one epoch (ReduceLROnPlateau takes the monitored value). */
  step(metric?: number): void;
}

/** A schedule, or a schedule with where it steps and (for ReduceLROnPlateau) what it watches. */
export type ScheduleSpec = Steppable | { scheduler: Steppable; interval?: 'epoch' | 'step'; monitor?: string };

interface Resolved {
  scheduler: Steppable;
  interval: 'epoch' | 'step';
  monitor?: string;
}

/** The schedules of one run. */
export class Schedules {
  /** Every schedule, in the order given (for checkpoints). */
  readonly all: Steppable[];
  private readonly perStep: Steppable[];
  private readonly perEpoch: Resolved[];

  constructor(specs: readonly ScheduleSpec[], hasValidation: boolean) {
    const resolved = specs.map((spec, i): Resolved => {
      const wrapped = spec && typeof spec === 'object' && 'scheduler' in spec;
      const scheduler = wrapped ? spec.scheduler : (spec as Steppable);
      if (!scheduler || typeof scheduler.step !== 'function') throw new TypeError(`fit: schedules[${i}] is not a schedule (an object with step())`);
      const interval = (wrapped ? spec.interval : undefined) ?? 'epoch';
      if (interval !== 'epoch' && interval !== 'step') throw new RangeError(`fit: schedules[${i}].interval must be 'epoch' or 'step', got '${String(interval)}'`);
      const plateau = scheduler instanceof ReduceLROnPlateau;
      if (plateau && interval === 'step') throw new RangeError(`fit: schedules[${i}] is ReduceLROnPlateau, which steps per epoch on a monitored value`);
      const monitor = plateau ? ((wrapped ? spec.monitor : undefined) ?? (hasValidation ? 'valLoss' : 'loss')) : undefined;
      return { scheduler, interval, monitor };
    });
    this.all = resolved.map((r) => r.scheduler);
    this.perStep = resolved.filter((r) => r.interval === 'step').map((r) => r.scheduler);
    this.perEpoch = resolved.filter((r) => r.interval === 'epoch');
  }

  /** After each optimizer step. */
  afterStep(): void {
    for (const s of this.perStep) s.step();
  }

  /** At epoch end, with the epoch's logs; records plateau reductions in `history`. */
  afterEpoch(epoch: number, logs: Logs, lr: LrControl, history: History, log: (line: string) => void): void {
    for (const { scheduler, monitor } of this.perEpoch) {
      if (monitor === undefined) {
        scheduler.step();
        continue;
      }
      const value = logs[monitor];
      if (value === undefined) throw new Error(`fit: ReduceLROnPlateau monitors '${monitor}', which is not in the epoch logs (have: ${Object.keys(logs).join(', ')})`);
      const before = lr.getLr();
      scheduler.step(value);
      const after = lr.getLr();
      if (after.some((v, i) => v !== before[i])) {
        const message = `Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${after.map(formatLogValue).join(', ')}`;
        history.addEvent({ kind: 'lrChange', epoch, message, detail: { from: before, to: after, monitor, value } });
        log(message);
      }
    }
  }
}
