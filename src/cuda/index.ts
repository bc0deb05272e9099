/**
 * Whether the CUDA backend can run here, and why not (`cuda.isAvailable()`,
 * `cuda.unavailableReason()`), as torch.cuda.is_available(). The addon opens
 * libsteepest_cuda.so from its own folder and lets it probe the driver, the GPUs and cuBLAS
 * (native/napi/cuda_napi.cc); the CPU package never needs any of it. The reasons:
 *   'backend not built'                    no libsteepest_cuda.so beside the addon (a CPU build)
 *   'no NVIDIA driver'                     libcuda.so.1 cannot be opened
 *   'driver older than the CUDA runtime'   the driver predates the CUDA 13 runtime built in
 *   'no NVIDIA GPU'                        a driver, but no device
 *   'cuBLAS not found'                     neither libcublas.so.13 nor .12 can be opened
 * The probe runs once per process; its answer does not change while the process lives.
 *
 * @module
 */
import { cudaEmptyCache, cudaMemoryStats, cudaSetTf32, cudaStatus, cudaSynchronize, type CudaMemoryStats } from '../backend/host.js';
import { checkBoolean } from '../validate/index.js';

export type { CudaMemoryStats };

/** A GPU the CUDA backend sees: its name and its memory in bytes. */
export interface CudaDevice {
  name: string;
  totalBytes: number;
}

interface CudaStatus {
  available: boolean;
  reason: string | null;
  /** The backend library opened, or null. */
  library: string | null;
  devices: CudaDevice[];
}

let status: CudaStatus | null = null;
const probe = (): CudaStatus => (status ??= cudaStatus());

/** Whether tensors can be placed on 'cuda'. */
export function isAvailable(): boolean {
  return probe().available;
}

/** Why the CUDA backend cannot run here, or null when it can. */
export function unavailableReason(): string | null {
  return probe().reason;
}

/** The GPUs the backend sees (empty when unavailable). */
export function devices(): CudaDevice[] {
  return probe().devices.map((d) => ({ ...d }));
}

/** The number of GPUs (0 when unavailable), as torch.cuda.device_count(). */
export function deviceCount(): number {
  return probe().devices.length;
}

/** Where the backend library was loaded from, or null when none was. */
export function libraryPath(): string | null {
  return probe().library;
}

/**
 * The CUDA caching allocator's counters, as torch.cuda.memory_allocated / memory_reserved:
 * device bytes held by tensors, bytes held from the driver, and cudaMalloc calls so far (flat
 * once training reaches its steady state). Throws where CUDA is unavailable.
 */
export function memoryStats(): CudaMemoryStats {
  return cudaMemoryStats();
}

/** Waits for every queued kernel and copy (torch.cuda.synchronize); timing code needs it. */
export function synchronize(): void {
  cudaSynchronize();
}

/** Returns the cached, unused device memory to the driver (torch.cuda.empty_cache). */
export function emptyCache(): void {
  cudaEmptyCache();
}

/**
 * TF32 tensor-core products in matrix multiplication (torch.backends.cuda.matmul.allow_tf32):
 * about 10 bits of mantissa per product instead of 23, much faster on Ampere and later. Off by
 * default, so results match the CPU's float32 to rounding.
 */
export function setAllowTF32(on: boolean): void {
  checkBoolean('cuda.setAllowTF32', 'on', on);
  cudaSetTf32(on);
}
