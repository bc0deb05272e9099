/**
 * Services of the native runtime that belong to no device: the CPU thread pool, the native
 * allocation counters, and float64 linear algebra on JS arrays (the tuner's Gaussian process).
 */
import { createRequire } from 'node:module';
import { addon, packageRoot } from './addon.js';

export type { MemoryStats } from './addon.js';

export const numThreads = (): number => addon.numThreads();
export const setNumThreads = (n: number): void => addon.setNumThreads(n);
export const memoryStats = () => addon.memoryStats();

/** In place: the lower triangle of `a` (n x n, row-major) becomes L with A = L L^T; false if not positive definite. */
export const choleskyF64 = (a: Float64Array, n: number): boolean => addon.choleskyF64(a, n);
/** In place: b (n x m) becomes L^-1 b, or L^-T b with `transpose`. */
export const triangularSolveF64 = (l: Float64Array, n: number, b: Float64Array, m: number, transpose: boolean): void =>
  addon.triangularSolveF64(l, n, b, m, transpose);
/** (L L^T)^-1 from the factor L into `out` (n x n). */
export const choleskyInverseF64 = (l: Float64Array, n: number, out: Float64Array): void =>
  addon.choleskyInverseF64(l, n, out);

/** The GEMM kernel family in use, and those this CPU can run (native/cpu/gemm.h). */
export const gemmIsa = (): string => addon.gemmIsa();
export const gemmIsas = (): string[] => addon.gemmIsas();

/** The file of the loaded addon (a prebuilt binary or a local build). */
export const addonPath = (): string => (createRequire(import.meta.url)('node-gyp-build') as { path(dir: string): string }).path(packageRoot);

/** The CUDA backend library's probe (native/napi/cuda_napi.cc). */
export interface CudaProbe {
  available: boolean;
  reason: string | null;
  library: string | null;
  devices: { name: string; totalBytes: number }[];
}
export const cudaStatus = (): CudaProbe => addon.cudaStatus();

/** The CUDA caching allocator's counters (throws where CUDA is unavailable). */
export interface CudaMemoryStats {
  /** Bytes held by live device tensors. */
  allocatedBytes: number;
  /** Bytes the allocator holds from the driver: live plus cached for reuse. */
  reservedBytes: number;
  /** cudaMalloc calls so far; flat in steady-state training. */
  deviceMallocs: number;
}
export const cudaMemoryStats = (): CudaMemoryStats => addon.cudaMemoryStats();
export const cudaSynchronize = (): void => addon.cudaSynchronize();
export const cudaEmptyCache = (): void => addon.cudaEmptyCache();
export const cudaSetTf32 = (on: boolean): void => addon.cudaSetTf32(on);

export { packageRoot };
