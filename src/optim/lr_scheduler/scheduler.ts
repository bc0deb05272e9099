/**
 * LRScheduler: the base of the epoch/iteration schedules, with PyTorch's semantics
 * (torch.optim.lr_scheduler._LRScheduler, 1.13): construction records each group's
 * `initialLr` and takes an initial step (lastEpoch -1 -> 0); `step()` advances lastEpoch and
 * sets each group's lr from `getLr()`, the chainable (recursive) form, so schedules compose
 * with each other and with outside edits of lr exactly as PyTorch's do; `step(epoch)` jumps to
 * an epoch with the closed form where one exists.
 *
 * Per epoch or per iteration: a schedule counts calls of step(), so call it once per epoch
 * and give periods in epochs, or once per batch and give them in iterations (OneCycleLR is
 * meant for the latter; CosineAnnealingWarmRestarts also takes fractional epochs).
 */
import { checkInteger, checkNumber, checkNumbers, errorText, isPlainObject, typeError } from '../../validate/index.js';

/** A parameter group as schedules see it. */
export interface SchedulableGroup {
  lr: number;
  initialLr?: number;
  maxLr?: number;
  minLr?: number;
  momentum?: number;
  betas?: [number, number];
  maxMomentum?: number;
  baseMomentum?: number;
}

/** What a schedule needs of an optimizer: its groups, and its defaults (for momentum cycling). */
export interface SchedulableOptimizer {
  paramGroups: SchedulableGroup[];
  defaults: object;
}

/** Names that are not state: the optimizer and nested schedulers are saved by their owners. */
const NOT_STATE = new Set(['optimizer', 'schedulers']);

/** The base of the epoch or iteration schedules, with PyTorch 1.13's semantics: construction takes an initial step, `step()` advances one epoch (or one batch, when stepped per batch) and sets each group's lr. */
export abstract class LRScheduler {
  /** Each group's initialLr at construction. */
  readonly baseLrs: number[];
  /** Index of the last epoch (or iteration) stepped; 0 after construction. */
  lastEpoch: number;
  /** @internal step() calls since the initial step (PyTorch's _step_count). */
  stepCount = 0;
  protected lastLr: number[] = [];

  /** @param name for messages; @param lastEpoch -1 for a fresh start, else resume (groups need initialLr) */
  protected constructor(readonly optimizer: SchedulableOptimizer, protected readonly name: string, lastEpoch = -1) {
    checkSchedulable(name, optimizer);
    checkInteger(name, "option 'lastEpoch'", lastEpoch, { min: -1 });
    optimizer.paramGroups.forEach((group, i) => {
      if (lastEpoch !== -1 && group.initialLr === undefined) {
        throw new Error(`${name}: initialLr is not set in paramGroups[${i}] when resuming (lastEpoch ${lastEpoch})`);
      }
    });
    // The groups get their initialLr in initialStep(), once the subclass has checked its options.
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr ?? g.lr);
    this.lastEpoch = lastEpoch;
  }

  /** The chainable lr of every group for the current lastEpoch. */
  protected abstract getLr(): number[];

  /** The closed-form lr for lastEpoch, used by step(epoch); defaults to getLr(). */
  protected closedFormLr(): number[] {
    return this.getLr();
  }

  /** Subclasses call this at the end of their constructor (PyTorch's _initial_step). */
  protected initialStep(): void {
    if (this.lastEpoch === -1) for (const group of this.optimizer.paramGroups) group.initialLr ??= group.lr;
    this.stepCount = 0;
    this.step();
  }

  /** Advances one epoch (or iteration), or jumps to `epoch` with the closed form. */
  step(epoch?: number): void {
    if (epoch !== undefined) checkNumber(this.name, 'epoch', epoch, { min: 0 });
    // A step that throws (OneCycleLR past its totalSteps) leaves the counters as they were.
    const saved = this.stateDict();
    try {
      this.advance(epoch);
    } catch (e) {
      Object.assign(this, saved);
      throw e;
    }
  }

  /** step()'s work, on a checked epoch. */
  protected advance(epoch?: number): void {
    this.stepCount++;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch++;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr();
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i];
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lr of every group after the last step. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The schedule's counters and settings (not the optimizer), as plain data. */
  stateDict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) {
      if (!NOT_STATE.has(k) && typeof v !== 'function') out[k] = structuredClone(v);
    }
    return out;
  }

  /** Restores `stateDict()` output. */
  loadStateDict(state: Record<string, unknown>): void {
    const checked = checkScheduleState(`${this.name}.loadStateDict`, state, this.stateDict());
    Object.assign(this, checked);
  }

  /** Current lr of every group. */
  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** The optimizer argument of a schedule: something with `paramGroups`, each with a numeric lr. */
export function checkSchedulable(op: string, optimizer: unknown): asserts optimizer is SchedulableOptimizer {
  let groups: unknown;
  try {
    groups = (optimizer as SchedulableOptimizer | null)?.paramGroups;
  } catch (e) {
    throw new TypeError(`${op}: reading the optimizer's paramGroups threw: ${errorText(e)}`, { cause: e });
  }
  if (typeof optimizer !== 'object' || optimizer === null || !Array.isArray(groups)) {
    typeError(op, 'optimizer', 'an optimizer (an object with paramGroups)', optimizer);
  }
  groups.forEach((g: unknown, i) => {
    if (typeof g !== 'object' || g === null) typeError(op, `optimizer.paramGroups[${i}]`, 'a parameter group', g);
    checkNumber(op, `optimizer.paramGroups[${i}].lr`, (g as SchedulableGroup).lr, { min: 0 });
  });
}

/**
 * A state dict for a schedule whose own stateDict() is `current`: the same keys, each value of
 * the same kind (number, array, boolean, object), copied. Throws before anything is assigned.
 */
export function checkScheduleState(op: string, state: unknown, current: Record<string, unknown>): Record<string, unknown> {
  if (!isPlainObject(state)) typeError(op, 'state', "a state dict from the schedule's stateDict()", state);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(state)) {
    if (!(key in current)) throw new RangeError(`${op}: unknown state key '${key}' (the schedule saves ${Object.keys(current).join(', ')})`);
    let value: unknown;
    try {
      value = state[key];
    } catch (e) {
      throw new TypeError(`${op}: reading state '${key}' threw: ${errorText(e)}`, { cause: e });
    }
    if (!['number', 'string', 'boolean', 'object'].includes(typeof value)) typeError(op, `state '${key}'`, 'plain data', value);
    const want = kindOf(current[key]);
    if (kindOf(value) !== want && current[key] !== null) typeError(op, `state '${key}'`, `a ${want}`, value);
    if (typeof value === 'number' && Number.isNaN(value) && !Number.isNaN(current[key])) typeError(op, `state '${key}'`, 'a number other than NaN', value);
    const numbers = Array.isArray(current[key]) && (current[key] as unknown[]).every((x) => typeof x === 'number');
    if (numbers) checkNumbers(op, `state '${key}'`, value, { infinite: true });
    try {
      out[key] = structuredClone(value);
    } catch (e) {
      throw new TypeError(`${op}: state '${key}' cannot be copied: ${errorText(e)}`, { cause: e });
    }
  }
  return out;
}

const kindOf = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
