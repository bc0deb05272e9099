/**
 * The typed face of the fused optimizer step (native/napi/optim_napi.cc): one call updates
 * every parameter group of an optimizer over its arenas. Hyperparameters travel in one
 * reusable Float64Array (a header of global options, then one row per group) whose field
 * positions the addon exports by name, so no per-step allocation and no positional drift.
 */
import { native, type NativeAddon, type NativeBuffer } from '../backend/native.js';

/** Update rules the native driver knows (native/common/optim_rules.h). */
export type OptimKind = 'sgd' | 'rmsprop' | 'adam' | 'adagrad';

/** Per-group fields of a step table row; unused ones stay at their neutral values. */
export interface StepRow {
  offset: number;
  count: number;
  lr: number;
  weightDecay: number;
  decayFactor: number;
  l1: number;
  l1Shrink: number;
  proximal: boolean;
  maximize: boolean;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  firstStep: boolean;
  alpha: number;
  epsIn: number;
  centered: boolean;
  eps: number;
  beta1: number;
  beta2: number;
  stepSize: number;
  bc2Sqrt: number;
  amsgrad: boolean;
  clr: number;
}

/** Options applied over the whole arena, before any group is updated. */
export interface StepGlobal {
  /** Clip each gradient element to [-clipValue, clipValue]; Infinity is off. */
  clipValue: number;
  /** Clip the global L2 norm of all gradients to this; 0 is off. */
  clipNorm: number;
  /** Skip the whole step when any gradient is NaN or infinite. */
  checkFinite: boolean;
}

/** What a step reports back. */
export interface StepOutcome {
  applied: boolean;
  /** Global gradient norm (after value clipping), or -1 when not computed. */
  gradNorm: number;
  /** First arena element with a non-finite gradient, or -1. */
  nonFiniteIndex: number;
}

interface OptimAddon {
  optimStep(kind: number, param: NativeBuffer, pOff: number, grad: NativeBuffer, gOff: number,
    s0: NativeBuffer | null, s0Off: number, s1: NativeBuffer | null, s1Off: number,
    s2: NativeBuffer | null, s2Off: number, length: number, table: Float64Array): boolean;
  copyFloats(dst: NativeBuffer, dstOff: number, src: NativeBuffer, srcOff: number, n: number): void;
  optimKinds: Record<OptimKind, number>;
  optimLayout: {
    header: Record<keyof StepGlobal | keyof StepOutcome, number>;
    row: Record<keyof StepRow, number>;
    headerSize: number;
    rowSize: number;
  };
}

/** @internal The addon with the optim functions typed. */
export const optimAddon = native as NativeAddon & OptimAddon;

const layout = optimAddon.optimLayout;
const rowKeys = Object.keys(layout.row) as (keyof StepRow)[];

/** A neutral row: every option off. */
export function neutralRow(): StepRow {
  return {
    offset: 0, count: 0, lr: 0, weightDecay: 0, decayFactor: 1, l1: 0, l1Shrink: 0, proximal: false,
    maximize: false, momentum: 0, dampening: 0, nesterov: false, firstStep: false, alpha: 0, epsIn: 0,
    centered: false, eps: 0, beta1: 0, beta2: 0, stepSize: 0, bc2Sqrt: 1, amsgrad: false, clr: 0,
  };
}

/**
 * A reusable step table for `groups` groups. `write` fills it, `run` makes the one native
 * call; nothing is allocated per step.
 */
export class StepTable {
  readonly data: Float64Array;

  constructor(readonly groups: number) {
    this.data = new Float64Array(layout.headerSize + groups * layout.rowSize);
  }

  writeGlobal(g: StepGlobal): void {
    this.data[layout.header.clipValue] = g.clipValue;
    this.data[layout.header.clipNorm] = g.clipNorm;
    this.data[layout.header.checkFinite] = g.checkFinite ? 1 : 0;
  }

  writeRow(index: number, row: StepRow): void {
    const base = layout.headerSize + index * layout.rowSize;
    for (const key of rowKeys) {
      const v = row[key];
      this.data[base + layout.row[key]] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    }
  }

  run(kind: OptimKind, param: NativeBuffer, grad: NativeBuffer, states: readonly (NativeBuffer | null)[], length: number): StepOutcome {
    const s = (k: number) => states[k] ?? null;
    const applied = optimAddon.optimStep(optimAddon.optimKinds[kind], param, 0, grad, 0, s(0), 0, s(1), 0, s(2), 0,
      length, this.data);
    return {
      applied,
      gradNorm: this.data[layout.header.gradNorm],
      nonFiniteIndex: this.data[layout.header.nonFiniteIndex],
    };
  }
}
