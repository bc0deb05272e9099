// MaxPool2d on the GPU (cpu/pool2d.h's maxPool2dForward/Backward): a thread per output takes
// the window's maximum under PyTorch's rule (common/pool_windows.h's maxPoolTakes: the first
// tap starts, a larger value or any NaN takes over) and records h W + w of the winner. The
// backward gathers, as PyTorch's CUDA kernel does: a thread per input sums dy over the outputs
// whose window holds it and whose index names it (common/conv_taps.h's tapOutput), in
// ascending output order, so it writes dx once, with no atomics, in the CPU's summation order.
// An index that names no position of its own window (never one the forward wrote) would get
// no gradient there, so a check pass records it as a device error (runtime.cuh), reported at
// the next read, instead of the CPU's host-side check.
#include <cmath>

#include "common/conv_taps.h"
#include "common/pool_windows.h"
#include "geometry.cuh"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

using common::PoolGeometry;
using common::tapInput;
using common::tapOutput;


__global__ void forwardKernel(const float* x, PoolGeometry g, float* y, int32_t* indices) {
  const int64_t P = g.OH * g.OW, n = g.N * g.C * P;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const float* in = x + (i / P) * g.H * g.W;
    const int64_t oh = (i % P) / g.OW, ow = i % g.OW;
    float best = -INFINITY;
    int64_t at = -1;
    for (int64_t kh = 0; kh < g.KH; ++kh) {
      const int64_t ih = tapInput(oh, kh, g.strideH, g.padH, g.dilationH, g.H);
      if (ih < 0) continue;
      for (int64_t kw = 0; kw < g.KW; ++kw) {
        const int64_t iw = tapInput(ow, kw, g.strideW, g.padW, g.dilationW, g.W);
        if (iw < 0) continue;
        const float v = in[ih * g.W + iw];
        if (common::maxPoolTakes(v, best, at < 0)) {
          best = v;
          at = ih * g.W + iw;
        }
      }
    }
    y[i] = best;
    indices[i] = static_cast<int32_t>(at);
  }
}

// Whether input coordinate i is one of output o's taps along an axis.
__device__ bool isTap(int64_t o, int64_t i, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation, int64_t in) {
  for (int64_t k = 0; k < kernel; ++k) {
    if (tapInput(o, k, stride, pad, dilation, in) == i) return true;
  }
  return false;
}

__global__ void checkKernel(const int32_t* indices, PoolGeometry g, DeviceError* error) {
  const int64_t P = g.OH * g.OW, plane = g.H * g.W, n = g.N * g.C * P;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t v = indices[i];
    if (v == -1) continue;  // an empty window: no gradient
    const int64_t oh = (i % P) / g.OW, ow = i % g.OW;
    const bool ok = v >= 0 && v < plane && isTap(oh, v / g.W, g.KH, g.strideH, g.padH, g.dilationH, g.H) &&
                    isTap(ow, v % g.W, g.KW, g.strideW, g.padW, g.dilationW, g.W);
    if (!ok) recordDeviceError(error, kPoolIndexOutsideWindow, v, i, plane);
  }
}

__global__ void backwardKernel(const float* dy, const int32_t* indices, PoolGeometry g, float* dx) {
  const int64_t P = g.OH * g.OW, plane = g.H * g.W, n = g.N * g.C * plane;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t at = i % plane, ih = at / g.W, iw = at % g.W;
    const float* grad = dy + (i / plane) * P;
    const int32_t* idx = indices + (i / plane) * P;
    float s = 0.f;
    // Taps descending: the outputs that read (ih, iw) then come in ascending order.
    for (int64_t kh = g.KH - 1; kh >= 0; --kh) {
      const int64_t oh = tapOutput(ih, kh, g.strideH, g.padH, g.dilationH, g.OH);
      if (oh < 0) continue;
      for (int64_t kw = g.KW - 1; kw >= 0; --kw) {
        const int64_t ow = tapOutput(iw, kw, g.strideW, g.padW, g.dilationW, g.OW);
        if (ow >= 0 && idx[oh * g.OW + ow] == at) s += grad[oh * g.OW + ow];
      }
    }
    dx[i] = s;
  }
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

extern "C" int steepest_cuda_max_pool2d_forward(const float* x, const int64_t* geometry, float* y, int32_t* indices) {
  const PoolGeometry g = poolGeometryOf(geometry);
  const int64_t n = g.N * g.C * g.OH * g.OW;
  if (n == 0) return STEEPEST_CUDA_OK;
  forwardKernel<<<blocksFor(n), kThreads, 0, stream()>>>(x, g, y, indices);
  return checkLaunch("maxPool2d");
}

extern "C" int steepest_cuda_max_pool2d_backward(const float* dy, const int32_t* indices, const int64_t* geometry,
                                                 float* dx) {
  const PoolGeometry g = poolGeometryOf(geometry);
  const int64_t outputs = g.N * g.C * g.OH * g.OW, inputs = g.N * g.C * g.H * g.W;
  DeviceError* error = deviceErrorSlot();
  if (error == nullptr) return fail("maxPool2d backward: no device error slot");
  if (outputs > 0) checkKernel<<<blocksFor(outputs), kThreads, 0, stream()>>>(indices, g, error);
  if (inputs > 0) backwardKernel<<<blocksFor(inputs), kThreads, 0, stream()>>>(dy, indices, g, dx);
  return checkLaunch("maxPool2d backward");
}
