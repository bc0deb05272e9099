/**
 * Optimizer: the base of every fused optimizer. It owns
 * - the parameter groups (per-group hyperparameters, PyTorch's `param_groups`, which schedules
 *   edit between steps),
 * - a ParameterArena (all parameters in one storage, all gradients in another),
 * - up to three state arenas (momentum, moment estimates...), allocated when first needed,
 * and makes ONE backend call per step for all groups (native/cpu/optim.cc on the CPU), on the
 * device of its parameters, with clipping by
 * value and by global norm, L1 (subgradient or proximal), coupled and decoupled weight decay
 * and the non-finite check folded in. Subclasses only validate and translate their
 * hyperparameters into a step-table row.
 *
 * Gradient preprocessing order: clip by value, clip by global norm (norm of the value-clipped
 * gradients over every group, as torch.nn.utils.clip_grad_norm_ over all parameters), maximize
 * (negate), + l1 * sign(w), + weightDecay * w. Then the update rule, then proximal L1.
 *
 * Differences from PyTorch, on purpose: a parameter whose `.grad` was cleared is stepped with
 * a zero gradient (PyTorch skips it); state exists for every parameter from the first step.
 */
import type { DeviceBuffer } from '../backend/backend.js';
import type { Storage } from '../storage.js';
import { Tensor } from '../tensor.js';
import { ParameterArena } from './arena.js';
import { neutralRow, StepTable, type OptimKind, type StepRow } from './step_table.js';
import { optimRule, slotUsed, type OptimSlot } from '../backend/optim_rules.js';
import {
  checkBoolean, checkChoice, checkNumber, checkTensor, errorText, isInstance, isPlainObject, option, optionKeys, readOptions,
  typeError,
} from '../validate/index.js';

/** Hyperparameters every optimizer has, per group. */
export interface BaseHyper {
  /** Learning rate. */
  lr: number;
  /** Coupled L2 weight decay: adds weightDecay * w to the gradient (the gradient of (weightDecay/2) * sum w^2). */
  weightDecay: number;
  /** L1 coefficient lambda of lambda * sum |w|. */
  l1: number;
  /**
   * false: L1 as a subgradient (adds l1 * sign(w) to the gradient, like a penalty in the loss).
   * true: proximal soft-thresholding after the update, w = sign(w) * max(|w| - lr * l1, 0),
   * which gives exact zeros.
   */
  l1Proximal: boolean;
  /** Maximize the objective instead of minimizing it (PyTorch's `maximize`). */
  maximize: boolean;
  /**
   * Decoupled weight decay (Loshchilov & Hutter, AdamW): w *= 1 - lr * weightDecay before the
   * update instead of adding weightDecay * w to the gradient.
   */
  decoupledWeightDecay: boolean;
}

/** Fields schedules add to a group (PyTorch's initial_lr, max_lr, ...). */
export interface ScheduleFields {
  initialLr?: number;
  maxLr?: number;
  minLr?: number;
  maxMomentum?: number;
  baseMomentum?: number;
}

/** One parameter group: its tensors, their names, and its hyperparameters. */
export type ParamGroup<H> = H & ScheduleFields & { params: Tensor[]; names: string[] };

/** A group as the user gives it: tensors (or name -> tensor) and any hyperparameter overrides. */
export type GroupSpec<H> = Partial<H> & ScheduleFields & {
  params: Iterable<Tensor | readonly [string, Tensor]> | Record<string, Tensor>;
};

/**
 * Parameters as the user gives them: tensors, [name, tensor] pairs, a name -> tensor record,
 * or an array of groups.
 */
export type ParamsInput<H> = Iterable<Tensor | readonly [string, Tensor]> | Record<string, Tensor> | GroupSpec<H>[];

/** What to do when a gradient is NaN or infinite. */
export type NonFinitePolicy = 'ignore' | 'skip' | 'throw';

