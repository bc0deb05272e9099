/**
 * The CUDA backend: the same addon entry points as the CPU backend, with device memory. The
 * N-API layer dispatches each call on its buffers' device tag (native/napi/args.h,
 * runOnDeviceOf), so a kernel with a CUDA implementation (native/cuda/*.cu: fill, the binary
 * and unary ops and their backward, reductions and argmax, the non-finite scan, GEMM and the
 * Linear backward, cross-entropy/NLL, the fused optimizer step, random fills and dropout,
 * Conv2d forward and backward and ConvTranspose2d's forward, max / average / adaptive average
 * pooling and their backward, the LSTM / GRU sequence kernels) runs there, and one without
 * refuses device memory with an error naming the buffer and the device instead of reading it.
 * Buffers come from the CUDA library's caching allocator; read/write/copyFrom copy between the
 * device and the JS heap (or within the device) on the backend's stream.
 */
import { addon } from './addon.js';
import type { Backend, DType } from './backend.js';
import { cpuBackend } from './cpu.js';

export const cudaBackend: Backend = {
  ...cpuBackend,
  device: 'cuda',
  allocate: (dtype: DType, length, zero) => new addon.NativeBuffer(dtype, length, { device: 'cuda', zero }),
  // Device memory is not shared between threads through the addon's shared blocks.
  shareBuffer: undefined,
  openSharedBuffer: undefined,
};
