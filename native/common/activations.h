// Pointwise functions and their derivatives, written once for CPU and CUDA.
// Derivatives are taken with respect to the input x (not the output), because the autograd
// keeps inputs alive anyway and this keeps every backward a single pass.
#pragma once
#include <cmath>
#include "common/hostdevice.h"

namespace steepest {

SP_HD float relu(float x) { return x > 0.f ? x : 0.f; }
SP_HD float reluGrad(float x) { return x > 0.f ? 1.f : 0.f; }

SP_HD float leakyRelu(float x, float slope) { return x > 0.f ? x : slope * x; }
SP_HD float leakyReluGrad(float x, float slope) { return x > 0.f ? 1.f : slope; }

// sigmoid(x) = 1 / (1 + e^-x), evaluated so that neither branch overflows.
SP_HD float sigmoid(float x) {
  if (x >= 0.f) return 1.f / (1.f + expf(-x));
  const float e = expf(x);
  return e / (1.f + e);
}
SP_HD float sigmoidGrad(float x) {
  const float s = sigmoid(x);
  return s * (1.f - s);
}

SP_HD float tanhGrad(float x) {
  const float t = tanhf(x);
  return 1.f - t * t;
}

// GELU as PyTorch's default (approximate='none'): x * Phi(x), Phi the standard normal CDF.
// d/dx = Phi(x) + x * phi(x), phi(x) = e^(-x^2/2) / sqrt(2 pi).
SP_HD float gelu(float x) { return 0.5f * x * (1.f + erff(x * 0.70710678118654752f)); }
SP_HD float geluGrad(float x) {
  const float cdf = 0.5f * (1.f + erff(x * 0.70710678118654752f));
  const float pdf = 0.39894228040143268f * expf(-0.5f * x * x);
  return cdf + x * pdf;
}

SP_HD float signOf(float x) { return x > 0.f ? 1.f : (x < 0.f ? -1.f : 0.f); }

}  // namespace steepest
