/** Process-wide settings of the native runtime. */
import { native, type MemoryStats } from './backend/native.js';
import { checkInteger } from './validate/index.js';

/** Threads the native kernels use (default: the number of cores, or STEEPEST_NUM_THREADS). */
export const numThreads = (): number => native.numThreads();

/** Sets the native thread count, as torch.set_num_threads. */
export function setNumThreads(n: number): void {
  checkInteger('setNumThreads', 'n', n, { min: 1, max: 256 });
  native.setNumThreads(n);
}

/** Native allocation counters: allocations, frees and live bytes since the process started. */
export const memoryStats = (): MemoryStats => native.memoryStats();
