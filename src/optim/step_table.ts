/**
 * StepTable: the reusable Float64Array an optimizer's fused step reads its hyperparameters
 * from (a header of global options, then one row per parameter group, laid out as
 * src/backend/step_layout.ts declares), and the one backend call that runs the step. Nothing
 * is allocated per step.
 */
import type { Backend, DeviceBuffer, OptimKind } from '../backend/backend.js';
import { ROW_FIELDS, stepLayout as layout, type StepRow } from '../backend/step_layout.js';

export type { OptimKind, StepRow };

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

const rowKeys = Object.keys(layout.row) as (keyof StepRow)[];

/** A neutral row: every option off. */
export function neutralRow(): StepRow {
  return { ...ROW_FIELDS };
}

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

  /** One fused step on `backend`, the device of the arenas. */
  run(backend: Backend, kind: OptimKind, param: DeviceBuffer, grad: DeviceBuffer,
    states: readonly (DeviceBuffer | null)[], length: number): StepOutcome {
    const applied = backend.optimStep(kind, param, grad, states[0] ?? null, states[1] ?? null, states[2] ?? null,
      length, this.data);
    return {
      applied,
      gradNorm: this.data[layout.header.gradNorm],
      nonFiniteIndex: this.data[layout.header.nonFiniteIndex],
    };
  }
}