/** Options of the whole optimizer (not per group). */
export interface GlobalOptions {
  /** Clip the L2 norm of all gradients together to this (clip_grad_norm_); 0 or undefined: off. */
  clipGradNorm?: number;
  /** Clip every gradient element to [-v, v] (clip_grad_value_); undefined: off. */
  clipGradValue?: number;
  /**
   * 'ignore' (default, as PyTorch): no check. 'skip': a step with a NaN/infinite gradient
   * changes nothing and is recorded in `lastNonFinite`. 'throw': the same, then throws an
   * Error naming the parameter.
   */
  nonFinite?: NonFinitePolicy;
}

/** Where a non-finite gradient was found. */
export interface NonFiniteReport {
  /** Index of the parameter over all groups, in order. */
  param: number;
  group: number;
  name: string;
  /** Element within that parameter. */
  element: number;
}

/**
 * Per-parameter state in a state dict: the step count and each state buffer under PyTorch's
 * name (exp_avg, exp_avg_sq, max_exp_avg_sq, momentum_buffer, square_avg, grad_avg, sum), one
 * number per element of the parameter, row-major. `stateDict()` gives plain number arrays (JSON
 * round-trips them exactly: every float32 is a double); `loadStateDict` takes those or
 * Float32Arrays.
 */
export interface ParamState {
  step: number;
  [buffer: string]: number | ArrayLike<number>;
}

/**
 * A snapshot of an optimizer in PyTorch's state_dict layout ({ state, paramGroups }, group
 * hyperparameters camelCase), plain JSON: `JSON.parse(JSON.stringify(dict))` loads back.
 */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: Record<string, unknown>[];
}

const BASE_DEFAULTS: BaseHyper = {
  lr: 1e-3, weightDecay: 0, l1: 0, l1Proximal: false, maximize: false, decoupledWeightDecay: false,
};

const GLOBAL_KEYS = optionKeys<GlobalOptions>({ clipGradNorm: true, clipGradValue: true, nonFinite: true });
const SCHEDULE_KEYS = optionKeys<ScheduleFields>({ initialLr: true, maxLr: true, minLr: true, maxMomentum: true, baseMomentum: true });

/** The option keys of an optimizer with rule-specific `defaults`: the base and rule hyperparameters and the global options. */
export function optimizerKeys(defaults: object): readonly string[] {
  return [...new Set([...Object.keys(BASE_DEFAULTS), ...Object.keys(defaults), ...GLOBAL_KEYS])];
}

/** The label of hyperparameter `key` in messages: an option, or a group's field. */
export const hyperLabel = (where: string, key: string): string => (where === 'defaults' ? option(key) : `option '${key}' of ${where}`);

function isGroupList<H>(input: ParamsInput<H>): input is GroupSpec<H>[] {
  return Array.isArray(input) && input.length > 0 && isPlainObject(input[0]);
}

/** The [names, tensors] of one group's `params`, each checked to be a live tensor. */
function namedTensors(op: string, params: unknown, prefix: string, where: string): [string[], Tensor[]] {
  const names: string[] = [];
  const tensors: Tensor[] = [];
  const what = 'tensors, [name, tensor] pairs or a record of tensors by name';
  if (typeof params !== 'object' || params === null || isInstance(params, Tensor)) typeError(op, where, what, params);
  try {
    const entries: Iterable<unknown> = Symbol.iterator in params ? (params as Iterable<unknown>) : Object.entries(params);
    for (const e of entries) {
      const i = tensors.length;
      if (Array.isArray(e)) {
        if (e.length !== 2 || typeof e[0] !== 'string') typeError(op, `${where}[${i}]`, 'a [name, tensor] pair', e);
        names.push(e[0]);
        tensors.push(checkTensor(op, `${where}[${i}]`, e[1], 'float32'));
      } else {
        names.push(`${prefix}${i}`);
        tensors.push(checkTensor(op, `${where}[${i}]`, e, 'float32'));
      }
    }
  } catch (e) {
    if (e instanceof Error && e.message.startsWith(`${op}:`)) throw e;
    throw new TypeError(`${op}: reading ${where} threw: ${errorText(e)}`, { cause: e });
  }
  return [names, tensors];
}

