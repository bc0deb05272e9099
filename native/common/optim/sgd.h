// SGD (torch.optim.SGD), PyTorch 1.13's single-tensor formula. With momentum mu and dampening d:
//   buf = g on the first step, else buf = mu * buf + (1 - d) * g
//   update = nesterov ? g + mu * buf : buf;   p -= lr * update
// The handbook's EMA form v = beta * v + (1 - beta) * g is mu = d = beta with buf starting at
// zero instead of g: src/optim/sgd.ts passes firstStep = false from the first step on.
#pragma once
#include <array>
#include <cstdint>

#include "common/hostdevice.h"
#include "common/optim/rule.h"

namespace steepest::optim {

struct SgdHyper {
  float lr, momentum, oneMinusDampening;
};

template <bool kMomentum, bool kNesterov>
struct SgdElement {
  SgdHyper h;
  bool firstStep;

  SP_HD void operator()(float& p, float g, float* s0, float*, float*, int64_t i) const {
    float update = g;
    if (kMomentum) {
      const float b = firstStep ? g : h.momentum * s0[i] + h.oneMinusDampening * g;
      s0[i] = b;
      update = kNesterov ? g + h.momentum * b : b;
    }
    p = p - h.lr * update;
  }
};

struct SgdRule {
  static constexpr const char* kName = "sgd";
  static constexpr std::array kSlots{Slot{"momentum_buffer", Field::momentum}};

  template <class Run>
  static void specialize(const Row& r, Run&& run) {
    const SgdHyper h{r.f32(Field::lr), r.f32(Field::momentum), r.oneMinus(Field::dampening)};
    withBool(r.flag(Field::momentum), [&](auto mom) {
      withBool(r.flag(Field::nesterov), [&](auto nest) {
        run(SgdElement<decltype(mom)::value, decltype(nest)::value>{h, r.flag(Field::firstStep)});
      });
    });
  }
};

}  // namespace steepest::optim
