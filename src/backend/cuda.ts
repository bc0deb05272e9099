/**
 * The CUDA backend: the same addon entry points as the CPU backend, with device memory. The
 * N-API layer dispatches each call on its buffers' device tag (native/napi/args.h,
 * runOnDeviceOf), so a kernel with a CUDA implementation (native/cuda/*.cu: fill, the binary
 * and unary ops and their backward, reductions and argmax, the non-finite scan, GEMM and the
 * Linear backward, cross-entropy/NLL, the fused optimizer step, random fills and dropout,
 * softmax and log-softmax, attention's masked softmax, batch norm (so LayerNorm and GroupNorm's
 * normalization), the pointwise losses, transpose, the strided copy, binary op and where,
 * gatherRows, indexSelect, indexAdd, scatterAddRows, the loader's gatherBatch and oneHot,
 * Conv2d forward and backward and ConvTranspose2d's forward, max / average / adaptive average
 * pooling and their backward, the LSTM / GRU sequence kernels) runs there, and one without refuses device memory with an error naming the buffer and the device
 * instead of reading it. int32 values (where, indexSelect on int32) stay CPU-only.
 *
 * Index and label values on the device are checked by the kernels, which cannot wait for the
 * host: a bad one fails the next read from the device, naming the op (as PyTorch's device-side
 * asserts do). The scatter-adds are deterministic (sorted, not atomic: the CPU's sums, bit for
 * bit). The samplers and the dataset statistics (randperm, randomIndex, weightedIndex,
 * columnStats, knn, smoteInterpolate) stay CPU-only, since datasets are loaded, split and
 * sampled on the host as PyTorch's DataLoader samplers are; they refuse device memory. The
 * DataLoader draws each epoch's order on the host and copies it once to a TensorDataset that
 * lives on the GPU, whose batches are then gathered there.
 *
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
