// RMSprop (torch.optim.RMSprop), PyTorch 1.13's single-tensor formula:
//   sq = alpha * sq + (1 - alpha) * g^2
//   centered: ga = alpha * ga + (1 - alpha) * g;  avg = sqrt(sq - ga^2 + epsIn) + eps
//   else:                                          avg = sqrt(sq + epsIn) + eps
//   momentum: buf = mu * buf + g / avg; p -= lr * buf      else: p -= lr * g / avg
// epsIn is 0 for PyTorch; the handbook's literal form W -= lr / sqrt(v + eps) * g (also
// TensorFlow's raw op) is epsIn = eps, eps = 0.
#pragma once
#include <cmath>
#include <array>
#include <cstdint>

#include "common/hostdevice.h"
#include "common/optim/rule.h"

namespace steepest::optim {

struct RmsPropHyper {
  float lr, alpha, oneMinusAlpha, eps, epsIn, momentum;
};

// Slots: s0 square_avg, s1 momentum_buffer, s2 grad_avg.
template <bool kCentered, bool kMomentum>
struct RmsPropElement {
  RmsPropHyper h;

  SP_HD void operator()(float& p, float g, float* s0, float* s1, float* s2, int64_t i) const {
    const float s = h.alpha * s0[i] + h.oneMinusAlpha * (g * g);
    s0[i] = s;
    float var = s;
    if (kCentered) {
      const float a = h.alpha * s2[i] + h.oneMinusAlpha * g;
      s2[i] = a;
      var = s - a * a;
    }
    const float avg = sqrtf(var + h.epsIn) + h.eps;
    if (kMomentum) {
      const float b = h.momentum * s1[i] + g / avg;
      s1[i] = b;
      p = p - h.lr * b;
    } else {
      p = p - (h.lr * g) / avg;  // torch's addcdiv order: (value * t1) / t2
    }
  }
};

struct RmsPropRule {
  static constexpr const char* kName = "rmsprop";
  static constexpr std::array kSlots{
      Slot{"square_avg", Field::Count}, Slot{"momentum_buffer", Field::momentum}, Slot{"grad_avg", Field::centered}};

  template <class Run>
  static void specialize(const Row& r, Run&& run) {
    const RmsPropHyper h{r.f32(Field::lr),  r.f32(Field::alpha), r.oneMinus(Field::alpha),
                         r.f32(Field::eps), r.f32(Field::epsIn), r.f32(Field::momentum)};
    withBool(r.flag(Field::centered), [&](auto cen) {
      withBool(r.flag(Field::momentum), [&](auto mom) {
        run(RmsPropElement<decltype(cen)::value, decltype(mom)::value>{h});
      });
    });
  }
};

}  // namespace steepest::optim
