/**
 * A copy of a model's weights in buffers of its own, reused across captures so keeping the
 * best weights (EarlyStopping) allocates once, not every improving epoch.
 */
import { tensor } from '../ops/creation.js';
import { readSafely, typeError } from '../validate/index.js';
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
        copy = Tensor.empty(source.shape, source.dtype);
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
  toArrays(): Record<string, { shape: number[]; values: Float32Array | Int32Array }> {
    return Object.fromEntries([...this.copies].map(([name, t]) => [name, { shape: [...t.shape], values: t.toArray() as Float32Array | Int32Array }]));
  }

  /** Replaces the captured values with `toArrays()` output. */
  fromArrays(arrays: Record<string, { shape: number[]; values: Float32Array | Int32Array }>): void {
    this.dispose();
    for (const [name, { shape, values }] of Object.entries(arrays)) {
      if (!(values instanceof Float32Array || values instanceof Int32Array) || !Array.isArray(shape) || shape.reduce((a, b) => a * b, 1) !== values.length) {
        throw new TypeError(`the saved weight '${name}' must be { shape, values } with one value per element`);
      }
      this.copies.set(name, tensor(values, shape, { dtype: values instanceof Float32Array ? 'float32' : 'int32' }));
    }
  }

  dispose(): void {
    for (const t of this.copies.values()) t.dispose();
    this.copies.clear();
  }
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
