// Batch normalization over x laid out [N, C, L] (L = 1 for [N, C]); statistics per channel c
// over the M = N * L values of that channel (Ioffe & Szegedy 2015; PyTorch's BatchNorm1d).
//   training: mean, var = batch mean and biased variance; the running statistics become
//             (1 - m) * running + m * batch, with the unbiased variance var * M / (M - 1)
//   eval:     mean, var = running statistics
//   y = (x - mean) / sqrt(var + eps) * gamma + beta
// saveMean / saveInvstd receive the mean and 1 / sqrt(var + eps) used, for the backward:
//   xhat = (x - mean) * invstd, dgamma = sum g xhat, dbeta = sum g
//   training: dx = gamma invstd (g - dbeta / M - xhat dgamma / M);  eval: dx = gamma invstd g
#pragma once
#include <cstdint>

#include "common/batchnorm.h"

namespace steepest::cpu {

using steepest::BatchNormShape;

void batchNormForward(const float* x, BatchNormShape s, const float* gamma, const float* beta, float* runMean,
                      float* runVar, bool training, float momentum, float eps, float* y, float* saveMean,
                      float* saveInvstd);

// Any of dx, dgamma, dbeta may be null.
void batchNormBackward(const float* x, const float* g, BatchNormShape s, const float* gamma, const float* saveMean,
                       const float* saveInvstd, bool training, float* dx, float* dgamma, float* dbeta);

}  // namespace steepest::cpu
