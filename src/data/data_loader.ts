/**
 * DataLoader: iterates a dataset in batches, as torch.utils.data.DataLoader.
 *
 *   batchSize 'full' -> batch gradient descent (one batch per epoch)
 *   batchSize 1      -> stochastic gradient descent
 *   anything between -> mini-batch gradient descent
 *   length = iterations per epoch = ceil(samples / batchSize), floor(...) with dropLast
 *
 * Batches are assembled natively (a row gather per field from the epoch's shuffled index
 * tensor) into two alternating sets of buffers, so the batch being trained on stays intact while
 * the next one is written, and steady-state iteration allocates no tensor memory. Batch
 * tensors are therefore reused: clone one to keep it beyond the following iteration.
 * `for (const [x, y] of loader)` works for in-memory datasets; `for await` works for every
 * dataset and prefetches: the next batch is requested before the current one is handed out,
 * so a dataset that reads from disk (or a stream) loads while the model trains.
 *
 * Devices: the sampler draws each epoch's order on the host (as PyTorch's samplers do). A
 * TensorDataset on another device ('cuda': `new TensorDataset(x.to('cuda'), y.to('cuda'))`)
 * gets one copy of that order per epoch and its batches are gathered there, the scaler's map
 * included, with no host round trip per batch; other datasets get the order on the host. A
 * dataset on the host gives host batches: move each with `.to('cuda')` (one copy), as in a
 * PyTorch training loop.
 */
