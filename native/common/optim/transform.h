// What every optimizer does around its rule, per element: the gradient preprocessing before
// it and the proximal L1 step after it (native/cpu/optim.cc runs them; the CUDA kernels will
// call the same functions).
#pragma once
#include <cmath>

#include "common/hostdevice.h"

namespace steepest::optim {

// Gradient preprocessing, in this order (each stage is neutral when off):
//   g = clamp(g, -clipValue, clipValue)      clip by value (clipValue = +inf when off)
//   g = g * clipScale                        clip by global norm (1 when off)
//   g = g + l1 * sign(p)                     L1 subgradient of l1 * sum|p|
//   g = g + weightDecay * p                  coupled L2 decay, gradient of (wd/2) * sum p^2
struct GradTransform {
  float clipValue;
  float clipScale;
  float l1;
  float weightDecay;
};

SP_HD float signOf(float x) { return (x > 0.f ? 1.f : 0.f) - (x < 0.f ? 1.f : 0.f); }

SP_HD float transformGradient(const GradTransform& t, float g, float p) {
  g = g < -t.clipValue ? -t.clipValue : g;
  g = g > t.clipValue ? t.clipValue : g;
  g = g * t.clipScale;
  g = g + t.l1 * signOf(p);
  return g + t.weightDecay * p;
}

// Proximal step of lr * l1 * |p| (soft thresholding): p = sign(p) * max(|p| - shrink, 0).
// Unlike the subgradient it lands exactly on zero, which is how L1 gives sparse weights.
SP_HD float softThreshold(float p, float shrink) {
  const float a = fabsf(p) - shrink;
  return a > 0.f ? copysignf(a, p) : 0.f;
}

}  // namespace steepest::optim
