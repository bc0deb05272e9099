// Per-element optimizer update rules, written once for the CPU kernels (native/cpu/optim.cc)
// and the CUDA kernels of a later issue. Each rule updates one parameter element in place from
// its (already preprocessed) gradient and its state elements. The formulas are PyTorch 1.13's
// (torch/optim/*.py, single-tensor path), so trajectories match torch.optim step for step.
// Values derived from hyperparameters (1 - beta, bias corrections, Adagrad's decayed lr) are
// computed in double by the caller and passed in rounded once, as PyTorch computes them as
// Python floats: 1 - 0.999f in float is 4.7e-5 off 0.001, enough to drift a trajectory.
#pragma once
#include <cmath>

#include "common/hostdevice.h"

namespace steepest::optim {

enum class Kind : int { Sgd = 0, RmsProp, Adam, Adagrad, Count };

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

// SGD (torch.optim.SGD): with momentum mu and dampening d,
//   buf = g on the first step, else buf = mu * buf + (1 - d) * g
//   update = nesterov ? g + mu * buf : buf;   p -= lr * update
// The handbook's EMA form v = beta * v + (1 - beta) * g is mu = d = beta with buf starting at
// zero instead of g: the caller passes firstStep = false from the first step on.
struct SgdHyper {
  float lr, momentum, oneMinusDampening;
};

template <bool kMomentum, bool kNesterov>
SP_HD void sgdElement(const SgdHyper& h, bool firstStep, float& p, float g, float& buf) {
  float update = g;
  if (kMomentum) {
    const float b = firstStep ? g : h.momentum * buf + h.oneMinusDampening * g;
    buf = b;
    update = kNesterov ? g + h.momentum * b : b;
  }
  p = p - h.lr * update;
}

// RMSprop (torch.optim.RMSprop):
//   sq = alpha * sq + (1 - alpha) * g^2
//   centered: ga = alpha * ga + (1 - alpha) * g;  avg = sqrt(sq - ga^2 + epsIn) + eps
//   else:                                          avg = sqrt(sq + epsIn) + eps
//   momentum: buf = mu * buf + g / avg; p -= lr * buf      else: p -= lr * g / avg
// epsIn is 0 for PyTorch; the handbook's literal form W -= lr / sqrt(v + eps) * g (also
// TensorFlow's raw op) is epsIn = eps, eps = 0.
struct RmsPropHyper {
  float lr, alpha, oneMinusAlpha, eps, epsIn, momentum;
};

template <bool kCentered, bool kMomentum>
SP_HD void rmspropElement(const RmsPropHyper& h, float& p, float g, float& sq, float& buf, float& ga) {
  const float s = h.alpha * sq + h.oneMinusAlpha * (g * g);
  sq = s;
  float var = s;
  if (kCentered) {
    const float a = h.alpha * ga + h.oneMinusAlpha * g;
    ga = a;
    var = s - a * a;
  }
  const float avg = sqrtf(var + h.epsIn) + h.eps;
  if (kMomentum) {
    const float b = h.momentum * buf + g / avg;
    buf = b;
    p = p - h.lr * b;
  } else {
    p = p - (h.lr * g) / avg;  // torch's addcdiv order: (value * t1) / t2
  }
}

// Adam (torch.optim.Adam / AdamW; the handbook's Adam):
//   m = b1 * m + (1 - b1) * g;   v = b2 * v + (1 - b2) * g^2
//   amsgrad: vmax = max(vmax, v), used in place of v below
//   p -= stepSize * m / (sqrt(v) / bc2Sqrt + eps),  stepSize = lr / (1 - b1^t), bc2Sqrt = sqrt(1 - b2^t)
// which is lr * m_hat / (sqrt(v_hat) + eps). AdamW's decoupled decay p *= 1 - lr * wd happens
// before this, in the driver.
struct AdamHyper {
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, stepSize, bc2Sqrt;
};

template <bool kAmsgrad>
SP_HD void adamElement(const AdamHyper& h, float& p, float g, float& m, float& v, float& vmax) {
  const float mt = h.beta1 * m + h.oneMinusBeta1 * g;
  const float vt = h.beta2 * v + h.oneMinusBeta2 * (g * g);
  m = mt;
  v = vt;
  float vUse = vt;
  if (kAmsgrad) {
    vUse = vmax > vt ? vmax : vt;
    vmax = vUse;
  }
  const float denom = sqrtf(vUse) / h.bc2Sqrt + h.eps;
  p = p - (h.stepSize * mt) / denom;  // torch's addcdiv order
}

// Adagrad (torch.optim.Adagrad):
//   sum += g^2;   p -= clr * g / (sqrt(sum) + eps),   clr = lr / (1 + (t - 1) * lrDecay)
struct AdagradHyper {
  float clr, eps;
};

SP_HD void adagradElement(const AdagradHyper& h, float& p, float g, float& sum) {
  const float s = sum + g * g;
  sum = s;
  p = p - (h.clr * g) / (sqrtf(s) + h.eps);  // torch's addcdiv order
}

}  // namespace steepest::optim
