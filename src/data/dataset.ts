/**
 * Datasets: a length and a way to fetch a batch of samples by index, as PyTorch's map-style
 * Dataset (fetching whole batches, so an in-memory dataset assembles a batch with one native
 * row gather per tensor instead of one call per sample).
 */
import { gatherRows } from '../ops/layout.js';
import { tensor } from '../ops/creation.js';
import { formatShape, Tensor } from '../tensor.js';
import {
  checkArray, checkBoolean, checkOptionalTensor, checkShape, checkTensor, isInstance, isNumericTypedArray, isPlainObject,
  option, optionKeys, readOptions, typeError,
} from '../validate/index.js';
import { checkClassLabels } from './labels.js';

/** A batch: one tensor per field (features, labels, ...), batch dimension first. */
export type Batch = Tensor[];

/** Samples addressable by index. */
export interface Dataset<B extends Batch = Batch> {
  /** Number of samples. */
  readonly length: number;
  /**
   * The samples at `indices` (an int32 1-D tensor) as one batch. When `out` is given (a batch
   * this dataset returned earlier for the same number of indices) the samples are written
   * into it and it is returned, so a loader can reuse its buffers. May return a promise
   * (data read from disk).
   */
  getBatch(indices: Tensor, out?: B): B | Promise<B>;
}

/** Options for in-memory datasets. */
export interface TensorDatasetOptions {
  /** Scan float tensors for NaN / infinity once at construction (default true). */
  checkFinite?: boolean;
  /**
   * The number of classes: the last tensor must then be int32 labels [n], each in
   * [0, numClasses), checked once at construction.
   */
  numClasses?: number;
}

const DATASET_KEYS = optionKeys<TensorDatasetOptions>({ checkFinite: true, numClasses: true });

/**
 * An in-memory dataset over tensors sharing their first dimension (features [n, ...],
 * labels [n], ...), as torch.utils.data.TensorDataset. Batches are native row gathers.
 */
export class TensorDataset<B extends Batch = [Tensor, Tensor]> implements Dataset<B> {
  readonly tensors: B;

  constructor(...args: [...B] | [...B, TensorDatasetOptions]) {
    const op = new.target.name;
    const list = [...args] as unknown[];
    // A trailing options object (or a trailing undefined, as from an omitted optional argument).
    const last = list[list.length - 1];
    const options = list.length > 0 && (last === undefined || isPlainObject(last)) ? list.pop() : undefined;
    const { checkFinite = true, numClasses } = readOptions<TensorDatasetOptions>(op, options, DATASET_KEYS);
    checkBoolean(op, option('checkFinite'), checkFinite);
    const tensors = list as unknown as B;
    if (tensors.length === 0) throw new RangeError(`${op}: needs at least one tensor`);
    for (const [i, t] of tensors.entries()) {
      checkTensor(op, `argument ${i}`, t);
      if (t.ndim === 0) throw new RangeError(`${op}: tensor ${i} is a scalar; it needs a sample dimension`);
    }
    const n = tensors[0].shape[0];
    const mismatch = tensors.findIndex((t) => t.shape[0] !== n);
    if (mismatch >= 0) {
      throw new RangeError(`TensorDataset: tensors have different lengths: tensor 0 ${formatShape(tensors[0].shape)} has ` +
        `${n} samples, tensor ${mismatch} ${formatShape(tensors[mismatch].shape)} has ${tensors[mismatch].shape[0]}`);
    }
    if (checkFinite) {
      tensors.forEach((t, i) => {
        if (t.dtype === 'float32') assertFinite(`${op}: tensor ${i}`, t);
      });
    }
    if (numClasses !== undefined) checkLabelTensor(tensors, numClasses);
    this.tensors = tensors;
  }

  /** Number of samples (the first dimension). */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /** One native row gather per tensor. */
  getBatch(indices: Tensor, out?: B): B {
    const op = `${this.constructor.name}.getBatch`;
    checkTensor(op, 'indices', indices, 'int32');
    if (out !== undefined) {
      checkArray(op, 'out', out, `an array of ${this.tensors.length} tensors (an earlier batch)`);
      if (out.length !== this.tensors.length) throw new RangeError(`${op}: out has ${out.length} tensors, the dataset has ${this.tensors.length}`);
      out.forEach((t, i) => checkOptionalTensor(op, `out[${i}]`, t));
    }
    return this.tensors.map((t, i) => gatherRows(t, indices, out?.[i])) as B;
  }

