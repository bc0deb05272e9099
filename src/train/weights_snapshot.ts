/**
 * A copy of a model's weights in buffers of its own, reused across captures so keeping the
 * best weights (EarlyStopping) allocates once, not every improving epoch.
 */
import { tensor } from '../ops/creation.js';
import { isPlainObject, readSafely, typeError } from '../validate/index.js';
import { checkTensorRecord } from './file_arguments.js';
import { copyKernel } from '../ops/kernels.js';
import { Tensor } from '../tensor.js';
import type { TrainableModel } from './contracts.js';

/** Captures and restores a model's state dict. */
export class WeightsSnapshot {
  private copies = new Map<string, Tensor>();

  /** Copies every tensor of `model.stateDict()` into this snapshot. */
  capture(model: TrainableModel): void {
    const state = checkTensorRecord('WeightsSnapshot.capture', 'model.stateDict()', stateOf('WeightsSnapshot.capture', model));
    const names = new Set(Object.keys(state));
    for (const [name, t] of this.copies) {
      if (!names.has(name)) {
        t.dispose();
        this.copies.delete(name);
      }
    }
    for (const [name, source] of Object.entries(state)) {
      let copy = this.copies.get(name);
      if (!copy || copy.size !== source.size || copy.dtype !== source.dtype) {
        copy?.dispose();
        copy = source.newEmpty(source.shape, source.dtype);
        this.copies.set(name, copy);
      }
      copyKernel(copy, source);
    }
  }

  get empty(): boolean {
    return this.copies.size === 0;
  }

  /** Loads the captured weights back into `model`. */
  restore(model: TrainableModel): void {
    checkTrainable('WeightsSnapshot.restore', model);
    model.loadStateDict(Object.fromEntries(this.copies));
  }

  /** The captured values by name, as plain arrays (for a checkpoint). */
  toArrays(): WeightArrays {
    return Object.fromEntries([...this.copies].map(([name, t]) => [name, { shape: [...t.shape], values: t.toArray() as Float32Array | Int32Array }]));
  }

  /** Replaces the captured values with `toArrays()` output (checked whole before anything changes). */
  fromArrays(arrays: WeightArrays): void {
    const checked = checkWeightArrays('WeightsSnapshot.fromArrays', 'arrays', arrays);
    this.dispose();
    for (const [name, { shape, values }] of Object.entries(checked)) {
      this.copies.set(name, tensor(values, shape, { dtype: values instanceof Float32Array ? 'float32' : 'int32' }));
    }
  }

  /** Frees the snapshot's native memory. */
  dispose(): void {
    for (const t of this.copies.values()) t.dispose();
    this.copies.clear();
  }
}

/** Saved weights by name: each { shape, values }, as WeightsSnapshot.toArrays() gives. */
export type WeightArrays = Record<string, { shape: number[]; values: Float32Array | Int32Array }>;

/** `toArrays()` output, read once and checked: one value per element of each shape. */
export function checkWeightArrays(op: string, name: string, arrays: unknown): WeightArrays {
  if (!isPlainObject(arrays)) typeError(op, name, 'an object of { shape, values } weights', arrays);
  return readSafely(op, name, () => {
    const out: WeightArrays = {};
    for (const [key, entry] of Object.entries(arrays)) {
      const what = `${name} weight '${key}'`;
      const e = entry as { shape?: unknown; values?: unknown } | null;
      const shape = typeof e === 'object' && e !== null ? e.shape : undefined;
      const values = typeof e === 'object' && e !== null ? e.values : undefined;
      if (!(values instanceof Float32Array || values instanceof Int32Array)) typeError(op, what, '{ shape, values } with a Float32Array or Int32Array of values', entry);
      const dims = Array.isArray(shape) ? Array.from(shape as unknown[]) : null;
      if (!dims || !dims.every((d) => Number.isSafeInteger(d) && (d as number) >= 0) || dims.reduce((a: number, b) => a * (b as number), 1) !== values.length) {
        typeError(op, what, '{ shape, values } with one value per element of the shape', entry);
      }
      out[key] = { shape: dims as number[], values };
    }
    return out;
  });
}

/** A model with stateDict() and loadStateDict() (an nn.Module, or anything shaped like one). */
function checkTrainable(op: string, model: unknown): asserts model is TrainableModel {
  const ok = readSafely(op, 'model', () => typeof model === 'object' && model !== null
    && typeof (model as TrainableModel).stateDict === 'function' && typeof (model as TrainableModel).loadStateDict === 'function');
  if (!ok) typeError(op, 'model', 'a model with stateDict() and loadStateDict()', model);
}

function stateOf(op: string, model: unknown): unknown {
  checkTrainable(op, model);
  return model.stateDict();
}