import { checkGenerator, Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import {
  checkBoolean, checkInteger, describeValue, option, optionKeys, readOptions, readSafely, typeError,
} from '../validate/index.js';
import { type Batch, type Dataset, TensorDataset } from './dataset.js';
import { RandomSampler, type Sampler, SequentialSampler } from './sampler.js';
import { streamBatches, type Sample } from './stream_batches.js';
import { type AffineRows } from './affine_transform.js';
import { cpuBackend } from '../backend/cpu.js';
import type { Backend } from '../backend/backend.js';
import { backendOf } from '../ops/device.js';
import { copyAcrossDevices } from '../ops/kernels.js';

/** A transform applied in place to each batch's features (Standardize, MinMaxScale, ...). */
export type BatchTransform = {
  /** Transforms x, into `out` when given (the loader passes x itself). */
  transform(x: Tensor, out?: Tensor): Tensor;
} | ((x: Tensor) => void);

/** DataLoader options (PyTorch's names). */
export interface DataLoaderOptions {
  /** Samples per batch, or 'full' for the whole dataset (default 1). */
  batchSize?: number | 'full';
  /** A new random order every epoch (default false). Not with `sampler`. */
  shuffle?: boolean;
  /** Drop the last incomplete batch (default false). */
  dropLast?: boolean;
  /** Custom order (SequentialSampler, RandomSampler, WeightedRandomSampler, ...). */
  sampler?: Sampler;
  /** Seed of the shuffle (default 0): the same seed gives the same order on any machine. */
  seed?: number;
  /** Or a generator whose seed and position start the shuffle stream. */
  generator?: Generator;
  /** Applied in place to the features (field 0) of every batch. */
  transform?: BatchTransform;
}

const LOADER_KEYS = optionKeys<DataLoaderOptions>({
  batchSize: true, shuffle: true, dropLast: true, sampler: true, seed: true, generator: true, transform: true,
});
const STATE_KEYS = optionKeys<DataLoaderState>({ epoch: true, batch: true });

/** Where a loader is: enough to resume the exact sequence of batches. */
export interface DataLoaderState {
  epoch: number;
  /** Batches of `epoch` already delivered. */
  batch: number;
}

/** Iterates a Dataset (or a stream of samples) in batches. */
export class DataLoader<B extends Batch = [Tensor, Tensor]> implements Iterable<B>, AsyncIterable<B> {
  readonly batchSize: number;
  readonly dropLast: boolean;
  readonly sampler: Sampler | null;
  private readonly transform: ((x: Tensor) => void) | null;
  private epochValue = 0;
  private position = 0;
  private order: Tensor | null = null;
  /** The order's copy on the dataset's device, when that is not the host. */
  private deviceOrder: Tensor | null = null;
  private orderEpoch = -1;
  private views: Tensor[] = [];
  private buffers = new Map<number, [B | undefined, B | undefined]>();
  private readonly assemble: ((index: Tensor, out: B | undefined, affine: AffineRows | null) => B) | null;
  /** A scaler whose fitted affine map the fused assembly applies (read per batch: it may be refitted). */
  private readonly scaler: { readonly affine: AffineRows | null } | null;

  constructor(readonly dataset: Dataset<B> | AsyncIterable<Sample>, options: DataLoaderOptions = {}) {
    checkDataset(dataset);
    options = loaderOptions(options);
    const { batchSize = 1, shuffle = false, dropLast = false } = options;
    this.dropLast = dropLast;
    const t = options.transform;
    this.transform = !t ? null : typeof t === 'function' ? t : (x) => void t.transform(x, x);
    this.scaler = t && typeof t !== 'function' && 'affine' in t ? (t as { readonly affine: AffineRows | null }) : null;
    this.assemble = fusedAssembly(dataset) as typeof this.assemble;
    if (isStream(dataset)) {
      if (shuffle || options.sampler) throw new TypeError('DataLoader: a streaming dataset cannot be shuffled or sampled');
      if (batchSize === 'full') throw new TypeError("DataLoader: batchSize 'full' needs a dataset of known length");
      checkBatchSize(batchSize);
      this.batchSize = batchSize;
      this.sampler = null;
      return;
    }
    if (options.sampler && shuffle) throw new TypeError('DataLoader: give either sampler or shuffle, not both');
    const n = dataset.length;
    if (!(n > 0)) throw new RangeError('DataLoader: dataset is empty');
    this.sampler = options.sampler ??
      (shuffle ? new RandomSampler(n, { seed: options.seed, generator: options.generator }) : new SequentialSampler(n));
    if (this.sampler.length === 0) throw new RangeError('DataLoader: sampler yields no samples');
    if (batchSize !== 'full') checkBatchSize(batchSize);
    this.batchSize = batchSize === 'full' ? this.sampler.length : batchSize;
  }

  /** Iterations (batches) per epoch. */
  get length(): number {
    if (!this.sampler) throw new TypeError('DataLoader: a streaming dataset has no length');
    const s = this.sampler.length;
    return this.dropLast ? Math.floor(s / this.batchSize) : Math.ceil(s / this.batchSize);
  }

  /** The epoch the next iteration runs (each `for` over the loader is one epoch). */
  get epoch(): number {
    return this.epochValue;
  }
  /** Jumps to the start of an epoch: its order is a pure function of (seed, epoch). */
  set epoch(e: number) {
    this.setState({ epoch: e, batch: 0 });
  }

  /** The position to save with a checkpoint. */
  state(): DataLoaderState {
    return { epoch: this.epochValue, batch: this.position };
  }

  /** Resumes from a saved position: the next iteration continues epoch `epoch` at batch `batch`. */
  setState(state: DataLoaderState): void {
    const op = 'DataLoader.setState';
    const s = readOptions<DataLoaderState>(op, state, STATE_KEYS, 'state');
    const max = this.sampler ? this.length : 0;
    const epoch = checkInteger(op, option('epoch'), s.epoch, { min: 0, max: 2 ** 31 - 1 });
    const batch = checkInteger(op, option('batch'), s.batch, { min: 0, max });
    this.epochValue = epoch;
    this.position = batch;
  }

  /** One epoch, synchronously (in-memory datasets). */
  *[Symbol.iterator](): Iterator<B> {
    if (!this.sampler) throw new TypeError('DataLoader: iterate a streaming dataset with for await');
    const epoch = this.epochValue;
    try {
      for (let b = this.position; b < this.length; b++) {
        const batch = this.fetch(epoch, b);
        if (batch instanceof Promise) throw new TypeError('DataLoader: this dataset loads asynchronously; iterate with for await');
        this.position = b + 1;
        yield batch;
      }
    } finally {
      this.epochValue = epoch + 1;
      this.position = 0;
    }
  }

  /** One epoch, asynchronously, with the next batch prefetched. */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    if (!this.sampler) {
      yield* prefetched(streamBatches(this.dataset as AsyncIterable<Sample>, this.batchSize, this.dropLast, this.transform) as AsyncIterable<B>);
      return;
    }
    const epoch = this.epochValue;
    const self = this;
    async function* batches(): AsyncGenerator<B> {
      for (let b = self.position; b < self.length; b++) yield await self.fetch(epoch, b);
    }
    try {
      for await (const batch of prefetched(batches())) {
        this.position++;
        yield batch;
      }
    } finally {
      this.epochValue = epoch + 1;
      this.position = 0;
    }
  }

  private fetch(epoch: number, b: number): B | Promise<B> {
    const sampler = this.sampler!;
    const dataset = this.dataset as Dataset<B>;
    const size = Math.min(this.batchSize, sampler.length - b * this.batchSize);
    // Batch gradient descent over a TensorDataset in order: the batch is the data itself.
    if (size === dataset.length && sampler instanceof SequentialSampler && !this.transform && dataset instanceof TensorDataset) {
      return dataset.tensors as B;
    }
    this.prepareOrder(epoch);
    const slots = this.buffers.get(size) ?? [undefined, undefined];
    this.buffers.set(size, slots);
    const slot = this.length > 1 ? b % 2 : 0;
    if (this.assemble) {
      const affine = this.scaler?.affine ?? null;
      const batch = this.assemble(this.views[b], slots[slot], affine);
      slots[slot] = batch;
      if (this.transform && !affine) this.transform(batch[0]);
      return batch;
    }
    const finish = (batch: B): B => {
      slots[slot] = batch;
      if (this.transform) this.transform(batch[0]);
      return batch;
    };
    const result = dataset.getBatch(this.views[b], slots[slot]);
    return result instanceof Promise ? result.then(finish) : finish(result);
  }

  /** Writes epoch `epoch`'s indices and makes the per-batch views (once) over them. */
  private prepareOrder(epoch: number): void {
    const sampler = this.sampler!;
    if (!this.order) {
      this.order = Tensor.empty([sampler.length], 'int32', false, cpuBackend);
      const device = indexBackend(this.dataset);
      if (device !== cpuBackend) this.deviceOrder = Tensor.empty([sampler.length], 'int32', false, device);
      const viewed = this.deviceOrder ?? this.order;
      for (let b = 0; b < this.length; b++) {
        this.views.push(viewed.rows(b * this.batchSize, Math.min(sampler.length, (b + 1) * this.batchSize)));
      }
    }
    if (this.orderEpoch !== epoch) {
      sampler.fill(this.order, epoch);
      if (this.deviceOrder) copyAcrossDevices(this.deviceOrder, this.order);
      this.orderEpoch = epoch;
    }
  }
}

