/**
 * The GPU part of `steepest bench gpu` and `npm run bench:gpu`: with CUDA unavailable it reports
 * why (the probe's reason, as `cuda.unavailableReason()`) and times nothing; with a GPU, the
 * figures of gpu_figures.ts (matmul against raw cuBLAS, fused Adam against a device copy, the
 * handbook MLP epoch).
 */
import * as cuda from '../cuda/index.js';
import { formatGpuFigures, gpuFigures, type GpuFigures } from './gpu_figures.js';

export interface GpuResult {
  bench: 'gpu';
  available: boolean;
  reason: string | null;
  devices: cuda.CudaDevice[];
  /** The figures, where a GPU ran them. */
  figures: GpuFigures | null;
  /** What was measured, or why nothing was. */
  note: string;
}

export function benchGpu(): GpuResult {
  const available = cuda.isAvailable();
  const figures = available ? gpuFigures() : null;
  return {
    bench: 'gpu', available, reason: cuda.unavailableReason(), devices: cuda.devices(), figures,
    note: available ? 'GEMM vs raw cuBLAS, fused Adam vs device copy, handbook MLP epoch' : `no GPU (${cuda.unavailableReason()})`,
  };
}

export function formatGpu(r: GpuResult): string {
  const devices = r.devices.map((d, i) => `cuda:${i} ${d.name}, ${(d.totalBytes / 1024 ** 3).toFixed(1)} GiB`);
  return [...devices, r.note, ...(r.figures ? [formatGpuFigures(r.figures)] : [])].join('\n') + '\n';
}
