// im2col and col2im kernels (im2col.cuh): one thread per col entry, and one per input element
// for col2im, which gathers its own taps (common/conv_taps.h's col2imValue) instead of
// scattering with atomics, so dx is written once, in a fixed summation order.
#include "common/conv_taps.h"
#include "im2col.cuh"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

using common::ConvGeometry;

__global__ void im2colKernel(const float* x, ConvGeometry g, int64_t count, float* col) {
  const int64_t P = g.OH * g.OW, rows = g.C * g.KH * g.KW, image = g.C * g.H * g.W, n = count * rows * P;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t p = i % P, row = (i / P) % rows, img = i / (P * rows);
    col[i] = common::im2colValue(x + img * image, g, row, p);
  }
}

__global__ void col2imKernel(const float* col, ConvGeometry g, int64_t count, float* dx) {
  const int64_t plane = g.H * g.W, image = g.C * plane, colImage = g.C * g.KH * g.KW * g.OH * g.OW;
  const int64_t n = count * image;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t iw = i % g.W, ih = (i / g.W) % g.H, c = (i / plane) % g.C, img = i / image;
    dx[i] = common::col2imValue(col + img * colImage, g, c, ih, iw);
  }
}

}  // namespace

int im2col(const float* x, const ConvGeometry& g, int64_t count, float* col) {
  const int64_t n = count * g.C * g.KH * g.KW * g.OH * g.OW;
  if (n == 0) return STEEPEST_CUDA_OK;
  im2colKernel<<<blocksFor(n), kThreads, 0, stream()>>>(x, g, count, col);
  return checkLaunch("im2col");
}

int col2im(const float* col, const ConvGeometry& g, int64_t count, float* dx) {
  const int64_t n = count * g.C * g.H * g.W;
  if (n == 0) return STEEPEST_CUDA_OK;
  col2imKernel<<<blocksFor(n), kThreads, 0, stream()>>>(col, g, count, dx);
  return checkLaunch("col2im");
}

}  // namespace steepest::cuda
