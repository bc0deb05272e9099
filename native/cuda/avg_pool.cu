// AvgPool2d and AdaptiveAvgPool2d on the GPU (cpu/pool2d.h's average kernels), a thread per
// value on common/pool_values.h and the window rules of common/pool_windows.h. Forward: each
// output is its window's mean (rows, then columns, as the CPU sums). Backward: each input
// gathers dy[o] / divisor(o) over the outputs whose window covers it, in ascending output
// order: the CPU's scatter adds the same terms in the same order, and no atomics are needed.
#include "common/pool_values.h"
#include "geometry.cuh"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

using common::AdaptiveRule;
using common::AverageRule;
using common::PoolGeometry;

template <class Rule>
__global__ void forwardKernel(const float* x, PoolGeometry g, Rule rule, float* y) {
  const int64_t P = g.OH * g.OW, n = g.N * g.C * P;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    y[i] = common::windowMean(x + (i / P) * g.H * g.W, g.W, rule.window(g, (i % P) / g.OW, i % g.OW));
  }
}

template <class Rule>
__global__ void backwardKernel(const float* dy, PoolGeometry g, Rule rule, float* dx) {
  const int64_t plane = g.H * g.W, n = g.N * g.C * plane;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    dx[i] = common::averageGradValue(dy + (i / plane) * g.OH * g.OW, g, rule, (i % plane) / g.W, i % g.W);
  }
}

// One thread per value written: the outputs forwards, the inputs backwards.
template <class Rule>
int run(bool backward, const float* src, const int64_t* geometry, Rule rule, float* dst, const char* what) {
  const PoolGeometry g = poolGeometryOf(geometry);
  const int64_t n = g.N * g.C * (backward ? g.H * g.W : g.OH * g.OW);
  if (n == 0) return STEEPEST_CUDA_OK;
  if (backward) backwardKernel<<<blocksFor(n), kThreads, 0, stream()>>>(src, g, rule, dst);
  else forwardKernel<<<blocksFor(n), kThreads, 0, stream()>>>(src, g, rule, dst);
  return checkLaunch(what);
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

extern "C" int steepest_cuda_avg_pool2d_forward(const float* x, const int64_t* geometry, int count_include_pad, float* y) {
  return run(false, x, geometry, AverageRule{count_include_pad != 0}, y, "avgPool2d");
}

extern "C" int steepest_cuda_avg_pool2d_backward(const float* dy, const int64_t* geometry, int count_include_pad,
                                                 float* dx) {
  return run(true, dy, geometry, AverageRule{count_include_pad != 0}, dx, "avgPool2d backward");
}

extern "C" int steepest_cuda_adaptive_avg_pool2d_forward(const float* x, const int64_t* geometry, float* y) {
  return run(false, x, geometry, AdaptiveRule{}, y, "adaptiveAvgPool2d");
}

extern "C" int steepest_cuda_adaptive_avg_pool2d_backward(const float* dy, const int64_t* geometry, float* dx) {
  return run(true, dy, geometry, AdaptiveRule{}, dx, "adaptiveAvgPool2d backward");
}
