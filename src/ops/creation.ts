/** Creating tensors: from JavaScript data, filled, ranges and seeded random. */
import type { Backend } from '../backend/backend.js';
import { backendFor, defaultDevice } from '../backend/registry.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random.js';
import { formatShape, shapeSize, Tensor, type Device, type DType, type Shape } from '../tensor.js';
import {
  checkBoolean, checkChoice, checkNumber, checkShape, checkTensor, describeValue, isNumericTypedArray,
  option, optionKeys, rangeError, readOptions, typeError,
} from '../validate/index.js';
import { fillKernel } from './kernels.js';

/** Options of the tensor factories: dtype ('float32' default), device ('cpu' default) and requiresGrad. */
export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  /** Where the tensor lives: 'cpu' (the default device) or another registered backend's device. */
  device?: Device;
}

/** Options of the random factories: those of every factory, and the generator to draw from. */
export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

/** randn's options: a RandomOptions with the normal's parameters. */
export interface NormalOptions extends RandomOptions {
  mean?: number;
  std?: number;
}

const CREATE_KEYS = optionKeys<CreateOptions>({ dtype: true, requiresGrad: true, device: true });
const RANDOM_KEYS = optionKeys<RandomOptions>({ dtype: true, requiresGrad: true, device: true, generator: true });
const NORMAL_KEYS = optionKeys<NormalOptions>({ dtype: true, requiresGrad: true, device: true, generator: true, mean: true, std: true });
const DTYPES = ['float32', 'int32'] as const;

/** Reads and checks creation options; random tensors are float32 only. */
function createOptions<T extends CreateOptions>(op: string, options: unknown, keys: readonly (keyof T & string)[], float = false): Partial<T> & { dtype: DType; requiresGrad: boolean; backend: Backend } {
  const o = readOptions<T>(op, options, keys);
  const dtype = o.dtype === undefined ? 'float32' : checkChoice(op, option('dtype'), o.dtype, float ? ['float32'] as const : DTYPES);
  const requiresGrad = o.requiresGrad === undefined ? false : checkBoolean(op, option('requiresGrad'), o.requiresGrad);
  if (requiresGrad && dtype !== 'float32') rangeError(op, option('requiresGrad'), "false for an int32 tensor (only float32 tensors have gradients)", true);
  const backend = backendFor(o.device ?? defaultDevice(), op, option('device'));
  return { ...o, dtype, requiresGrad, backend };
}

type Nested = number | Nested[];

/** Nested arrays deeper than this are taken for a cycle (an array holding itself). */
const MAX_DEPTH = 64;

function inferShape(data: Nested): number[] {
  const shape: number[] = [];
  let level: Nested = data;
  while (Array.isArray(level)) {
    if (shape.length === MAX_DEPTH) throw new RangeError(`tensor: nested arrays deeper than ${MAX_DEPTH} levels (a cycle?)`);
    shape.push(level.length);
    level = level[0] ?? 0;
    if (shape[shape.length - 1] === 0) break;
  }
  return shape;
}

