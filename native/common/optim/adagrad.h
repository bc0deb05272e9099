// Adagrad (torch.optim.Adagrad), PyTorch 1.13's single-tensor formula:
//   sum += g^2;   p -= clr * g / (sqrt(sum) + eps),   clr = lr / (1 + (t - 1) * lrDecay)
// clr comes computed in double from src/optim/adagrad.ts.
#pragma once
#include <cmath>
#include <array>
#include <cstdint>

#include "common/hostdevice.h"
#include "common/optim/rule.h"

namespace steepest::optim {

struct AdagradHyper {
  float clr, eps;
};

// Slot: s0 sum.
struct AdagradElement {
  AdagradHyper h;

  SP_HD void operator()(float& p, float g, float* s0, float*, float*, int64_t i) const {
    const float s = s0[i] + g * g;
    s0[i] = s;
    p = p - (h.clr * g) / (sqrtf(s) + h.eps);  // torch's addcdiv order
  }
};

struct AdagradRule {
  static constexpr const char* kName = "adagrad";
  static constexpr std::array kSlots{Slot{"sum", Field::Count}};

  template <class Run>
  static void specialize(const Row& r, Run&& run) {
    run(AdagradElement{AdagradHyper{r.f32(Field::clr), r.f32(Field::eps)}});
  }
};

}  // namespace steepest::optim