/** A group spec's overrides, checked for unknown keys (a group may also carry schedule fields). */
function groupOverrides(op: string, spec: unknown, keys: readonly string[], g: number): { params: unknown; overrides: Record<string, unknown> } {
  const where = `group ${g}`;
  if (!isPlainObject(spec)) typeError(op, where, 'a parameter group { params, ...options }', spec);
  const all = ['params', ...keys.filter((k) => !(GLOBAL_KEYS as readonly string[]).includes(k)), ...SCHEDULE_KEYS];
  const read = readOptions<Record<string, unknown>>(op, spec, all, where);
  const { params, ...overrides } = read;
  if (params === undefined) throw new TypeError(`${op}: ${where} has no 'params'`);
  for (const k of SCHEDULE_KEYS) if (overrides[k] !== undefined) checkNumber(op, hyperLabel(where, k), overrides[k], { min: 0 });
  return { params, overrides };
}

/** The base of every fused optimizer: parameter groups (PyTorch's param_groups), one arena for all parameters and one for all gradients, and one native call per step with clipping, L1, weight decay and the non-finite check folded in. */
export abstract class Optimizer<H extends BaseHyper> {
  /** The groups, in order; schedules and users may edit their hyperparameters between steps. */
  readonly paramGroups: ParamGroup<H>[];
  /** Hyperparameters a group gets when it does not set them. */
  readonly defaults: H;
  /** Global gradient norm of the last step (when clipGradNorm is set), else -1. */
  lastGradNorm = -1;
  /** The last non-finite gradient found (nonFinite 'skip' or 'throw'), or null. */
  lastNonFinite: NonFiniteReport | null = null;
  /** Steps skipped because of a non-finite gradient. */
  skippedSteps = 0;
  clipGradNorm: number;
  clipGradValue: number;
  nonFinite: NonFinitePolicy;

  /** @internal */ readonly arena: ParameterArena;
  /** @internal Steps taken by each group. */ protected steps: number[];
  private readonly states: (Storage | null)[];
  private readonly table: StepTable;
  private readonly rows: StepRow[];
  /** The rule's state slots, as its native header declares them (src/backend/optim_rules.ts). */
  private readonly slots: readonly OptimSlot[];
  /** Their state-dict names: PyTorch's own (exp_avg...), so a converted PyTorch state loads as is. */
  private readonly slotNames: readonly string[];

  /**
   * @param op name for messages ('adam')
   * @param kind the native update rule (native/common/optim/<kind>.h), which also declares its
   *   state slots
   */
  protected constructor(
    readonly op: string,
    private readonly kind: OptimKind,
    params: ParamsInput<H>,
    defaults: Omit<H, keyof BaseHyper> & Partial<BaseHyper>,
    options: Partial<H> & GlobalOptions,
  ) {
    this.slots = optimRule(kind).slots;
    this.slotNames = this.slots.map((s) => s.name);
    this.states = this.slots.map(() => null);
    const merged = { ...BASE_DEFAULTS, ...defaults } as H;
    const keys = optimizerKeys(defaults);
    const given = readOptions<Record<string, unknown>>(op, options, keys);
    for (const key of Object.keys(merged)) {
      if (given[key] !== undefined) (merged as Record<string, unknown>)[key] = given[key];
    }
    this.defaults = merged;
    this.validate(merged, 'defaults');
    this.clipGradNorm = checkNumber(op, option('clipGradNorm'), given.clipGradNorm ?? 0, { min: 0 });
    this.clipGradValue = given.clipGradValue === undefined ? Infinity
      : checkNumber(op, option('clipGradValue'), given.clipGradValue, { minOpen: 0, infinite: true });
    this.nonFinite = checkChoice(op, option('nonFinite'), given.nonFinite ?? 'ignore', ['ignore', 'skip', 'throw'] as const);

    const grouped = isGroupList(params);
    const specs = grouped ? (params as unknown[]).map((spec, g) => groupOverrides(op, spec, keys, g)) : [{ params, overrides: {} }];
    this.paramGroups = specs.map(({ params: list, overrides }, g) => {
      const [names, tensors] = namedTensors(op, list, specs.length > 1 ? `${g}.` : '', grouped ? `params of group ${g}` : 'params');
      const group = { ...merged, ...overrides, params: tensors, names } as ParamGroup<H>;
      this.validate(group, `group ${g}`);
      return group;
    });
    if (this.paramGroups.every((g) => g.params.length === 0)) throw new Error(`${op}: got an empty parameter list`);
    this.arena = new ParameterArena(this.paramGroups.map((g) => g.params), op);
    this.steps = this.paramGroups.map(() => 0);
    this.table = new StepTable(this.paramGroups.length);
    this.rows = this.paramGroups.map(() => neutralRow());
  }

