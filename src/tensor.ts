/**
 * Tensor: a shape, a dtype and a view into native storage. Float32 for values, int32 for
 * labels and indices. Contiguous, row-major. Views (reshape, row slices) share storage.
 *
 * Memory is freed by the GC finalizer of the native buffer, or at once by `dispose()` /
 * `using` (Symbol.dispose). Reads copy out of native memory, so a disposed tensor can never
 * be read through a stale pointer: using it throws.
 */
import type { Backend, Device, DeviceBuffer, DType } from './backend/backend.js';
import { Storage } from './storage.js';
import { record, type GradNode } from './autograd/graph.js';
import { noteCreated, type CreationScope } from './autograd/creation_scope.js';
import { checkBoolean, checkInteger, checkShape, rangeError } from './validate/index.js';

export type { Device, DType };
export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/**
 * @internal Values a kernel has not written yet (ops/deferred.ts): a Linear or Conv output inside
 * a module's forward waits for its first reader, so that a ReLU reading it first can run in the
 * producer's epilogue instead.
 */
export interface Deferred {
  /** Writes the values into `out` (the deferred tensor, holding storage again). */
  compute(out: Tensor): void;
  /** Lets go of what compute reads (the inputs' storages, retained meanwhile). */
  release(): void;
  /** Runs the producer with max(., 0) in its epilogue into `y` (the storage this tensor handed over) and records y's node. */
  fuseRelu?(y: Tensor): Tensor;
}


