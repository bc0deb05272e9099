/**
 * Optimizer: the base of every fused optimizer. It owns
 * - the parameter groups (per-group hyperparameters, PyTorch's `param_groups`, which schedules
 *   edit between steps),
 * - a ParameterArena (all parameters in one storage, all gradients in another),
 * - up to three state arenas (momentum, moment estimates...), allocated when first needed,
 * and makes ONE native call per step for all groups (native/cpu/optim.cc), with clipping by
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
import type { NativeBuffer } from '../backend/native.js';
import type { Storage } from '../storage.js';
import { Tensor } from '../tensor.js';
import { ParameterArena } from './arena.js';
import { neutralRow, StepTable, type OptimKind, type StepRow } from './kernel.js';
import { checkBoolean, checkChoice, checkNumber } from './validate.js';

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

function isGroupList<H>(input: ParamsInput<H>): input is GroupSpec<H>[] {
  return Array.isArray(input) && input.length > 0 && !(input[0] instanceof Tensor) && !Array.isArray(input[0]);
}

function namedTensors(params: GroupSpec<unknown>['params'], prefix: string): [string[], Tensor[]] {
  const names: string[] = [];
  const tensors: Tensor[] = [];
  const entries: Iterable<Tensor | readonly [string, Tensor]> =
    Symbol.iterator in Object(params) ? (params as Iterable<Tensor>) : Object.entries(params as Record<string, Tensor>);
  for (const e of entries) {
    if (Array.isArray(e)) {
      names.push(String(e[0]));
      tensors.push(e[1] as Tensor);
    } else {
      names.push(`${prefix}${tensors.length}`);
      tensors.push(e as Tensor);
    }
  }
  return [names, tensors];
}

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
  private readonly states: (Storage | null)[] = [null, null, null];
  private readonly table: StepTable;
  private readonly rows: StepRow[];

  /**
   * @param op name for messages ('adam')
   * @param kind the native update rule
   * @param slotNames names of the state buffers in state dicts: PyTorch's own (exp_avg...), since
   *   they are data keys, not identifiers, and a converted PyTorch state then loads as is
   */
  protected constructor(
    readonly op: string,
    private readonly kind: OptimKind,
    private readonly slotNames: readonly string[],
    params: ParamsInput<H>,
    defaults: Omit<H, keyof BaseHyper> & Partial<BaseHyper>,
    options: Partial<H> & GlobalOptions,
  ) {
    const merged = { ...BASE_DEFAULTS, ...defaults } as H;
    for (const key of Object.keys(merged) as (keyof H)[]) {
      if (options[key] !== undefined) merged[key] = options[key] as H[keyof H];
    }
    this.defaults = merged;
    this.validate(merged, 'defaults');
    this.clipGradNorm = checkNumber(op, 'clipGradNorm', options.clipGradNorm ?? 0, { min: 0 });
    this.clipGradValue = options.clipGradValue === undefined ? Infinity
      : checkNumber(op, 'clipGradValue', options.clipGradValue, { minOpen: 0 });
    this.nonFinite = checkChoice(op, 'nonFinite', options.nonFinite ?? 'ignore', ['ignore', 'skip', 'throw'] as const);

    const specs: GroupSpec<H>[] = isGroupList(params) ? params : [{ params } as GroupSpec<H>];
    if (specs.length === 0) throw new Error(`${op}: got no parameter groups`);
    this.paramGroups = specs.map((spec, g) => {
      const [names, tensors] = namedTensors(spec.params, specs.length > 1 ? `${g}.` : '');
      const { params: _ignored, ...overrides } = spec;
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
    void where;
    checkNumber(this.op, 'lr', group.lr, { min: 0 });
    checkNumber(this.op, 'weightDecay', group.weightDecay, { min: 0 });
    checkNumber(this.op, 'l1', group.l1, { min: 0 });
    checkBoolean(this.op, 'l1Proximal', group.l1Proximal);
    checkBoolean(this.op, 'maximize', group.maximize);
    checkBoolean(this.op, 'decoupledWeightDecay', group.decoupledWeightDecay);
  }

  /** Fills the rule-specific fields of `row` for group `g` about to take step `t` (1-based). */
  protected abstract fillRow(row: StepRow, group: ParamGroup<H>, g: number, t: number): void;

  /** State slots group `group` uses (mirrors optimNeedsState in native/cpu/optim.cc). */
  protected abstract slotsUsed(group: ParamGroup<H>): number[];

  /** Whether slot `k` of group `g` holds state worth saving (default: allocated and stepped). */
  protected slotHasState(k: number, g: number): boolean {
    return this.states[k] !== null && this.steps[g] > 0;
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
    this.arena.sync();
    const buffers: (NativeBuffer | null)[] = [null, null, null];
    this.paramGroups.forEach((group, g) => {
      this.validate(group, `group ${g}`);
      for (const k of this.slotsUsed(group)) buffers[k] = this.stateStorage(k).buffer;
      const row = this.rows[g];
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
      this.table.writeRow(g, row);
    });
    for (let k = 0; k < 3; k++) if (!buffers[k] && this.states[k]) buffers[k] = this.states[k]!.buffer;
    this.table.writeGlobal({
      clipValue: this.clipGradValue,
      clipNorm: this.clipGradNorm,
      checkFinite: this.nonFinite !== 'ignore',
    });
    const outcome = this.table.run(this.kind, this.arena.paramStorage.buffer, this.arena.gradStorage.buffer, buffers,
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
    if (!dict || !Array.isArray(dict.paramGroups) || typeof dict.state !== 'object') {
      throw new TypeError(`${op}: loadStateDict expects { state, paramGroups }`);
    }
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
