/** Creating tensors: from JavaScript data, filled, ranges and seeded random. */
import { native } from '../backend/native.js';
import { defaultGenerator, type Generator } from '../random.js';
import { checkShape, formatShape, shapeSize, Tensor, type DType, type Shape } from '../tensor.js';
import { fillKernel } from './kernels.js';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

type Nested = number | Nested[];

function inferShape(data: Nested): number[] {
  const shape: number[] = [];
  let level: Nested = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] ?? 0;
    if (shape[shape.length - 1] === 0) break;
  }
  return shape;
}

function flatten(data: Nested, shape: number[], dim: number, out: number[]): void {
  if (dim === shape.length) {
    if (typeof data !== 'number') throw new TypeError(`tensor: expected a number at depth ${dim}, got ${typeof data}`);
    out.push(data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[dim]) {
    throw new RangeError(`tensor: ragged nested array: expected length ${shape[dim]} at depth ${dim}`);
  }
  for (const item of data) flatten(item, shape, dim + 1, out);
}

/**
 * A tensor from nested arrays, a flat array with a shape, or a typed array (Float32Array ->
 * float32, Int32Array -> int32 unless `dtype` says otherwise). The data is copied.
 */
export function tensor(
  data: Nested | ArrayLike<number> | Float32Array | Int32Array,
  shape?: Shape | CreateOptions,
  options: CreateOptions = {},
): Tensor {
  if (shape !== undefined && !Array.isArray(shape)) {
    options = shape as CreateOptions;
    shape = undefined;
  }
  let flat: ArrayLike<number>;
  let resolved: Shape;
  let dtype = options.dtype;
  if (data instanceof Float32Array || data instanceof Int32Array || (!Array.isArray(data) && typeof data === 'object')) {
    flat = data as ArrayLike<number>;
    dtype ??= data instanceof Int32Array ? 'int32' : 'float32';
    resolved = (shape as Shape | undefined) ?? [flat.length];
  } else if (typeof data === 'number') {
    flat = [data];
    resolved = (shape as Shape | undefined) ?? [];
  } else {
    const inferred = inferShape(data as Nested);
    const out: number[] = [];
    flatten(data as Nested, inferred, 0, out);
    flat = out;
    resolved = (shape as Shape | undefined) ?? inferred;
  }
  dtype ??= 'float32';
  checkShape(resolved, 'tensor');
  if (shapeSize(resolved) !== flat.length) {
    throw new RangeError(`tensor: ${flat.length} values do not fill shape ${formatShape(resolved)}`);
  }
  const t = Tensor.empty(resolved, dtype);
  let typed: Float32Array | Int32Array;
  if (dtype === 'float32') typed = flat instanceof Float32Array ? flat : Float32Array.from(flat);
  else {
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
        throw new RangeError(`tensor: int32 value at index ${i} is ${v}, not a 32-bit integer`);
      }
    }
    typed = flat instanceof Int32Array ? flat : Int32Array.from(flat);
  }
  t.buffer.write(typed, 0);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  const t = Tensor.empty(shape, options.dtype ?? 'float32');
  fillKernel(t, value);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

export const zeros = (shape: Shape, options: CreateOptions = {}) => full(shape, 0, options);
export const ones = (shape: Shape, options: CreateOptions = {}) => full(shape, 1, options);

/** A tensor with the same shape and dtype as `like`, filled with `value`. */
export const fullLike = (like: Tensor, value: number) => full(like.shape, value, { dtype: like.dtype });
export const zerosLike = (like: Tensor) => fullLike(like, 0);

/** [start, start+step, ...) below `end`, as torch.arange. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const values = Array.from({ length: n }, (_, i) => start + i * step);
  return tensor(values, [n], options);
}

export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

/** Uniform in [low, high). */
export function uniform(shape: Shape, low = 0, high = 1, options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  const t = Tensor.empty(shape);
  native.randomUniform(t.buffer, t.offset, t.size, g.seed, g.take(t.size), low, high);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Uniform in [0, 1), as torch.rand. */
export const rand = (shape: Shape, options: RandomOptions = {}) => uniform(shape, 0, 1, options);

/** Normal(mean, std), as torch.randn (mean 0, std 1) / torch.normal. */
export function randn(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  const t = Tensor.empty(shape);
  // Normal draws come in Box-Muller pairs: start on an even position, take an even count.
  if (g.offset % 2) g.take(1);
  const start = g.take(t.size + (t.size % 2));
  native.randomNormal(t.buffer, t.offset, t.size, g.seed, start, options.mean ?? 0, options.std ?? 1);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}