export class Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  /** @internal The kernels of this tensor's device: every op on it runs through these. */
  backend: Backend;
  /** Number of elements. */
  readonly size: number;
  /** @internal */ storage: Storage;
  /** @internal Offset in elements into the storage. */
  offset: number;

  /** Whether gradients flow to this tensor (set on parameters; propagated by ops). */
  requiresGrad = false;
  /**
   * Accumulated gradient after `backward()`, for tensors with `requiresGrad`. It may be set by
   * hand, as in PyTorch (`p.grad = t`, a float32 tensor of p's shape, or null for zero): an
   * optimizer reads it at its next step() — copying it into its gradient arena, after which
   * `p.grad` is the arena's view again — and leaves `t` to its owner.
   */
  grad: Tensor | null = null;
  /** @internal The op that produced this tensor, when it is part of a recorded graph. */
  gradFn: GradNode | null = null;
  private released = false;
  /** @internal The values' kernel, while it has not run (see Deferred); null once the values are in storage. */
  _deferred: Deferred | null = null;
  /** False after `_handOver` gave the storage to a fused activation: the values then need fresh storage. */
  private ownsStorage = true;
  /** @internal The open creation scope this tensor belongs to (autograd/creation_scope.ts), or null. */
  _scope: CreationScope | null = null;
  /** @internal Creation order inside forward scopes (0 outside them): see CreationScope.firstSerial. */
  _serial = 0;
  /**
   * @internal Values kept in the JS heap after backward handed this tensor's device storage
   * back to the pool (see `_parkInJsHeap`); null while the values are on the device.
   */
  private parked: Float32Array | Int32Array | null = null;

  /** @internal Use the creation functions (`tensor`, `zeros`, `randn`, ...) instead. */
  constructor(storage: Storage, offset: number, shape: Shape, dtype: DType) {
    this.storage = storage;
    this.offset = offset;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = shapeSize(shape);
    this.backend = storage.backend;
    noteCreated(this);
  }

  /** The device holding the values ('cpu', or a registered backend's name). */
  get device(): Device {
    return this.backend.device;
  }

  /** @internal A new tensor over fresh (pooled) storage of `backend`'s device. */
  static empty(shape: Shape, dtype: DType, zero: boolean, backend: Backend): Tensor {
    checkShape('tensor', 'shape', shape);
    return new Tensor(Storage.acquire(dtype, shapeSize(shape), zero, backend), 0, shape, dtype);
  }

  /**
   * @internal A new tensor on this tensor's device (PyTorch's new_empty): how ops allocate
   * their results, so a result always lives where its inputs do.
   */
  newEmpty(shape: Shape, dtype: DType = 'float32', zero = false): Tensor {
    return Tensor.empty(shape, dtype, zero, this.backend);
  }

  /** @internal The device buffer, checked to be alive. */
  get buffer(): DeviceBuffer {
    if (this.released) throw new Error('Tensor: the tensor was disposed');
    if (this.parked) this.unpark();
    if (this._deferred) this.materialize();
    return this.storage.buffer;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get disposed(): boolean {
    return this.released || (!this.parked && this.ownsStorage && this.storage.buffer.disposed);
  }

  /** A copy of the elements as a typed array (row-major). */
  toArray(): Float32Array | Int32Array {
    if (this.parked && !this.released) return this.parked.slice();
    return this.buffer.read(this.offset, this.size);
  }

  /** A copy as Float32Array; throws for int32 tensors. */
  toFloat32Array(): Float32Array {
    if (this.dtype !== 'float32') throw new TypeError(`toFloat32Array: the tensor is ${this.dtype}, not float32`);
    return this.toArray() as Float32Array;
  }

  /** Nested arrays, as PyTorch's tolist(). */
  toList(): unknown {
    const flat = Array.from(this.toArray());
    const build = (dim: number, start: number): unknown => {
      if (dim === this.shape.length) return flat[start];
      const stride = shapeSize(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, start + i * stride));
    };
    return build(0, 0);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item: tensor of shape ${formatShape(this.shape)} has ${this.size} elements, expected 1`);
    return this.toArray()[0];
  }

  /** A view with another shape and the same elements; one dimension may be -1. */
  reshape(...shape: number[] | [Shape]): Tensor {
    const dims = (Array.isArray(shape[0]) ? shape[0] : shape) as number[];
    const free = dims.map((d) => (d === -1 ? 0 : d));
    if (!free.every((d) => Number.isSafeInteger(d) && d >= 0) || dims.filter((d) => d === -1).length > 1) {
      rangeError('reshape', 'shape', 'non-negative integers with at most one -1', dims);
    }
    const unknown = dims.indexOf(-1);
    const known = dims.reduce((p, d) => (d === -1 ? p : p * d), 1);
    const resolved = unknown >= 0 ? dims.map((d) => (d === -1 ? this.size / (known || 1) : d)) : dims;
    // A -1 that cannot be resolved to a whole dimension is a size mismatch, not a bad shape.
    if (unknown >= 0 && !Number.isInteger(resolved[unknown])) {
      throw new RangeError(`reshape: cannot view ${formatShape(this.shape)} (${this.size} elements) as ${formatShape(dims)}`);
    }
    checkShape('reshape', 'shape', resolved);
    if (shapeSize(resolved) !== this.size) {
      throw new RangeError(`reshape: cannot view ${formatShape(this.shape)} (${this.size} elements) as ${formatShape(dims)}`);
    }
    const view = this.viewAs(0, resolved);
    const source = this.shape;
    return record(view, 'reshape', [this], (g) => [g.reshape(source)]);
  }

  /** Rows [start, end) of the first dimension, as a view. */
  rows(start: number, end: number = this.shape[0]): Tensor {
    if (this.ndim === 0) throw new RangeError('rows: a scalar tensor has no rows');
    const n = this.shape[0];
    checkInteger('rows', 'start', start);
    checkInteger('rows', 'end', end);
    if (start < 0 || end > n || start > end) {
      throw new RangeError(`rows: range [${start}, ${end}) is outside a first dimension of ${n}`);
    }
    const rowSize = n === 0 ? 0 : this.size / n;
    const view = this.viewAs(start * rowSize, [end - start, ...this.shape.slice(1)]);
    const source = this.shape;
    return record(view, 'rows', [this], (g) => {
      // The gradient of a row slice: zeros with g in the slice's rows (a copy on the device).
      const full = this.newEmpty(source, 'float32', true);
      full.buffer.copyFrom(g.buffer, g.offset, start * rowSize, g.size);
      return [full];
    });
  }

  /** A tensor sharing this one's storage but cut off from the autograd graph. */
  detach(): Tensor {
    return this.viewAs(0, this.shape);
  }

  /** Marks this tensor as a leaf that accumulates gradients. Returns this. */
  requiresGrad_(flag = true): this {
    this.requiresGrad = checkBoolean('requiresGrad_', 'flag', flag);
    return this;
  }

  /**
   * Releases this tensor's hold on its storage now. Views share storage: the memory returns
   * to the pool when the last tensor holding it is disposed (or collected).
   */
  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.gradFn = null;
    if (this.parked) this.parked = null;
    else if (this.ownsStorage) this.storage.release();
    if (this._deferred) {
      this._deferred.release();
      this._deferred = null;
    }
  }

  /** `using x = tensor(...)` frees the native memory at the end of the block, as dispose(). */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * @internal Moves this tensor onto other storage with the same contents (an optimizer's
   * parameter arena), keeping its identity so modules holding it see the change.
   */
  _rebind(storage: Storage, offset: number): void {
    if (this.released) throw new Error('tensor was disposed');
    this._settle();
    if (storage.backend !== this.backend) {
      throw new Error(`rebind: the tensor is on '${this.device}', the storage on '${storage.backend.device}'`);
    }
    if (offset < 0 || offset + this.size > storage.length || storage.dtype !== this.dtype) {
      throw new RangeError(`rebind: ${this.size} ${this.dtype} elements do not fit at offset ${offset} of a ${storage.length}-element ${storage.dtype} storage`);
    }
    storage.buffer.copyFrom(this.storage.buffer, this.offset, offset, this.size);
    this.storage.release();
    this.storage = storage.retain();
    this.offset = offset;
  }

  /**
   * @internal Moves the values onto `backend`'s device in place, keeping this tensor's identity
   * (Module.to moves parameters this way, as PyTorch assigns param.data). The copy goes
   * through the JS heap, the one path every pair of devices has.
   */
  _moveTo(backend: Backend): void {
    if (this.released) throw new Error('to: the tensor was disposed');
    if (backend === this.backend) return;
    const values = this.toArray();
    const storage = Storage.acquire(this.dtype, this.size, false, backend);
    storage.buffer.write(values, 0);
    if (this.parked) this.parked = null;
    else this.storage.release();
    this.storage = storage;
    this.offset = 0;
    this.backend = backend;
  }

  /** `Tensor([2, 3], float32, cpu)`: the shape, dtype and device (never the values). */
  toString(): string {
    return `Tensor(${formatShape(this.shape)}, ${this.dtype}, ${this.device})`;
  }

  /**
   * @internal Copies the values into the JS heap and returns the device storage to the pool
   * (backward does this for results a caller may still hold, such as the loss and the model
   * output, so the next step reuses the memory). The tensor stays on its device: any later
   * kernel use copies the values back into pooled storage of the same device.
   */
  _parkInJsHeap(): void {
    if (this.released || this.parked) return;
    this._settle();
    this.parked = this.storage.buffer.read(this.offset, this.size);
    this.storage.release();
  }

  /** @internal Brings the values into this tensor's own device storage (unparked, computed). */
  _settle(): void {
    if (this.parked) this.unpark();
    if (this._deferred) this.materialize();
  }

  /** @internal Whether the deferred values may still be fused: the storage is still this tensor's, unwritten. */
  get _fusable(): boolean {
    return this._deferred !== null && this.ownsStorage && !this.released;
  }

  /**
   * @internal A new tensor taking over this one's unwritten storage (a fused activation writes
   * it); this tensor keeps its deferred kernel and gets fresh storage if it is ever read.
   */
  _handOver(): Tensor {
    const t = new Tensor(this.storage, this.offset, this.shape, this.dtype);
    this.ownsStorage = false;
    return t;
  }

  private materialize(): void {
    const deferred = this._deferred as Deferred;
    this._deferred = null;
    if (!this.ownsStorage) {
      this.storage = Storage.acquire(this.dtype, this.size, false, this.backend);
      this.offset = 0;
      this.ownsStorage = true;
    }
    try {
      deferred.compute(this);
    } finally {
      deferred.release();
    }
  }

  private unpark(): void {
    const values = this.parked as Float32Array | Int32Array;
    this.parked = null;
    this.storage = Storage.acquire(this.dtype, this.size, false, this.backend);
    this.offset = 0;
    this.storage.buffer.write(values, 0);
  }

  /** A tensor over the same storage starting `delta` elements after this one. */
  private viewAs(delta: number, shape: Shape): Tensor {
    if (this.released) throw new Error('tensor was disposed');
    this._settle();
    return new Tensor(this.storage.retain(), this.offset + delta, shape, this.dtype);
  }
}
