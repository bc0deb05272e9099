// Sums and maxima across a warp and across a block, for the row and channel kernels (softmax,
// masked softmax, batch norm, pointwise losses). Shuffles within a warp; a block's warps meet
// in shared memory, and every thread adds the warps' partials in the same order, so the result
// is deterministic and reaches every thread.
#pragma once
#include "runtime.cuh"

namespace steepest::cuda {

constexpr int kWarp = 32;
constexpr unsigned kFullWarp = 0xffffffffu;

// Called by all 32 lanes of a warp; every lane gets the warp's total.
template <typename T>
__device__ __forceinline__ T warpSum(T v) {
  for (int offset = kWarp / 2; offset > 0; offset >>= 1) v += __shfl_xor_sync(kFullWarp, v, offset);
  return v;
}

// `combine` must be commutative and associative over the partials (see common/softmax.h's max).
template <typename T, typename Combine>
__device__ __forceinline__ T warpReduce(T v, Combine combine) {
  for (int offset = kWarp / 2; offset > 0; offset >>= 1) v = combine(v, __shfl_xor_sync(kFullWarp, v, offset));
  return v;
}

// Called by every thread of a block of kThreads; every thread gets the block's total.
template <typename T>
__device__ __forceinline__ T blockSum(T v) {
  __shared__ T partial[kThreads / kWarp];
  v = warpSum(v);
  if (threadIdx.x % kWarp == 0) partial[threadIdx.x / kWarp] = v;
  __syncthreads();
  T total = 0;
  for (int w = 0; w < kThreads / kWarp; ++w) total += partial[w];
  __syncthreads();  // the next call may overwrite `partial`
  return total;
}

// The lane of this thread in its warp, and the warp's index over the whole grid (one row each).
__device__ __forceinline__ int laneIndex() { return threadIdx.x % kWarp; }
__device__ __forceinline__ int64_t gridWarp() { return (blockIdx.x * int64_t(blockDim.x) + threadIdx.x) / kWarp; }
__device__ __forceinline__ int64_t gridWarps() { return int64_t(gridDim.x) * (blockDim.x / kWarp); }

// Blocks of kThreads giving one warp to each of `rows` rows (grid-stride beyond 65535 blocks).
inline unsigned blocksForRows(int64_t rows) { return blocksFor(rows * kWarp); }

}  // namespace steepest::cuda