  /** Throws a clear error for an invalid hyperparameter of `group`. */
  protected validate(group: H, where: string): void {
    const at = (key: string) => hyperLabel(where, key);
    checkNumber(this.op, at('lr'), group.lr, { min: 0 });
    checkNumber(this.op, at('weightDecay'), group.weightDecay, { min: 0 });
    checkNumber(this.op, at('l1'), group.l1, { min: 0 });
    checkBoolean(this.op, at('l1Proximal'), group.l1Proximal);
    checkBoolean(this.op, at('maximize'), group.maximize);
    checkBoolean(this.op, at('decoupledWeightDecay'), group.decoupledWeightDecay);
  }

  /** Fills the rule-specific fields of `row` for group `g` about to take step `t` (1-based). */
  protected abstract fillRow(row: StepRow, group: ParamGroup<H>, g: number, t: number): void;

  /**
   * Whether slot `k` of group `g` holds state worth saving (default: allocated, stepped, and
   * used by the group's options at its last step).
   */
  protected slotHasState(k: number, g: number): boolean {
    return this.states[k] !== null && this.steps[g] > 0 && slotUsed(this.slots[k], this.fillGroupRow(g, neutralRow()));
  }

  /** `row` filled for group `g`'s next step from its current options (the shared fields, then the rule's). */
  private fillGroupRow(g: number, row: StepRow): StepRow {
    const group = this.paramGroups[g];
    const slice = this.arena.slices[g];
    row.offset = slice.offset;
    row.count = slice.count;
    row.lr = group.lr;
    row.weightDecay = group.decoupledWeightDecay ? 0 : group.weightDecay;
    row.decayFactor = group.decoupledWeightDecay ? 1 - group.lr * group.weightDecay : 1;
    row.l1 = group.l1Proximal ? 0 : group.l1;
    row.l1Shrink = group.l1Proximal ? group.lr * group.l1 : 0;
    row.proximal = group.l1Proximal && group.l1 > 0;
    row.maximize = group.maximize;
    this.fillRow(row, group, g, this.steps[g] + 1);
    return row;
  }

  /** Called after a successful step of group `g`. */
  protected afterStep(g: number): void {
    void g;
  }

  /** Called by loadStateDict with whether slot `k` of group `g` was present. */
  protected restoredSlot(k: number, g: number, present: boolean): void {
    void k;
    void g;
    void present;
  }

  /** @internal The state storage of slot `k`, allocated (zeroed) on first use. */
  protected stateStorage(k: number): Storage {
    let s = this.states[k];
    if (!s) this.states[k] = s = this.arena.allocateState();
    return s;
  }

  /** Sets every gradient to zero: one native fill over the gradient arena. */
  zeroGrad(): void {
    this.arena.zeroGrad();
  }