/** Where batch indices go: a TensorDataset's device, the host for any other dataset. */
function indexBackend(dataset: unknown): Backend {
  return dataset instanceof TensorDataset ? (dataset.tensors as Tensor[])[0].backend : cpuBackend;
}

/**
 * The common case in one native call per batch: a TensorDataset of (float32 features, int32
 * labels [n]), gathered by index with the scaler's affine map applied on the way (Standardize /
 * MinMaxScale fitted state), instead of two gathers and two broadcast passes.
 */
function fusedAssembly(dataset: unknown): ((index: Tensor, out: [Tensor, Tensor] | undefined, affine: AffineRows | null) => [Tensor, Tensor]) | null {
  if (!(dataset instanceof TensorDataset) || dataset.tensors.length !== 2) return null;
  const [x, y] = dataset.tensors as Tensor[];
  if (x.dtype !== 'float32' || y.dtype !== 'int32' || y.ndim !== 1) return null;
  const rows = x.shape[0];
  const rowLength = rows === 0 ? 0 : x.size / rows;
  // A scaler is fitted on the host (its statistics kernel is CPU-only): its map moves to the
  // dataset's device once, and again only when it is refitted (a new AffineRows).
  let moved: { from: AffineRows; rows: AffineRows } | null = null;
  const onDevice = (a: AffineRows): AffineRows => {
    if (a.scale.device === x.device) return a;
    if (moved?.from !== a) moved = { from: a, rows: a.to(x.device) };
    return moved.rows;
  };
  return (index, out, fitted) => {
    if (fitted && fitted.features !== rowLength) {
      throw new RangeError(`DataLoader: the transform was fitted on ${fitted.features} features, the dataset has ${rowLength}`);
    }
    const affine = fitted ? onDevice(fitted) : null;
    const count = index.size;
    const backend = backendOf('DataLoader', x, y, index, affine?.scale, out?.[0]);
    const batch = out ?? [x.newEmpty([count, ...x.shape.slice(1)]), x.newEmpty([count], 'int32')];
    backend.gatherBatch(x.buffer, x.offset, rowLength, rows, y.buffer, y.offset, index.buffer, index.offset, count,
      affine ? affine.scale.buffer : null, affine ? affine.scale.offset : 0, affine ? affine.shift.buffer : null,
      affine ? affine.shift.offset : 0, batch[0].buffer, batch[0].offset, batch[1].buffer, batch[1].offset);
    return batch;
  };
}

