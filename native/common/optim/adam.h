// Adam (torch.optim.Adam / AdamW; the handbook's Adam), PyTorch 1.13's single-tensor formula:
//   m = b1 * m + (1 - b1) * g;   v = b2 * v + (1 - b2) * g^2
//   amsgrad: vmax = max(vmax, v), used in place of v below
//   p -= stepSize * m / (sqrt(v) / bc2Sqrt + eps),  stepSize = lr / (1 - b1^t), bc2Sqrt = sqrt(1 - b2^t)
// which is lr * m_hat / (sqrt(v_hat) + eps). stepSize and bc2Sqrt come computed in double from
// src/optim/adam.ts, as PyTorch computes them as Python floats. AdamW's decoupled decay
// p *= 1 - lr * wd happens before this, in the driver.
#pragma once
#include <cmath>
#include <array>
#include <cstdint>

#include "common/hostdevice.h"
#include "common/optim/rule.h"

namespace steepest::optim {

struct AdamHyper {
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, stepSize, bc2Sqrt;
};

// Slots: s0 exp_avg, s1 exp_avg_sq, s2 max_exp_avg_sq.
template <bool kAmsgrad>
struct AdamElement {
  AdamHyper h;

  SP_HD void operator()(float& p, float g, float* s0, float* s1, float* s2, int64_t i) const {
    const float mt = h.beta1 * s0[i] + h.oneMinusBeta1 * g;
    const float vt = h.beta2 * s1[i] + h.oneMinusBeta2 * (g * g);
    s0[i] = mt;
    s1[i] = vt;
    float vUse = vt;
    if (kAmsgrad) {
      vUse = s2[i] > vt ? s2[i] : vt;
      s2[i] = vUse;
    }
    const float denom = sqrtf(vUse) / h.bc2Sqrt + h.eps;
    p = p - (h.stepSize * mt) / denom;  // torch's addcdiv order
  }
};

struct AdamRule {
  static constexpr const char* kName = "adam";
  static constexpr std::array kSlots{
      Slot{"exp_avg", Field::Count}, Slot{"exp_avg_sq", Field::Count}, Slot{"max_exp_avg_sq", Field::amsgrad}};

  template <class Run>
  static void specialize(const Row& r, Run&& run) {
    const AdamHyper h{r.f32(Field::beta1), r.oneMinus(Field::beta1), r.f32(Field::beta2), r.oneMinus(Field::beta2),
                      r.f32(Field::eps),   r.f32(Field::stepSize),  r.f32(Field::bc2Sqrt)};
    withBool(r.flag(Field::amsgrad), [&](auto ams) { run(AdamElement<decltype(ams)::value>{h}); });
  }
};

}  // namespace steepest::optim