  /**
   * Applies one update to every parameter, in one native call. Returns false when the step
   * was skipped because a gradient was NaN or infinite (nonFinite 'skip'); throws for 'throw'.
   */
  step(): boolean {
    // Groups may have been edited since the last step: check them all before anything moves.
    this.paramGroups.forEach((group, g) => this.validate(group, `group ${g}`));
    this.arena.sync();
    const buffers: (DeviceBuffer | null)[] = [null, null, null];
    this.paramGroups.forEach((_, g) => {
      const row = this.fillGroupRow(g, this.rows[g]);
      this.table.writeRow(g, row);
      this.slots.forEach((slot, k) => {
        if (slotUsed(slot, row)) buffers[k] = this.stateStorage(k).buffer;
      });
    });
    this.states.forEach((s, k) => {
      if (!buffers[k] && s) buffers[k] = s.buffer;
    });
    this.table.writeGlobal({
      clipValue: this.clipGradValue,
      clipNorm: this.clipGradNorm,
      checkFinite: this.nonFinite !== 'ignore',
    });
    const outcome = this.table.run(this.arena.backend, this.kind, this.arena.paramStorage.buffer, this.arena.gradStorage.buffer, buffers,
      this.arena.length);
    this.lastGradNorm = outcome.gradNorm;
    if (!outcome.applied) {
      this.skippedSteps++;
      const report = this.locate(outcome.nonFiniteIndex);
      this.lastNonFinite = report;
      if (this.nonFinite === 'throw') {
        throw new Error(`${this.op}: gradient of parameter ${report.param} ('${report.name}', group ${report.group}) ` +
          `is NaN or infinite at element ${report.element}; the step was skipped`);
      }
      return false;
    }
    this.paramGroups.forEach((_, g) => {
      this.steps[g]++;
      this.afterStep(g);
    });
    return true;
  }

  private locate(element: number): NonFiniteReport {
    const param = this.arena.paramAt(element);
    let base = 0;
    for (let g = 0; g < this.paramGroups.length; g++) {
      const n = this.paramGroups[g].params.length;
      if (param < base + n) {
        return { param, group: g, name: this.paramGroups[g].names[param - base], element: element - this.arena.offsets[param] };
      }
      base += n;
    }
    throw new Error(`${this.op}: non-finite element ${element} lies outside every parameter`);
  }

  /**
   * A snapshot of the optimizer: per-parameter state (step count and state buffers, copied) and
   * the groups' hyperparameters with parameter indices. Loading it into a fresh optimizer over
   * parameters with the same values continues bit-identically.
   */
  stateDict(): OptimizerStateDict {
    const state: Record<number, ParamState> = {};
    const paramGroups: Record<string, unknown>[] = [];
    let index = 0;
    this.paramGroups.forEach((group, g) => {
      const { params, names, ...hyper } = group;
      const indices: number[] = [];
      params.forEach((p) => {
        const offset = this.arena.offsets[index];
        const entry: ParamState = { step: this.steps[g] };
        this.slotNames.forEach((name, k) => {
          if (this.slotHasState(k, g)) entry[name] = Array.from(this.states[k]!.buffer.read(offset, p.size) as Float32Array);
        });
        state[index] = entry;
        indices.push(index++);
      });
      paramGroups.push({ ...structuredClone(hyper), names: [...names], params: indices });
    });
    return { state, paramGroups };
  }