function flatten(data: Nested, shape: number[], dim: number, out: number[]): void {
  if (dim === shape.length) {
    if (typeof data !== 'number') throw new TypeError(`tensor: expected a number at depth ${dim}, got ${describeValue(data)}`);
    out.push(data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[dim]) {
    throw new RangeError(`tensor: ragged nested array: expected length ${shape[dim]} at depth ${dim}, got ${describeValue(data)}`);
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
  if (shape !== undefined) checkShape('tensor', 'shape', shape);
  const o = readOptions<CreateOptions>('tensor', options, CREATE_KEYS);
  let flat: ArrayLike<number>;
  let resolved: Shape;
  if (isNumericTypedArray(data)) {
    flat = data;
    resolved = (shape as Shape | undefined) ?? [flat.length];
  } else if (typeof data === 'number') {
    flat = [data];
    resolved = (shape as Shape | undefined) ?? [];
  } else if (Array.isArray(data)) {
    const inferred = inferShape(data as Nested);
    const out: number[] = [];
    flatten(data as Nested, inferred, 0, out);
    flat = out;
    resolved = (shape as Shape | undefined) ?? inferred;
  } else {
    typeError('tensor', 'data', 'a number, a (nested) array of numbers or a typed array', data);
  }
  const dtype = o.dtype ?? (data instanceof Int32Array ? 'int32' : 'float32');
  const { requiresGrad, backend } = createOptions('tensor', { ...o, dtype }, CREATE_KEYS);
  if (shapeSize(resolved) !== flat.length) {
    throw new RangeError(`tensor: ${flat.length} values do not fill shape ${formatShape(resolved)}`);
  }
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
  const t = Tensor.empty(resolved, dtype, false, backend);
  t.buffer.write(typed, 0);
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

/** A float32 tensor may hold any number, NaN included; an int32 one an integer in int32. */
function filled(op: string, shape: unknown, value: unknown, options: unknown): Tensor {
  checkShape(op, 'shape', shape);
  const { dtype, requiresGrad, backend } = createOptions(op, options, CREATE_KEYS);
  if (dtype === 'int32') checkNumber(op, 'value', value, { integer: true, min: -(2 ** 31), maxOpen: 2 ** 31 });
  else if (typeof value !== 'number') typeError(op, 'value', 'a number', value);
  const t = Tensor.empty(shape as Shape, dtype, false, backend);
  fillKernel(t, value as number);
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

/** A tensor of `shape` with every element `value`. */
export const full = (shape: Shape, value: number, options: CreateOptions = {}): Tensor => filled('full', shape, value, options);
/** A tensor of zeros: `zeros([2, 3])`. */
export const zeros = (shape: Shape, options: CreateOptions = {}) => filled('zeros', shape, 0, options);
/** A tensor of ones: `ones([2, 3])`. */
export const ones = (shape: Shape, options: CreateOptions = {}) => filled('ones', shape, 1, options);

/** A tensor with the same shape, dtype and device as `like`, filled with `value`. */
export function fullLike(like: Tensor, value: number): Tensor {
  checkTensor('fullLike', 'like', like);
  return filled('fullLike', like.shape, value, { dtype: like.dtype, device: like.device });
}

/** A tensor of zeros with the shape, dtype and device of `like`. */
export function zerosLike(like: Tensor): Tensor {
  checkTensor('zerosLike', 'like', like);
  return filled('zerosLike', like.shape, 0, { dtype: like.dtype, device: like.device });
}

const MAX_INT32 = 2 ** 31 - 1;

/** Values computed per chunk, so a long range never needs one JS array of its size. */
const CHUNK = 1 << 16;

/** [start, start+step, ...) below `end`, as torch.arange. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  checkNumber('arange', 'start', start);
  if (end === undefined) [start, end] = [0, start];
  else checkNumber('arange', 'end', end);
  checkNumber('arange', 'step', step);
  if (step === 0) rangeError('arange', 'step', 'non-zero', step);
  const { dtype, requiresGrad, backend } = createOptions('arange', options, CREATE_KEYS);
  const n = Math.max(0, Math.ceil((end - start) / step));
  // A range is an index range in practice; past int32 it is gigabytes of JS-computed values.
  if (n > MAX_INT32) throw new RangeError(`arange: [${start}, ${end}) in steps of ${step} has ${n} values, more than 2^31 - 1`);
  if (dtype === 'int32') {
    for (const v of [start, step, start + (n - 1) * step]) {
      if (n > 0 && (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)) {
        throw new RangeError(`arange: an int32 range needs integer start and step and values in int32, got ${v}`);
      }
    }
  }
  const t = Tensor.empty([n], dtype, false, backend);
  for (let at = 0; at < n; at += CHUNK) {
    const count = Math.min(CHUNK, n - at);
    const values = dtype === 'int32' ? new Int32Array(count) : new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = start + (at + i) * step;
    t.buffer.write(values, at);
  }
  if (requiresGrad) t.requiresGrad = true;
  return t;
}

/** The generator option, checked, or the default one. */
function generatorOf(op: string, g: unknown): Generator {
  return g === undefined ? defaultGenerator : checkGenerator(op, option('generator'), g);
}

function uniformOp(op: string, shape: unknown, low: unknown, high: unknown, options: unknown): Tensor {
  checkShape(op, 'shape', shape);
  checkNumber(op, 'low', low);
  checkNumber(op, 'high', high, { min: low as number });
  const o = createOptions<RandomOptions>(op, options, RANDOM_KEYS, true);
  const g = generatorOf(op, o.generator);
  const t = Tensor.empty(shape as Shape, 'float32', false, o.backend);
  o.backend.randomUniform(t.buffer, t.offset, t.size, g.seed, g.take(t.size), low as number, high as number);
  if (o.requiresGrad) t.requiresGrad = true;
  return t;
}

/** Uniform in [low, high). */
export const uniform = (shape: Shape, low = 0, high = 1, options: RandomOptions = {}): Tensor =>
  uniformOp('uniform', shape, low, high, options);

/** Uniform in [0, 1), as torch.rand. */
export const rand = (shape: Shape, options: RandomOptions = {}) => uniformOp('rand', shape, 0, 1, options);

/** Normal(mean, std), as torch.randn (mean 0, std 1) / torch.normal. */
export function randn(shape: Shape, options: NormalOptions = {}): Tensor {
  checkShape('randn', 'shape', shape);
  const o = createOptions<NormalOptions>('randn', options, NORMAL_KEYS, true);
  const g = generatorOf('randn', o.generator);
  const mean = o.mean === undefined ? 0 : checkNumber('randn', option('mean'), o.mean);
  const std = o.std === undefined ? 1 : checkNumber('randn', option('std'), o.std, { min: 0 });
  const t = Tensor.empty(shape, 'float32', false, o.backend);
  // Normal draws come in Box-Muller pairs: start on an even position, take an even count.
  if (g.offset % 2) g.take(1);
  const start = g.take(t.size + (t.size % 2));
  o.backend.randomNormal(t.buffer, t.offset, t.size, g.seed, start, mean, std);
  if (o.requiresGrad) t.requiresGrad = true;
  return t;
}
