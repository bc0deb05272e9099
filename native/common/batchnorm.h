// Batch-normalization math, shared by the CPU and CUDA kernels (cpu/batchnorm.cc,
// cuda/batchnorm.cu). x is [N, C, L]; channel c has the M = N * L values x[(n C + c) L + l].
// Statistics in double, two passes (the mean, then the squared deviations from it):
//   mean = sum x / M,  var = sum (x - mean)^2 / M  (biased, used to normalize)
//   running = (1 - momentum) running + momentum * batch, with the unbiased var * M / (M - 1)
//   invstd = 1 / sqrt(var + eps),  y = x * a + b,  a = gamma invstd,  b = beta - mean a
// and the backward, with xhat = (x - mean) * invstd, sg = sum g and sgx = sum g xhat:
//   dx = gamma * invstd * (g - sg / M - xhat * sgx / M)   (batch statistics, training)
//   dx = gamma * invstd * g                               (running statistics, eval)
//   dgamma = sgx, dbeta = sg
#pragma once
#include <cmath>
#include <cstdint>

#include "common/hostdevice.h"

namespace steepest {

struct BatchNormShape {
  int64_t N, C, L;
};

// One value's term of the variance's sum.
SP_HD double batchNormSquaredDeviation(float x, double mean) {
  const double d = x - mean;
  return d * d;
}

// The running-statistics update; `batch` is the batch mean or the unbiased batch variance.
SP_HD float batchNormRunning(float running, float momentum, double batch) {
  return static_cast<float>((1 - momentum) * running + momentum * batch);
}

// The unbiased variance from the sum of squared deviations (the biased one when M is 1).
SP_HD double batchNormUnbiased(double squares, int64_t M) {
  return squares / static_cast<double>(M > 1 ? M - 1 : M);
}

// Training: channel c's running statistics (each may be null) from the batch mean and the sum
// of squared deviations of its M values.
SP_HD void batchNormUpdateRunning(float* runMean, float* runVar, int64_t c, float momentum, double mean,
                                  double squares, int64_t M) {
  if (runMean) runMean[c] = batchNormRunning(runMean[c], momentum, mean);
  if (runVar) runVar[c] = batchNormRunning(runVar[c], momentum, batchNormUnbiased(squares, M));
}

SP_HD double batchNormInvstd(double var, float eps) { return 1.0 / sqrt(var + eps); }

// y = x * a + b: a = gamma invstd, b = beta - mean a (gamma 1 and beta 0 when absent).
SP_HD double batchNormScale(const float* gamma, int64_t c, double invstd) { return (gamma ? gamma[c] : 1.0) * invstd; }
SP_HD double batchNormShift(const float* beta, int64_t c, double mean, double a) {
  return (beta ? beta[c] : 0.0) - mean * a;
}
SP_HD float batchNormOutput(float x, double a, double b) { return static_cast<float>(x * a + b); }

SP_HD double batchNormXhat(float x, double mean, double invstd) { return (x - mean) * invstd; }

// One value's term of sgx = sum g xhat.
SP_HD double batchNormGradXhat(float g, float x, double mean, double invstd) { return g * (x - mean) * invstd; }

SP_HD double batchNormInputGrad(double g, double xhat, double gammaInvstd, double sg, double sgx, double M,
                                bool batchStats) {
  return batchStats ? gammaInvstd * (g - sg / M - xhat * sgx / M) : gammaInvstd * g;
}

}  // namespace steepest