  /** Restores a snapshot from `stateDict()`; the groups must have the same parameter sizes. */
  loadStateDict(dict: OptimizerStateDict): void {
    const op = this.op;
    checkStateDict(`${op}.loadStateDict`, dict);
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${op}: loadStateDict: state has ${dict.paramGroups.length} groups, optimizer has ${this.paramGroups.length}`);
    }
    let index = 0;
    const plans: (() => void)[] = [];
    this.paramGroups.forEach((group, g) => {
      const saved = dict.paramGroups[g];
      const savedParams = saved.params as number[];
      if (!Array.isArray(savedParams) || savedParams.length !== group.params.length) {
        throw new Error(`${op}: loadStateDict: group ${g} has ${group.params.length} parameters, state has ${savedParams?.length}`);
      }
      const { params: _p, names: _n, ...hyper } = saved;
      const candidate = { ...group, ...structuredClone(hyper) } as ParamGroup<H>;
      this.validate(candidate, `group ${g}`);
      const steps = new Set<number>();
      const present = this.slotNames.map(() => false);
      group.params.forEach((p, i) => {
        const entry = dict.state[savedParams[i]];
        const offset = this.arena.offsets[index++];
        // PyTorch's SGD keeps no step: its buffers alone mean the parameter has stepped.
        const hasBuffers = !!entry && this.slotNames.some((name) => entry[name] !== undefined);
        steps.add(!entry ? 0 : entry.step === undefined ? (hasBuffers ? 1 : 0) : Number(entry.step));
        this.slotNames.forEach((name, k) => {
          const data = entry?.[name];
          if (data === undefined) return;
          if (typeof data === 'number' || typeof data !== 'object' || data === null || data.length !== p.size) {
            throw new Error(`${op}: loadStateDict: ${name} of parameter ${savedParams[i]} has ${typeof data === 'number' ? 1 : data.length} values, parameter has ${p.size}`);
          }
          const values = Float32Array.from(data);
          const bad = values.findIndex((v, e) => Number.isNaN(v) && !Number.isNaN(Number(data[e])));
          if (bad >= 0) throw new TypeError(`${op}: loadStateDict: ${name} of parameter ${savedParams[i]} holds ${JSON.stringify(data[bad])} at element ${bad}, not a number`);
          present[k] = true;
          plans.push(() => this.stateStorage(k).buffer.write(values, offset));
        });
      });
      if (steps.size > 1) throw new Error(`${op}: loadStateDict: parameters of group ${g} have different step counts`);
      const step = [...steps][0] ?? 0;
      checkNumber(op, 'step', step, { min: 0, integer: true });
      plans.push(() => {
        Object.assign(group, candidate, { params: group.params, names: group.names });
        this.steps[g] = step;
        present.forEach((p, k) => this.restoredSlot(k, g, p));
      });
    });
    // Zero the state of slots the snapshot lacks, then write what it has.
    for (const s of this.states) if (s) s.buffer.write(new Float32Array(s.length), 0);
    for (const apply of plans) apply();
  }

  /** Releases the arenas' ownership of the parameters (they keep their values) and the state. */
  dispose(): void {
    this.arena.dispose();
    this.states.forEach((s, k) => {
      s?.release();
      this.states[k] = null;
    });
  }
}

/**
 * The shape of an optimizer state dict, checked before loadStateDict reads it: { state:
 * { [index]: { step, ...buffers } }, paramGroups: [{ params: number[], ... }] }.
 */
function checkStateDict(op: string, dict: unknown): void {
  const d = readOptions<OptimizerStateDict>(op, dict, STATE_DICT_KEYS, 'state dict');
  if (!isPlainObject(d.state)) typeError(op, "the state dict's 'state'", 'an object of per-parameter states', d.state);
  if (!Array.isArray(d.paramGroups) || !d.paramGroups.every(isPlainObject)) {
    typeError(op, "the state dict's 'paramGroups'", 'an array of group objects', d.paramGroups);
  }
  let states: [string, unknown][];
  try {
    // Read every field once here, so a getter that throws fails before anything is loaded.
    states = Object.entries(d.state);
    for (const g of d.paramGroups) Object.entries(g);
  } catch (e) {
    throw new TypeError(`${op}: reading the state dict threw: ${errorText(e)}`, { cause: e });
  }
  for (const [i, entry] of states) {
    if (!isPlainObject(entry)) typeError(op, `state[${i}]`, 'an object { step, ...buffers }', entry);
    // PyTorch's SGD keeps no step in its state (momentum_buffer only): an absent step is allowed.
    if (entry.step !== undefined) checkNumber(op, `state[${i}].step`, entry.step, { min: 0, integer: true });
  }
}

const STATE_DICT_KEYS = optionKeys<OptimizerStateDict>({ state: true, paramGroups: true });