/** Requests item i+1 before handing out item i. */
async function* prefetched<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  try {
    let next = it.next();
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

function isStream(d: unknown): d is AsyncIterable<Sample> {
  return typeof (d as AsyncIterable<Sample>)[Symbol.asyncIterator] === 'function' && typeof (d as Dataset).getBatch !== 'function';
}

function checkBatchSize(b: number): void {
  if (!Number.isInteger(b) || b < 1 || b >= 2 ** 31) {
    throw new RangeError(`DataLoader: option 'batchSize' must be a positive integer or 'full', got ${describeValue(b)}`);
  }
}

/** A map-style dataset (length and getBatch) or an async iterable of samples, read safely. */
function checkDataset(dataset: unknown): void {
  const what = 'a Dataset (length and getBatch) or an async iterable of samples';
  if (typeof dataset !== 'object' || dataset === null) typeError('DataLoader', 'dataset', what, dataset);
  readSafely('DataLoader', 'the dataset', () => {
    const d = dataset as Partial<Dataset> & Partial<AsyncIterable<Sample>>;
    if (typeof d.getBatch === 'function') checkInteger('DataLoader', 'dataset.length', d.length, { min: 0, max: 2 ** 31 - 1 });
    else if (typeof d[Symbol.asyncIterator] !== 'function') typeError('DataLoader', 'dataset', what, dataset);
  });
}

/** The options, read once and checked. */
function loaderOptions(options: unknown): DataLoaderOptions {
  const op = 'DataLoader';
  const o = readOptions<DataLoaderOptions>(op, options, LOADER_KEYS);
  if (o.batchSize !== undefined && o.batchSize !== 'full') checkBatchSize(o.batchSize);
  if (o.shuffle !== undefined) checkBoolean(op, option('shuffle'), o.shuffle);
  if (o.dropLast !== undefined) checkBoolean(op, option('dropLast'), o.dropLast);
  if (o.seed !== undefined) checkInteger(op, option('seed'), o.seed, { min: 0 });
  if (o.generator !== undefined) checkGenerator(op, option('generator'), o.generator);
  readSafely(op, 'the transform and sampler options', () => {
    const t = o.transform;
    if (t !== undefined && typeof t !== 'function' && typeof (t as { transform?: unknown } | null)?.transform !== 'function') {
      typeError(op, option('transform'), 'a function (x) => void or an object with transform(x, out)', t);
    }
    const s = o.sampler as Partial<Sampler> | undefined;
    if (s !== undefined && (typeof s !== 'object' || s === null || typeof s.fill !== 'function')) {
      typeError(op, option('sampler'), 'a Sampler (length and fill)', s);
    }
    if (s !== undefined) checkInteger(op, "option 'sampler' length", s.length, { min: 0, max: 2 ** 31 - 1 });
  });
  return o;
}
