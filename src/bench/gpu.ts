/**
 * The GPU part of `steepest bench gpu`: with CUDA unavailable it reports why (the probe's reason,
 * as `cuda.unavailableReason()`); with a GPU, the GPU benchmarks — none exist yet (the CUDA
 * kernels are written but bench:gpu is not), and the result says so rather than timing nothing.
 */
import * as cuda from '../cuda/index.js';

export interface GpuResult {
  bench: 'gpu';
  available: boolean;
  reason: string | null;
  devices: cuda.CudaDevice[];
  /** What was measured, or why nothing was. */
  note: string;
}

export function benchGpu(): GpuResult {
  const available = cuda.isAvailable();
  return {
    bench: 'gpu', available, reason: cuda.unavailableReason(), devices: cuda.devices(),
    note: available ? 'no GPU benchmarks exist yet (bench:gpu is not written)' : `no GPU (${cuda.unavailableReason()})`,
  };
}

export function formatGpu(r: GpuResult): string {
  const devices = r.devices.map((d, i) => `cuda:${i} ${d.name}, ${(d.totalBytes / 1024 ** 3).toFixed(1)} GiB`);
  return [...devices, r.note].join('\n') + '\n';
}
