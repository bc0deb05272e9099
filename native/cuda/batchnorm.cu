// Batch normalization over x [N, C, L], forward (training and eval) and backward (the CPU
// kernel is cpu/batchnorm.cc), on common/batchnorm.h's math: one block per channel, its
// threads striding over the channel's M = N * L values; the two-pass statistics and the
// backward's sums are double, as on the CPU, added as a tree (their rounding differs from the
// CPU's sequential sums far below float resolution). Thread 0 writes the channel's running and
// saved statistics and its weight and bias gradients. Every sum of a channel is taken before
// its outputs are written, so y may be x and dx may be x or g, as on the CPU.
#include "block_reduce.cuh"
#include "common/batchnorm.h"

namespace steepest::cuda {
namespace {

// Index of value i (0 <= i < N * L) of channel c.
__device__ __forceinline__ int64_t at(BatchNormShape s, int64_t c, int64_t i) {
  const int64_t n = i / s.L;
  return (n * s.C + c) * s.L + (i - n * s.L);
}

__global__ void forwardKernel(const float* x, BatchNormShape s, const float* gamma, const float* beta, float* runMean,
                              float* runVar, bool training, float momentum, float eps, float* y, float* saveMean,
                              float* saveInvstd) {
  const int64_t M = s.N * s.L;
  for (int64_t c = blockIdx.x; c < s.C; c += gridDim.x) {
    double mean, var;
    if (training) {
      double sum = 0;
      for (int64_t i = threadIdx.x; i < M; i += blockDim.x) sum += x[at(s, c, i)];
      mean = blockSum(sum) / static_cast<double>(M);
      double sq = 0;
      for (int64_t i = threadIdx.x; i < M; i += blockDim.x) sq += batchNormSquaredDeviation(x[at(s, c, i)], mean);
      sq = blockSum(sq);
      var = sq / static_cast<double>(M);
      if (threadIdx.x == 0) batchNormUpdateRunning(runMean, runVar, c, momentum, mean, sq, M);
    } else {
      mean = runMean[c];
      var = runVar[c];
    }
    const double invstd = batchNormInvstd(var, eps);
    if (threadIdx.x == 0) {
      saveMean[c] = static_cast<float>(mean);
      saveInvstd[c] = static_cast<float>(invstd);
    }
    const double a = batchNormScale(gamma, c, invstd), b = batchNormShift(beta, c, mean, a);
    for (int64_t i = threadIdx.x; i < M; i += blockDim.x) {
      const int64_t k = at(s, c, i);
      y[k] = batchNormOutput(x[k], a, b);
    }
  }
}

__global__ void backwardKernel(const float* x, const float* g, BatchNormShape s, const float* gamma,
                               const float* saveMean, const float* saveInvstd, bool training, float* dx, float* dgamma,
                               float* dbeta) {
  const int64_t M = s.N * s.L;
  for (int64_t c = blockIdx.x; c < s.C; c += gridDim.x) {
    const double mean = saveMean[c], invstd = saveInvstd[c];
    double sg = 0, sgx = 0;
    for (int64_t i = threadIdx.x; i < M; i += blockDim.x) {
      const int64_t k = at(s, c, i);
      sg += g[k];
      sgx += batchNormGradXhat(g[k], x[k], mean, invstd);
    }
    sg = blockSum(sg);
    sgx = blockSum(sgx);
    if (threadIdx.x == 0) {
      if (dgamma) dgamma[c] = static_cast<float>(sgx);
      if (dbeta) dbeta[c] = static_cast<float>(sg);
    }
    if (!dx) continue;
    const double k = batchNormScale(gamma, c, invstd);
    for (int64_t i = threadIdx.x; i < M; i += blockDim.x) {
      const int64_t j = at(s, c, i);
      dx[j] = static_cast<float>(
          batchNormInputGrad(g[j], batchNormXhat(x[j], mean, invstd), k, sg, sgx, static_cast<double>(M), training));
    }
  }
}

unsigned blocksForChannels(int64_t C) { return static_cast<unsigned>(C > 65535 ? 65535 : C); }

}  // namespace
}  // namespace steepest::cuda

using namespace steepest;
using namespace steepest::cuda;

extern "C" int steepest_cuda_batchnorm_forward(const float* x, int64_t n, int64_t c, int64_t l, const float* gamma,
                                               const float* beta, float* run_mean, float* run_var, int training,
                                               float momentum, float eps, float* y, float* save_mean,
                                               float* save_invstd) {
  if (c == 0) return STEEPEST_CUDA_OK;
  if (!training && (!run_mean || !run_var)) return fail("batchNorm: eval mode needs running statistics");
  forwardKernel<<<blocksForChannels(c), kThreads, 0, stream()>>>(x, BatchNormShape{n, c, l}, gamma, beta, run_mean,
                                                                  run_var, training != 0, momentum, eps, y, save_mean,
                                                                  save_invstd);
  return checkLaunch("batchNorm");
}

extern "C" int steepest_cuda_batchnorm_backward(const float* x, const float* g, int64_t n, int64_t c, int64_t l,
                                                const float* gamma, const float* save_mean, const float* save_invstd,
                                                int training, float* dx, float* dgamma, float* dbeta) {
  if (c == 0) return STEEPEST_CUDA_OK;
  backwardKernel<<<blocksForChannels(c), kThreads, 0, stream()>>>(x, g, BatchNormShape{n, c, l}, gamma, save_mean,
                                                                   save_invstd, training != 0, dx, dgamma, dbeta);
  return checkLaunch("batchNorm backward");
}
