/**
 * ReduceLROnPlateau as a callback, with PyTorch's algorithm
 * (torch.optim.lr_scheduler.ReduceLROnPlateau, 1.13) driven by a log key at each epoch end:
 *   better(a, best): 'min'/'rel': a < best (1 - threshold)   'min'/'abs': a < best - threshold
 *                    'max'/'rel': a > best (1 + threshold)   'max'/'abs': a > best + threshold
 *   bad epochs count up when not better; in cooldown they are zeroed; once they exceed
 *   `patience`, every group's lr becomes max(lr * factor, minLr) — changed only when it moves
 *   by more than eps — and cooldown restarts.
 * Keras's variant reduces after `patience` bad epochs instead of patience + 1 and compares with
 * an absolute min_delta: pass { patience: kerasPatience - 1, thresholdMode: 'abs',
 * threshold: minDelta } for the same decisions. Its counters are saved in checkpoints.
 */
import {
  PLATEAU_KEYS, ReduceLROnPlateau as PlateauSchedule, type ReduceLROnPlateauOptions as PlateauScheduleOptions,
} from '../../optim/lr_scheduler/plateau.js';
import { checkInteger, checkNumber, describeValue, isPlainObject, prefixed, readList, readOptions, readState } from '../../validate/index.js';

const KEYS = [...PLATEAU_KEYS, 'monitor'] as const;
import type { SchedulableOptimizer } from '../../optim/lr_scheduler/scheduler.js';
import type { Logs, LrControl } from '../contracts.js';
import { Callback, checkHook } from './callback.js';
import { formatLogValue } from './progress_bar.js';
import { resolveMode, type Mode } from './monitor_mode.js';

/** The schedule's options (PyTorch's defaults), plus the log key to watch; mode may be 'auto'. */
export interface ReduceLROnPlateauOptions extends Omit<PlateauScheduleOptions, 'mode'> {
  monitor?: string;
  mode?: Mode;
}

/** The trainer's learning rates seen as parameter groups, so the optim schedule can drive them. */
class LrGroups implements SchedulableOptimizer {
  readonly defaults = {};
  readonly paramGroups: { lr: number }[];
  constructor(lrs: number[]) {
    this.paramGroups = lrs.map((lr) => ({ lr }));
  }
}

/**
 * Lowers the optimizer's learning rates when `monitor` stops improving. The decisions are made
 * by optim.lrScheduler.ReduceLROnPlateau (one implementation of the algorithm); this callback
 * feeds it the monitored log value at each epoch end, applies its learning rates through the
 * trainer and records an lrChange event.
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  private readonly options: ReduceLROnPlateauOptions & { mode: 'min' | 'max' };
  private schedule: PlateauSchedule | null = null;
  private groups: LrGroups | null = null;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    const { monitor = 'valLoss', ...rest } = readOptions<ReduceLROnPlateauOptions>('ReduceLROnPlateau', options, KEYS);
    this.monitor = monitor;
    this.mode = resolveMode('ReduceLROnPlateau', this.monitor, rest.mode ?? 'auto');
    this.options = { ...rest, mode: this.mode };
    // Validate now rather than at the first epoch end: a schedule over one placeholder group.
    const { minLr, ...others } = this.options;
    new PlateauSchedule(new LrGroups([1]), { ...others, minLr: Array.isArray(minLr) ? minLr[0] ?? 0 : minLr });
  }

  /** Best monitored value so far (PyTorch's `best`). */
  get best(): number {
    return this.schedule?.best ?? (this.mode === 'min' ? Infinity : -Infinity);
  }

  /** Forgets the schedule of a previous run (it is made again from the optimizer). */
  override onTrainBegin(): void {
    this.schedule = null;
  }

  /** Steps the plateau schedule with the monitored value (skipped, with a log line, when the logs lack it). */
  override onEpochEnd(epoch: number, logs: Logs): void {
    checkHook('ReduceLROnPlateau.onEpochEnd', epoch, logs);
    const current = logs[this.monitor];
    if (current === undefined) {
      this.trainer.log(`ReduceLROnPlateau: '${this.monitor}' is not in the logs (have: ${Object.keys(logs).join(', ')}); skipping`);
      return;
    }
    this.step(current, epoch);
    const lrs = this.optimizer().getLr();
    if (lrs.length > 0) logs.lr = lrs[0];
  }

  /** One scheduler step with the monitored value; exposed for use outside a fit loop. */
  step(current: number, epoch = this.trainer?.epoch ?? 0): void {
    checkNumber('ReduceLROnPlateau.step', 'current', current);
    checkInteger('ReduceLROnPlateau.step', 'epoch', epoch, { min: 0 });
    const optimizer = this.optimizer();
    const old = optimizer.getLr();
    if (!this.schedule || !this.groups || this.groups.paramGroups.length !== old.length) {
      this.groups = new LrGroups(old);
      this.schedule = new PlateauSchedule(this.groups, this.options);
    }
    this.groups.paramGroups.forEach((g, i) => (g.lr = old[i])); // other callbacks may have moved them
    this.schedule.step(current);
    const next = this.groups.paramGroups.map((g) => g.lr);
    if (next.every((lr, i) => lr === old[i])) return;
    optimizer.setLr(next);
    const message = `Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next.map(formatLogValue).join(', ')}`;
    this.trainer?.history.addEvent({ kind: 'lrChange', epoch, message, detail: { from: old, to: next, monitor: this.monitor, best: this.best } });
    this.trainer?.log(message);
  }

  /** The plateau schedule's counters (best, bad epochs, cooldown), null before its first step. */
  stateDict(): Record<string, unknown> {
    return { schedule: this.schedule ? this.schedule.stateDict() : null };
  }

  /** Restores `stateDict()` output; the groups' lrs are read from the optimizer at the next step. */
  loadStateDict(state: Record<string, unknown>): void {
    const op = 'ReduceLROnPlateau.loadStateDict';
    const saved = readState(op, state, ['schedule']).schedule;
    if (saved === null || saved === undefined) {
      this.schedule = null;
      return;
    }
    if (!isPlainObject(saved)) throw new TypeError(`ReduceLROnPlateau: saved schedule must be an object or null, got ${describeValue(saved)}`);
    const s = readState(op, saved, ['best', 'numBadEpochs', 'cooldownCounter', 'lastEpoch', 'lastLr'], 'saved schedule');
    for (const key of ['best', 'numBadEpochs', 'cooldownCounter', 'lastEpoch']) {
      if (typeof s[key] !== 'number' || Number.isNaN(s[key])) throw new TypeError(`ReduceLROnPlateau: saved ${key} must be a number, got ${describeValue(s[key])}`);
    }
    const lastLr = readList(op, 'saved lastLr', s.lastLr);
    if (lastLr.length === 0 || !lastLr.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new TypeError(`ReduceLROnPlateau: saved lastLr must be a non-empty list of learning rates, got ${describeValue(lastLr)}`);
    }
    s.lastLr = lastLr;
    const groups = new LrGroups(lastLr as number[]);
    const schedule = prefixed(op, () => {
      const sch = new PlateauSchedule(groups, this.options);
      sch.loadStateDict(s);
      return sch;
    });
    this.groups = groups;
    this.schedule = schedule;
  }

  private optimizer(): LrControl {
    const optimizer = this.trainer?.optimizer;
    if (!optimizer) throw new Error('ReduceLROnPlateau: the trainer provides no optimizer (getLr/setLr)');
    return optimizer;
  }
}
