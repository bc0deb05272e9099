// MaxPool2d on the GPU (cpu/pool2d.h's maxPool2dForward/Backward), a thread per value on
// common/pool_values.h: the forward takes each window's maximum under PyTorch's rule (the first
// tap starts, a larger value or any NaN takes over) and records ih W + iw of the winner. The
// backward gathers, as PyTorch's CUDA kernel does: a thread per input sums dy over the outputs
// whose window holds it and whose index names it, in ascending output order, so dx is written
// once, with no atomics, in the CPU scatter's summation order. An index naming no position of
// its own window (never one the forward wrote) would get no gradient, so a check pass records
// it as a device error (runtime.cuh), reported at the next read, where the CPU checks on the host.
#include "common/pool_values.h"
#include "geometry.cuh"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

using common::PoolGeometry;

__global__ void forwardKernel(const float* x, PoolGeometry g, float* y, int32_t* indices) {
  const int64_t P = g.OH * g.OW, n = g.N * g.C * P;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    int64_t at;
    y[i] = common::maxPoolValue(x + (i / P) * g.H * g.W, g, (i % P) / g.OW, i % g.OW, at);
    indices[i] = static_cast<int32_t>(at);
  }
}

__global__ void checkKernel(const int32_t* indices, PoolGeometry g, DeviceError* error) {
  const int64_t P = g.OH * g.OW, n = g.N * g.C * P;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    if (!common::maxPoolIndexFits(indices[i], g, (i % P) / g.OW, i % g.OW)) {
      recordDeviceError(error, kPoolIndexOutsideWindow, indices[i], i, g.H * g.W);
    }
  }
}

__global__ void backwardKernel(const float* dy, const int32_t* indices, PoolGeometry g, float* dx) {
  const int64_t P = g.OH * g.OW, plane = g.H * g.W, n = g.N * g.C * plane;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t first = (i / plane) * P;
    dx[i] = common::maxPoolGradValue(dy + first, indices + first, g, (i % plane) / g.W, i % g.W);
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
