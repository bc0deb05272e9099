// Batch-normalization math of one element, shared by the CPU and CUDA kernels. With
// xhat = (x - mean) * invstd, M values per channel, sg = sum g and sgx = sum g xhat:
//   y  = xhat * gamma + beta
//   dx = gamma * invstd * (g - sg / M - xhat * sgx / M)   (batch statistics, training)
//   dx = gamma * invstd * g                               (running statistics, eval)
#pragma once
#include "common/hostdevice.h"

namespace steepest {

SP_HD double batchNormInputGrad(double g, double xhat, double gammaInvstd, double sg, double sgx, double M,
                                bool batchStats) {
  return batchStats ? gammaInvstd * (g - sg / M - xhat * sgx / M) : gammaInvstd * g;
}

}  // namespace steepest
