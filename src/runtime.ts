/** Settings of the native runtime. */
import * as host from './backend/host.js';
import type { MemoryStats } from './backend/host.js';
import { checkInteger } from './validate/index.js';

/** Threads the native kernels called from this JS thread use (default: the number of cores, or STEEPEST_NUM_THREADS). */
export const numThreads = (): number => host.numThreads();

/**
 * Sets the native thread count of the calling JS thread, as torch.set_num_threads; each worker
 * thread has its own (a worker that never sets one uses the default).
 */
export function setNumThreads(n: number): void {
  checkInteger('setNumThreads', 'n', n, { min: 1, max: 256 });
  host.setNumThreads(n);
}

/** Native allocation counters: allocations, frees and live bytes since the process started. */
export const memoryStats = (): MemoryStats => host.memoryStats();
