// Element-wise kernels: fill, binary ops over the four broadcast layouts, scalar forms, unary
// functions and their backward passes. The per-element math is common/elementwise.h's, the
// same functions the CPU kernels run; each kernel is instantiated per op, so a thread runs no
// op switch.
#include "common/elementwise.h"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

__global__ void fillKernel(float* out, int64_t n, float value) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    out[i] = value;
  }
}

// Element (r, c) of an operand laid over a [rows, cols] output by `mode`.
__device__ __forceinline__ float at(const float* p, Broadcast mode, int64_t r, int64_t c, int64_t cols) {
  switch (mode) {
    case Broadcast::Full: return p[r * cols + c];
    case Broadcast::Row: return p[c];
    case Broadcast::Column: return p[r];
    default: return p[0];
  }
}

template <BinaryOp Op>
__global__ void binaryKernel(const float* a, Broadcast am, const float* b, Broadcast bm, float* out, int64_t rows,
                             int64_t cols) {
  const int64_t n = rows * cols;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t r = i / cols, c = i - r * cols;
    out[i] = binaryValue<Op>(at(a, am, r, c, cols), at(b, bm, r, c, cols));
  }
}

template <BinaryOp Op>
__global__ void scalarKernel(const float* a, float s, bool scalarFirst, float* out, int64_t n) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    out[i] = scalarFirst ? binaryValue<Op>(s, a[i]) : binaryValue<Op>(a[i], s);
  }
}

template <UnaryOp Op>
__global__ void unaryKernel(const float* x, float* out, int64_t n, float p1, float p2) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    out[i] = unaryValue<Op>(x[i], p1, p2);
  }
}

template <UnaryOp Op>
__global__ void unaryBackwardKernel(const float* x, const float* g, float* out, int64_t n, float p1, float p2) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    out[i] = g[i] * unaryDerivative<Op>(x[i], p1, p2);
  }
}

int unknownOp(const char* what, int op) { return fail(std::string(what) + ": unknown op code " + std::to_string(op)); }

}  // namespace
}  // namespace steepest::cuda

using namespace steepest;
using namespace steepest::cuda;

extern "C" int steepest_cuda_fill(float* out, int64_t n, float value) {
  if (n <= 0) return STEEPEST_CUDA_OK;
  fillKernel<<<blocksFor(n), kThreads, 0, stream()>>>(out, n, value);
  return checkLaunch("fill");
}

extern "C" int steepest_cuda_binary(int op, const float* a, int aMode, const float* b, int bMode, float* out,
                                    int64_t rows, int64_t cols) {
  const int64_t n = rows * cols;
  if (n <= 0) return STEEPEST_CUDA_OK;
  const auto am = static_cast<Broadcast>(aMode), bm = static_cast<Broadcast>(bMode);
  const bool known = withBinaryOp(static_cast<BinaryOp>(op), [&](auto o) {
    binaryKernel<decltype(o)::value><<<blocksFor(n), kThreads, 0, stream()>>>(a, am, b, bm, out, rows, cols);
  });
  return known ? checkLaunch("binary") : unknownOp("binary", op);
}

extern "C" int steepest_cuda_binary_scalar(int op, const float* a, float s, int scalarFirst, float* out, int64_t n) {
  if (n <= 0) return STEEPEST_CUDA_OK;
  const bool known = withBinaryOp(static_cast<BinaryOp>(op), [&](auto o) {
    scalarKernel<decltype(o)::value><<<blocksFor(n), kThreads, 0, stream()>>>(a, s, scalarFirst != 0, out, n);
  });
  return known ? checkLaunch("binaryScalar") : unknownOp("binaryScalar", op);
}

extern "C" int steepest_cuda_unary(int op, const float* x, float* out, int64_t n, float p1, float p2) {
  if (n <= 0) return STEEPEST_CUDA_OK;
  const bool known = withUnaryOp(static_cast<UnaryOp>(op), [&](auto o) {
    unaryKernel<decltype(o)::value><<<blocksFor(n), kThreads, 0, stream()>>>(x, out, n, p1, p2);
  });
  return known ? checkLaunch("unary") : unknownOp("unary", op);
}

extern "C" int steepest_cuda_unary_backward(int op, const float* x, const float* g, float* out, int64_t n, float p1,
                                            float p2) {
  if (n <= 0) return STEEPEST_CUDA_OK;
  const bool known = withUnaryOp(static_cast<UnaryOp>(op), [&](auto o) {
    unaryBackwardKernel<decltype(o)::value><<<blocksFor(n), kThreads, 0, stream()>>>(x, g, out, n, p1, p2);
  });
  return known ? checkLaunch("unaryBackward") : unknownOp("unaryBackward", op);
}
