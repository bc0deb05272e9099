// Softmax-cross-entropy and NLL over rows (the CPU kernel is cpu/softmax_xent.cc), on the same
// per-row math, common/losses.h's classLossRow. Three launches and no synchronization:
//   1. the mean's denominator (total weight of the kept rows), the weights' sum, and the label
//      and weight checks, one block;
//   2. one thread per row: its loss, and its gradient scaled by 1 / denominator for 'mean';
//   3. the reduction of the row losses into out[0], one block.
// A label out of range is recorded as a device error (runtime.cuh), reported by the next read.
#include "common/losses.h"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

constexpr int kReductionNone = 0, kReductionMean = 1;

__global__ void denominatorKernel(const int32_t* labels, int64_t N, const float* weight, int64_t C,
                                  int64_t ignoreIndex, double* denom, DeviceError* error) {
  __shared__ double partial[kThreads];
  // denom[1]: the weights' sum (label smoothing spreads over every class's weight).
  if (threadIdx.x == 0) {
    double w = 0;
    for (int64_t c = 0; c < C; ++c) {
      const float v = weight ? weight[c] : 1.f;
      if (!(v >= 0.f) || !isfinite(v)) recordDeviceError(error, kBadClassWeight, 0, c, C);
      w += v;
    }
    denom[1] = w;
  }
  double s = 0;
  for (int64_t i = threadIdx.x; i < N; i += blockDim.x) {
    const int64_t y = labels[i];
    if (y == ignoreIndex) continue;
    if (y < 0 || y >= C) {
      recordDeviceError(error, kLabelOutOfRange, y, i, C);
      continue;
    }
    s += weight ? weight[y] : 1.0;
  }
  partial[threadIdx.x] = s;
  __syncthreads();
  for (int stride = kThreads / 2; stride > 0; stride >>= 1) {
    if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
    __syncthreads();
  }
  if (threadIdx.x == 0) *denom = partial[0];
}

__global__ void rowKernel(const float* z, const int32_t* labels, int64_t N, ClassLossParams p, int64_t ignoreIndex,
                          int reduction, const double* denom, float* out, double* rowLoss, float* grad) {
  const int64_t C = p.classes;
  p.weightSum = static_cast<float>(denom[1]);
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < N; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t y = labels[i];
    float* g = grad ? grad + i * C : nullptr;
    double loss = 0;
    if (y == ignoreIndex || y < 0 || y >= C) {
      if (g) for (int64_t c = 0; c < C; ++c) g[c] = 0.f;
      if (y != ignoreIndex) loss = NAN;  // reported through the device error
    } else {
      loss = classLossRow(z + i * C, static_cast<int32_t>(y), p, g);
      if (g && reduction == kReductionMean) {
        const double scale = 1.0 / *denom;
        for (int64_t c = 0; c < C; ++c) g[c] = static_cast<float>(g[c] * scale);
      }
    }
    if (reduction == kReductionNone) out[i] = static_cast<float>(loss);
    else rowLoss[i] = loss;
  }
}

__global__ void totalKernel(const double* rowLoss, int64_t N, int reduction, const double* denom, float* out) {
  __shared__ double partial[kThreads];
  double s = 0;
  for (int64_t i = threadIdx.x; i < N; i += blockDim.x) s += rowLoss[i];
  partial[threadIdx.x] = s;
  __syncthreads();
  for (int stride = kThreads / 2; stride > 0; stride >>= 1) {
    if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
    __syncthreads();
  }
  // 0 / 0 gives NaN when every row is ignored, as PyTorch does.
  if (threadIdx.x == 0) out[0] = static_cast<float>(reduction == kReductionMean ? partial[0] / *denom : partial[0]);
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest;
using namespace steepest::cuda;

extern "C" int steepest_cuda_class_loss(const float* z, const int32_t* labels, const float* weight, int64_t N, int64_t C, int64_t ignore_index, float smoothing, int log_prob_input,
                                        int reduction, float* out, float* grad) {
  if (N == 0 && reduction == kReductionNone) return STEEPEST_CUDA_OK;
  DeviceError* error = deviceErrorSlot();
  if (error == nullptr) return fail("classLoss: no device error slot");
  // Scratch from the caching allocator: freed at once, reused by later kernels on the stream.
  void* scratch = nullptr;
  const size_t bytes = sizeof(double) * static_cast<size_t>(2 + (reduction == kReductionNone ? 0 : N));
  int status = steepest_cuda_malloc(bytes, &scratch);
  if (status != STEEPEST_CUDA_OK) return status;
  double* denom = static_cast<double*>(scratch);
  double* rowLoss = denom + 2;
  const ClassLossParams p{C, weight, 0.f, smoothing, log_prob_input != 0};
  denominatorKernel<<<1, kThreads, 0, stream()>>>(labels, N, weight, C, ignore_index, denom, error);
  if (N > 0) {
    rowKernel<<<blocksFor(N), kThreads, 0, stream()>>>(z, labels, N, p, ignore_index, reduction, denom, out, rowLoss,
                                                        grad);
  }
  if (reduction != kReductionNone) totalKernel<<<1, kThreads, 0, stream()>>>(rowLoss, N, reduction, denom, out);
  status = checkLaunch("classLoss");
  steepest_cuda_free(scratch);
  return status;
}
