/**
 * `optimize(…, { shared })`: read-only tensors (a dataset, say) every trial receives as the
 * objective's second argument. In this thread they are passed as they are; to worker threads
 * (concurrency > 1) they travel as handles — an id of the native memory, a shape and a dtype —
 * and each worker opens the same memory: one copy of the data in the process, whatever the
 * number of workers. The memory lives until the last thread lets go of it, so a worker keeps
 * reading even if the main thread disposes its tensor.
 *
 * The tensors are for reading: a trial that wrote into one would change every other trial's
 * data, concurrently. (Gathering batches, standardizing into a new tensor, or slicing are reads.)
 */
import { Storage } from '../../storage.js';
import { backendFor } from '../../backend/registry.js';
import { Tensor, type DType, type Shape } from '../../tensor.js';
import { isInstance, readSafely, typeError } from '../../validate/index.js';

/** Tensors every trial reads, worker threads included (optimize's `shared` option): the same native memory, not a copy per worker. */
export type SharedTensors = Readonly<Record<string, Tensor>>;

export interface SharedTensorHandle {
  id: number;
  dtype: DType;
  /** Elements of the whole storage (a view may start at `offset`). */
  storageLength: number;
  offset: number;
  shape: Shape;
}

/** `shared` checked (a plain object of live tensors) and copied, so later edits of the caller's object change nothing. */
export function checkShared(fn: string, shared: unknown): SharedTensors {
  if (shared === null || typeof shared !== 'object' || Array.isArray(shared)) typeError(fn, "option 'shared'", 'an object of tensors ({ name: tensor })', shared);
  const entries = readSafely(fn, "option 'shared'", () => Object.entries(shared as Record<string, unknown>));
  for (const [name, t] of entries) {
    if (!isInstance(t, Tensor)) typeError(fn, `option 'shared'.${name}`, 'a Tensor', t);
    if ((t as Tensor).disposed) throw new Error(`${fn}: option 'shared'.${name} is a disposed tensor`);
  }
  return Object.freeze(Object.fromEntries(entries)) as SharedTensors;
}

/** Handles for worker threads; the memory of each tensor becomes shareable. */
export function shareTensors(shared: SharedTensors): Record<string, SharedTensorHandle> {
  const handles: Record<string, SharedTensorHandle> = {};
  for (const [name, t] of Object.entries(shared)) {
    if (t.size === 0) {
      handles[name] = { id: 0, dtype: t.dtype, storageLength: 0, offset: 0, shape: [...t.shape] };
      continue;
    }
    t.buffer; // brings back values a backward pass parked in the JS heap, so the storage is current
    handles[name] = { id: t.storage.share(), dtype: t.dtype, storageLength: t.storage.length, offset: t.offset, shape: [...t.shape] };
  }
  return handles;
}

/** The tensors behind handles, over the shared memory (no copy). */
export function openSharedTensors(handles: Record<string, SharedTensorHandle>): Record<string, Tensor> {
  const cpu = backendFor('cpu'); // shared memory is the CPU's (worker threads of one process)
  const out: Record<string, Tensor> = {};
  for (const [name, h] of Object.entries(handles)) {
    out[name] = h.id === 0 ? Tensor.empty(h.shape, h.dtype, false, cpu) : new Tensor(Storage.openShared(h.dtype, h.storageLength, h.id, cpu), h.offset, h.shape, h.dtype);
  }
  return Object.freeze(out);
}

/** Lets go of this thread's hold on the tensors opened from handles. */
export function closeSharedTensors(tensors: Record<string, Tensor>): void {
  for (const t of Object.values(tensors)) t.dispose();
}
