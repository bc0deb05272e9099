/**
 * Storage: a native buffer shared by a tensor and its views, with a count of the tensors that
 * hold it. When the last holder is disposed the buffer goes back to a pool keyed by
 * (device, dtype, length), so steady-state training reuses memory instead of allocating per step.
 * Buffers whose tensors are simply dropped are freed by the native GC finalizer.
 *
 * A storage can be shared with worker threads of this process (parallel tuning trials read one
 * dataset): its memory then belongs to a native block counted by holders in every thread
 * (native/napi/shared_block.h), and it is never pooled, since another thread may still read it.
 */
import type { Backend, DeviceBuffer as NativeBuffer, DType as NativeDType } from './backend/backend.js';

/** Bytes kept in the pool at most; beyond it released buffers are freed at once. */
const POOL_LIMIT_BYTES = 256 * 1024 * 1024;

const pool = new Map<string, NativeBuffer[]>();
let pooledBytes = 0;

const key = (device: string, dtype: NativeDType, length: number) => `${device}:${dtype}:${length}`;

export class Storage {
  refs = 1;
  /** Whether other threads may hold this memory (share() or openShared()). */
  private sharedMemory = false;
  // dtype and length are kept in JS: reading them from the buffer is a native call each time.
  private constructor(readonly buffer: NativeBuffer, readonly dtype: NativeDType, readonly length: number,
    readonly backend: Backend) {}

  /** A storage of `length` elements on `backend`'s device; zero-filled when `zero`, otherwise contents are arbitrary. */
  static acquire(dtype: NativeDType, length: number, zero: boolean, backend: Backend): Storage {
    const list = pool.get(key(backend.device, dtype, length));
    const reused = list?.pop();
    if (reused) {
      pooledBytes -= length * 4;
      if (zero) backend.fill(reused, 0, length, 0);
      return new Storage(reused, dtype, length, backend);
    }
    return new Storage(backend.allocate(dtype, length, zero), dtype, length, backend);
  }

  /** The id another thread opens with Storage.openShared (the memory stays until every holder lets go). */
  share(): number {
    if (!this.backend.shareBuffer) throw new Error(`share: tensors on '${this.backend.device}' cannot be shared between threads`);
    const id = this.backend.shareBuffer(this.buffer);
    this.sharedMemory = true;
    return id;
  }

  /** The memory another thread shared, as a storage of this thread on `backend` (no copy). */
  static openShared(dtype: NativeDType, length: number, id: number, backend: Backend): Storage {
    if (!backend.openSharedBuffer) throw new Error(`share: tensors on '${backend.device}' cannot be shared between threads`);
    const storage = new Storage(backend.openSharedBuffer(dtype, length, id), dtype, length, backend);
    storage.sharedMemory = true;
    return storage;
  }

  retain(): this {
    this.refs++;
    return this;
  }

  /** Drops one holder; the last one returns the buffer to the pool (or frees it). */
  release(): void {
    if (this.refs <= 0) return;
    if (--this.refs > 0) return;
    const buffer = this.buffer;
    const bytes = this.length * 4;
    if (bytes === 0 || buffer.disposed) return;
    if (this.sharedMemory || pooledBytes + bytes > POOL_LIMIT_BYTES) {
      buffer.dispose();
      return;
    }
    const k = key(this.backend.device, this.dtype, this.length);
    let list = pool.get(k);
    if (!list) pool.set(k, (list = []));
    list.push(buffer);
    pooledBytes += bytes;
  }
}

/** Frees every pooled buffer (for tests and for releasing memory after training). */
export function emptyPool(): void {
  for (const list of pool.values()) for (const b of list) b.dispose();
  pool.clear();
  pooledBytes = 0;
}
