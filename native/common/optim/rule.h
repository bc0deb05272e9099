// What an update rule declares, so that nothing outside its own header has to know it:
//
//   struct MyRule {
//     static constexpr const char* kName = "my";        // the name TypeScript asks for
//     static constexpr std::array kSlots{Slot{"exp_avg", Field::Count}, Slot{"max_exp_avg_sq", Field::amsgrad}};
//     template <class Run> static void specialize(const Row& row, Run&& run);
//   };
//
// - kSlots: its state arenas in slot order, each with PyTorch's state-dict name and the row
//   field that switches it on (Field::Count: always used); std::array<Slot, 0> for a
//   stateless rule. The N-API layer checks the arenas
//   against them, TypeScript allocates and saves state from them (exported as `optimRules`).
// - specialize: reads the rule's hyperparameters from the row and calls run(element) once,
//   with `element` a small functor `(float& p, float g, float* s0, float* s1, float* s2,
//   int64_t i)` that updates element i, its options fixed as template parameters so the loop
//   it runs in has no branch. Each backend's driver supplies `run` (cpu/optim.cc: a threaded,
//   vectorized loop over the group's slice).
#pragma once
#include <array>
#include <cstddef>
#include <type_traits>

#include "common/hostdevice.h"
#include "common/optim/table.h"

namespace steepest::optim {

struct Slot {
  const char* name;  // state-dict key (PyTorch's)
  Field when;        // used when this row field is non-zero; Field::Count: always
};

constexpr int kMaxSlots = 3;

// f(std::true_type) or f(std::false_type): a runtime option as a template parameter.
template <typename F>
void withBool(bool b, F&& f) {
  if (b) {
    f(std::true_type{});
  } else {
    f(std::false_type{});
  }
}

// Whether slot `slot` of a rule with these slots is used by a group with this row.
template <size_t N>
bool slotUsed(const std::array<Slot, N>& slots, const Row& row, int slot) {
  if (slot < 0 || slot >= static_cast<int>(N)) return false;
  return slots[slot].when == Field::Count || row.flag(slots[slot].when);
}

}  // namespace steepest::optim