  /**
   * A dataset from typed arrays: features (row-major, `featureShape` per sample) and optional
   * int32 labels. The data is copied into native memory once.
   */
  static fromTypedArrays(features: Float32Array, featureShape: readonly number[], labels?: Int32Array): TensorDataset<Tensor[]> {
    const op = 'TensorDataset.fromTypedArrays';
    if (!isInstance(features, Float32Array)) typeError(op, 'features', 'a Float32Array', features);
    checkShape(op, 'featureShape', featureShape);
    if (labels !== undefined && !isInstance(labels, Int32Array)) typeError(op, 'labels', 'an Int32Array', labels);
    const per = featureShape.reduce((a, b) => a * b, 1);
    if (per <= 0 || features.length % per !== 0) {
      throw new RangeError(`TensorDataset.fromTypedArrays: ${features.length} values do not split into samples of ${formatShape(featureShape)}`);
    }
    const n = features.length / per;
    const x = tensor(features, [n, ...featureShape]);
    if (!labels) return new TensorDataset<Tensor[]>(x);
    if (labels.length !== n) {
      throw new RangeError(`TensorDataset.fromTypedArrays: ${n} feature rows but ${labels.length} labels`);
    }
    return new TensorDataset<Tensor[]>(x, tensor(labels, [n]));
  }
}

/**
 * A dataset over plain JavaScript arrays: rows of numbers and integer labels. Converted once
 * into native tensors, then served like a TensorDataset.
 */
export class ArrayDataset extends TensorDataset<[Tensor, Tensor]> {
  constructor(features: ArrayLike<ArrayLike<number>>, labels: ArrayLike<number>) {
    const op = 'ArrayDataset';
    const rowsOf = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || isNumericTypedArray(v);
    if (!Array.isArray(features)) typeError(op, 'features', 'an array of rows (arrays of numbers)', features);
    if (!rowsOf(labels)) typeError(op, 'labels', 'an array of integer labels', labels);
    features.forEach((row, i) => {
      if (!rowsOf(row)) typeError(op, `features[${i}]`, 'an array of numbers', row);
      for (let j = 0; j < row.length; j++) if (typeof row[j] !== 'number') typeError(op, `features[${i}][${j}]`, 'a number', row[j]);
    });
    const n = features.length;
    if (labels.length !== n) throw new RangeError(`ArrayDataset: ${n} feature rows but ${labels.length} labels`);
    const d = n > 0 ? features[0].length : 0;
    const flat = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = features[i];
      if (row.length !== d) throw new RangeError(`ArrayDataset: row ${i} has ${row.length} values, expected ${d} (as row 0)`);
      for (let j = 0; j < d; j++) flat[i * d + j] = row[j];
    }
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      // Int32Array would wrap 2^32 to 0 silently: the range is part of the check.
      const v = labels[i];
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
        throw new TypeError(`ArrayDataset: label ${i} is ${v}, expected a 32-bit integer`);
      }
      y[i] = v;
    }
    super(tensor(flat, [n, d]), tensor(y, [n]));
  }
}

/** TensorDataset's numClasses check: the last tensor holds class indices in [0, numClasses). */
function checkLabelTensor(tensors: Tensor[], numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`TensorDataset: numClasses must be a positive integer, got ${numClasses}`);
  }
  const last = tensors.length - 1;
  const y = tensors[last];
  if (y.dtype !== 'int32' || y.ndim !== 1) {
    throw new TypeError(`TensorDataset: numClasses needs the last tensor to be int32 labels [n], got ${y.dtype} ${formatShape(y.shape)}`);
  }
  checkClassLabels('TensorDataset', y.toArray(), numClasses, `tensor ${last}`);
}

/**
 * Throws naming the first NaN / infinite element of a float32 tensor (one native pass, the
 * non-finite scan every device has, so a dataset may live on the GPU).
 */
export function assertFinite(what: string, t: Tensor): void {
  const cols = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const bad = t.backend.firstNonFinite(t.buffer, t.offset, t.size);
  if (bad >= 0) {
    const value = t.buffer.read(t.offset + bad, 1)[0];
    throw new RangeError(`${what} contains ${value} (not finite) at sample ${Math.floor(bad / cols)}, feature ${bad % cols}`);
  }
}
