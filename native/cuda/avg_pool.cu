// AvgPool2d and AdaptiveAvgPool2d on the GPU (cpu/pool2d.h's average kernels), on the window
// rules of common/pool_windows.h. Forward: a thread per output sums its window (rows, then
// columns, as the CPU) and divides by the window's divisor. Backward: a thread per input gathers
// dy[o] / divisor(o) over the outputs whose window covers it (avgPoolCovering /
// adaptiveCovering), in ascending output order: the CPU's scatter adds the same terms in the
// same order, and no atomics are needed.
#include "common/pool_windows.h"
#include "geometry.cuh"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

using common::AvgWindow;
using common::PoolGeometry;


// AvgPool2d's windows (the kernel, stride and padding of g).
struct AverageRule {
  bool countIncludePad;
  __device__ AvgWindow window(const PoolGeometry& g, int64_t oh, int64_t ow) const {
    return common::avgPoolWindow(g, oh, ow, countIncludePad);
  }
  __device__ void coveringH(const PoolGeometry& g, int64_t ih, int64_t& lo, int64_t& hi) const {
    common::avgPoolCovering(ih, g.KH, g.strideH, g.padH, g.OH, lo, hi);
  }
  __device__ void coveringW(const PoolGeometry& g, int64_t iw, int64_t& lo, int64_t& hi) const {
    common::avgPoolCovering(iw, g.KW, g.strideW, g.padW, g.OW, lo, hi);
  }
};

// AdaptiveAvgPool2d's windows (only the sizes of g).
struct AdaptiveRule {
  __device__ AvgWindow window(const PoolGeometry& g, int64_t oh, int64_t ow) const {
    return common::adaptivePoolWindow(g, oh, ow);
  }
  __device__ void coveringH(const PoolGeometry& g, int64_t ih, int64_t& lo, int64_t& hi) const {
    common::adaptiveCovering(ih, g.H, g.OH, lo, hi);
  }
  __device__ void coveringW(const PoolGeometry& g, int64_t iw, int64_t& lo, int64_t& hi) const {
    common::adaptiveCovering(iw, g.W, g.OW, lo, hi);
  }
};

template <class Rule>
__global__ void forwardKernel(const float* x, PoolGeometry g, Rule rule, float* y) {
  const int64_t P = g.OH * g.OW, n = g.N * g.C * P;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const float* in = x + (i / P) * g.H * g.W;
    const AvgWindow w = rule.window(g, (i % P) / g.OW, i % g.OW);
    float s = 0.f;
    for (int64_t ih = w.h0; ih < w.h1; ++ih)
      for (int64_t iw = w.w0; iw < w.w1; ++iw) s += in[ih * g.W + iw];
    y[i] = s / w.divisor;
  }
}

template <class Rule>
__global__ void backwardKernel(const float* dy, PoolGeometry g, Rule rule, float* dx) {
  const int64_t P = g.OH * g.OW, plane = g.H * g.W, n = g.N * g.C * plane;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t ih = (i % plane) / g.W, iw = i % g.W;
    const float* grad = dy + (i / plane) * P;
    int64_t h0, h1, w0, w1;
    rule.coveringH(g, ih, h0, h1);
    rule.coveringW(g, iw, w0, w1);
    float s = 0.f;
    for (int64_t oh = h0; oh < h1; ++oh)
      for (int64_t ow = w0; ow < w1; ++ow) s += grad[oh * g.OW + ow] / rule.window(g, oh, ow).divisor;
    dx[i] = s;
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
