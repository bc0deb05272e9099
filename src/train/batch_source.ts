/**
 * Where `fit`, `evaluate` and `predict` get batches: a DataLoader, any (async) iterable of
 * [x, y] batches, or whole tensors [x, y] / { x, y } that are batched here. In-memory loaders
 * are iterated synchronously (no promise per batch); loaders over asynchronous datasets and
 * async iterables with `for await`.
 */
import { DataLoader } from '../data/data_loader.js';
import { TensorDataset } from '../data/dataset.js';
import { validationSplit } from '../data/train_test_split.js';
import { Tensor } from '../tensor.js';
import { checkTensor, typeError } from '../validate/index.js';

/** A batch of inputs and targets. */
export type XY = [Tensor, Tensor];
/** Data as `fit` and `evaluate` accept it. */
export type DataSpec = DataLoader<XY> | Iterable<XY> | AsyncIterable<XY> | readonly [Tensor, Tensor] | { x: Tensor; y: Tensor };

/** Batches of one pass, plus what is known about them. */
export interface BatchSource {
  batches: Iterable<XY> | AsyncIterable<XY>;
  /** Batches per pass, when known. */
  length?: number;
  /** The labels of the whole set, when the data is in memory (for classWeight 'balanced'). */
  labels: Tensor | null;
  /** The DataLoader behind the batches, if any (a resumed run moves it to its epoch). */
  loader?: DataLoader<XY>;
  /** The public function reading it, for messages about its batches. */
  op: string;
}

/** Whole tensors given as [x, y] or { x, y }, else null. */
export function asTensors(spec: unknown): XY | null {
  if (Array.isArray(spec) && spec.length === 2 && spec[0] instanceof Tensor && spec[1] instanceof Tensor) return [spec[0], spec[1]];
  const o = spec as { x?: unknown; y?: unknown } | null;
  if (o && typeof o === 'object' && o.x instanceof Tensor && o.y instanceof Tensor) return [o.x, o.y];
  return null;
}

/** A source over `spec`; tensors are cut into batches of `batchSize` (shuffled when asked). */
export function batchSource(op: string, spec: DataSpec, options: { batchSize: number; shuffle: boolean; seed?: number }): BatchSource {
  const tensors = asTensors(spec);
  if (tensors) {
    const loader = new DataLoader(new TensorDataset(tensors[0], tensors[1]), { batchSize: options.batchSize, shuffle: options.shuffle, seed: options.seed ?? 0 });
    return { batches: loader, length: loader.length, labels: tensors[1], loader, op };
  }
  if (spec instanceof DataLoader) {
    const ds = spec.dataset;
    const inMemory = ds instanceof TensorDataset;
    return {
      batches: inMemory ? spec : { [Symbol.asyncIterator]: () => spec[Symbol.asyncIterator]() },
      length: spec.sampler ? spec.length : undefined,
      labels: inMemory && ds.tensors.length > 1 ? (ds.tensors[1] as Tensor) : null,
      loader: spec,
      op,
    };
  }
  const s = spec as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown; length?: unknown };
  if (s && (typeof s[Symbol.iterator] === 'function' || typeof s[Symbol.asyncIterator] === 'function')) {
    return { batches: spec as Iterable<XY>, length: typeof s.length === 'number' ? s.length : undefined, labels: null, op };
  }
  throw new TypeError(`${op}: data must be a DataLoader, an iterable of [x, y] batches, or tensors [x, y] / { x, y }`);
}

/**
 * Splits whole tensors into training and validation parts (seeded shuffle, as
 * data.validationSplit); Keras's validation_split, except that Keras takes the last samples.
 */
export function splitForValidation(op: string, spec: DataSpec, fraction: number, seed: number): { train: XY; val: XY } {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`${op}: validationSplit must be in (0, 1), got ${fraction}`);
  const tensors = asTensors(spec);
  if (!tensors) throw new TypeError(`${op}: validationSplit needs the data as tensors [x, y] or { x, y }; with a DataLoader pass validationData`);
  const s = validationSplit(tensors[0], tensors[1], { valSize: fraction, seed });
  return { train: [s.xTrain, s.yTrain!], val: [s.xVal, s.yVal!] };
}

/**
 * Runs `body` on every batch of one pass, awaiting only when the source or the body is async;
 * indices start at `first` (a loader resumed mid-epoch).
 */
export async function forEachBatch(source: BatchSource, body: (x: Tensor, y: Tensor, index: number) => boolean | Promise<boolean>, first = 0): Promise<void> {
  let index = first;
  const batches = source.batches;
  if (typeof (batches as Iterable<XY>)[Symbol.iterator] === 'function') {
    for (const batch of batches as Iterable<XY>) {
      const [x, y] = checkBatch(source.op, batch, index);
      const r = body(x, y, index++);
      if (r === false || (r instanceof Promise && (await r) === false)) return;
    }
    return;
  }
  for await (const batch of batches as AsyncIterable<XY>) {
    const [x, y] = checkBatch(source.op, batch, index);
    const r = body(x, y, index++);
    if (r === false || (r instanceof Promise && (await r) === false)) return;
  }
}

/** One batch of an iterable: a pair [x, y] of live tensors. */
function checkBatch(op: string, batch: unknown, index: number): XY {
  if (!Array.isArray(batch) || batch.length < 2) typeError(op, `batch ${index}`, 'a pair [x, y] of tensors', batch);
  return [checkTensor(op, `batch ${index} x`, batch[0]), checkTensor(op, `batch ${index} y`, batch[1])];
}
