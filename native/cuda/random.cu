// Random fills and dropout on the GPU from the counter-based generator (common/rng.h): element
// i of a fill started at stream position `offset` is draw (seed, offset + i), so a tensor filled
// here holds the same bits as one filled by the CPU, and dropout drops the same elements.
#include "common/dropout.h"
#include "common/rng.h"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

__global__ void uniformKernel(float* out, int64_t n, uint64_t seed, uint64_t offset, float low, float span) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    out[i] = uniformElement(seed, offset + static_cast<uint64_t>(i), low, span);
  }
}

__global__ void normalKernel(float* out, int64_t n, uint64_t seed, uint64_t offset, float mean, float std) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    out[i] = normalElement(seed, offset + static_cast<uint64_t>(i), mean, std);
  }
}

__global__ void dropoutKernel(const float* x, float* out, int64_t n, float p, float scale, uint64_t seed,
                              uint64_t offset) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    out[i] = dropoutElement(x[i], p, scale, seed, offset + static_cast<uint64_t>(i));
  }
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

extern "C" int steepest_cuda_random_uniform(float* out, int64_t n, uint64_t seed, uint64_t offset, float low, float high) {
  if (n <= 0) return STEEPEST_CUDA_OK;
  uniformKernel<<<blocksFor(n), kThreads, 0, stream()>>>(out, n, seed, offset, low, high - low);
  return checkLaunch("randomUniform");
}

extern "C" int steepest_cuda_random_normal(float* out, int64_t n, uint64_t seed, uint64_t offset, float mean, float std) {
  if (n <= 0) return STEEPEST_CUDA_OK;
  normalKernel<<<blocksFor(n), kThreads, 0, stream()>>>(out, n, seed, offset, mean, std);
  return checkLaunch("randomNormal");
}

// scale = 1 / (1 - p), or 0 when p == 1, as the CPU kernel (cpu/dropout.cc).
extern "C" int steepest_cuda_dropout(const float* x, float* out, int64_t n, float p, uint64_t seed, uint64_t offset) {
  if (n <= 0) return STEEPEST_CUDA_OK;
  const float scale = p < 1.f ? 1.f / (1.f - p) : 0.f;
  dropoutKernel<<<blocksFor(n), kThreads, 0, stream()>>>(x, out, n, p, scale, seed, offset);
  return checkLaunch("dropout");
}
