// Reductions over axis n of a viewed as [outer, n, inner] (cpu/reduce.cc's semantics: sum and
// mean accumulate in double, max and min propagate NaN, argmax takes the first maximum or the
// first NaN). One block per output item, its threads striding over the axis, then a tree in
// shared memory: the sum's rounding differs from the CPU's sequential double sum only in the
// last bits of the double, below float resolution.
#include <cmath>

#include "runtime.cuh"

namespace steepest::cuda {
namespace {

constexpr int kSum = 0, kMean = 1, kMax = 2, kMin = 3;

__global__ void reduceKernel(int op, const float* a, int64_t outer, int64_t n, int64_t inner, float* out) {
  __shared__ double partial[kThreads];
  __shared__ float best[kThreads];
  const bool isMax = op == kMax;
  for (int64_t item = blockIdx.x; item < outer * inner; item += gridDim.x) {
    const float* p = a + (item / inner) * n * inner + item % inner;
    double s = 0;
    float b = isMax ? -INFINITY : INFINITY;
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x) {
      const float v = p[k * inner];
      s += v;
      if (v != v || (isMax ? v > b : v < b)) b = (b != b) ? b : v;  // a NaN stays once seen
    }
    partial[threadIdx.x] = s;
    best[threadIdx.x] = b;
    __syncthreads();
    for (int stride = kThreads / 2; stride > 0; stride >>= 1) {
      if (threadIdx.x < stride) {
        partial[threadIdx.x] += partial[threadIdx.x + stride];
        const float o = best[threadIdx.x + stride], m = best[threadIdx.x];
        if (m == m && (o != o || (isMax ? o > m : o < m))) best[threadIdx.x] = o;
      }
      __syncthreads();
    }
    if (threadIdx.x == 0) {
      out[item] = op == kSum ? static_cast<float>(partial[0])
                  : op == kMean ? static_cast<float>(partial[0] / static_cast<double>(n))
                                : best[0];
    }
    __syncthreads();
  }
}

// First index of the maximum (or of the first NaN) along the axis: each thread keeps its own
// (value, index), the tree keeps the better one, ties and NaNs going to the lower index.
__global__ void argmaxKernel(const float* a, int64_t outer, int64_t n, int64_t inner, int32_t* out) {
  __shared__ float value[kThreads];
  __shared__ int64_t index[kThreads];
  for (int64_t item = blockIdx.x; item < outer * inner; item += gridDim.x) {
    const float* p = a + (item / inner) * n * inner + item % inner;
    float bv = -INFINITY;
    int64_t bi = -1;
    for (int64_t k = threadIdx.x; k < n; k += blockDim.x) {
      const float v = p[k * inner];
      if (bi >= 0 && bv != bv) break;  // a NaN already found: later ones cannot win
      if (bi < 0 || v != v || v > bv) {
        bv = v;
        bi = k;
      }
    }
    value[threadIdx.x] = bv;
    index[threadIdx.x] = bi;
    __syncthreads();
    for (int stride = kThreads / 2; stride > 0; stride >>= 1) {
      if (threadIdx.x < stride) {
        const float ov = value[threadIdx.x + stride], mv = value[threadIdx.x];
        const int64_t oi = index[threadIdx.x + stride], mi = index[threadIdx.x];
        bool take = false;
        if (oi >= 0) {
          if (mi < 0) take = true;
          else if (mv != mv) take = ov != ov && oi < mi;
          else if (ov != ov) take = true;
          else take = ov > mv || (ov == mv && oi < mi);
        }
        if (take) {
          value[threadIdx.x] = ov;
          index[threadIdx.x] = oi;
        }
      }
      __syncthreads();
    }
    if (threadIdx.x == 0) out[item] = static_cast<int32_t>(index[0] < 0 ? 0 : index[0]);
    __syncthreads();
  }
}

__global__ void firstNonFiniteKernel(const float* a, int64_t n, unsigned long long* first) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    if (!isfinite(a[i])) atomicMin(first, static_cast<unsigned long long>(i));
  }
}

unsigned gridItems(int64_t items) { return static_cast<unsigned>(items < 1 ? 1 : (items > 65535 ? 65535 : items)); }

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

extern "C" int steepest_cuda_reduce(int op, const float* a, int64_t outer, int64_t n, int64_t inner, float* out) {
  if (op < kSum || op > kMin) return fail("reduce: unknown op code " + std::to_string(op));
  if (outer * inner == 0) return STEEPEST_CUDA_OK;
  reduceKernel<<<gridItems(outer * inner), kThreads, 0, stream()>>>(op, a, outer, n, inner, out);
  return checkLaunch("reduce");
}

extern "C" int steepest_cuda_argmax(const float* a, int64_t outer, int64_t n, int64_t inner, int32_t* out) {
  if (outer * inner == 0) return STEEPEST_CUDA_OK;
  argmaxKernel<<<gridItems(outer * inner), kThreads, 0, stream()>>>(a, outer, n, inner, out);
  return checkLaunch("argmax");
}

// Index of the first NaN or infinity, or -1: the answer is read by the host (one synchronization).
extern "C" int steepest_cuda_first_non_finite(const float* a, int64_t n, int64_t* index) {
  *index = -1;
  if (n == 0) return STEEPEST_CUDA_OK;
  void* slot = nullptr;
  int status = steepest_cuda_malloc(sizeof(unsigned long long), &slot);
  if (status != STEEPEST_CUDA_OK) return status;
  auto* first = static_cast<unsigned long long*>(slot);
  cudaMemsetAsync(first, 0xff, sizeof *first, stream());
  firstNonFiniteKernel<<<blocksFor(n), kThreads, 0, stream()>>>(a, n, first);
  unsigned long long found = ~0ull;
  status = checkLaunch("firstNonFinite");
  if (status == STEEPEST_CUDA_OK) status = steepest_cuda_copy(&found, first, sizeof found, STEEPEST_CUDA_DEVICE_TO_HOST);
  steepest_cuda_free(slot);
  if (status == STEEPEST_CUDA_OK && found != ~0ull) *index = static_cast<int64_t>(found);
  return status;
}
