// The plan of one fused optimizer step, backend-neutral: the N-API layer builds it from the
// step table (napi/optim_napi.cc), and each backend's driver runs it over its arenas
// (cpu/optim.cc, and the CUDA kernels of a later issue). Only plain structs and the decisions
// every backend makes the same way live here: the options every rule shares, which state
// slots a group uses, and the clip-by-norm factor.
#pragma once
#include <cmath>
#include <cstdint>

#include "common/optim/rules.h"
#include "common/optim/table.h"

namespace steepest::optim {

// One parameter group: a slice [offset, offset + count) of every arena, the options every
// rule shares (the driver applies them around the rule), and the row the rule reads.
struct Group {
  int64_t offset = 0;
  int64_t count = 0;
  float weightDecay = 0.f;   // coupled: added to the gradient
  float decayFactor = 1.f;   // decoupled: p *= decayFactor before the update (AdamW: 1 - lr * wd)
  float l1 = 0.f;            // L1 subgradient coefficient
  float l1Shrink = 0.f;      // proximal L1: soft-threshold by this after the update (lr * l1)
  bool proximal = false;
  bool maximize = false;
  Row row;

  static Group of(const Row& r) {
    Group g;
    g.offset = static_cast<int64_t>(r[Field::offset]);
    g.count = static_cast<int64_t>(r[Field::count]);
    g.weightDecay = r.f32(Field::weightDecay);
    g.decayFactor = r.f32(Field::decayFactor);
    g.l1 = r.f32(Field::l1);
    g.l1Shrink = r.f32(Field::l1Shrink);
    g.proximal = r.flag(Field::proximal);
    g.maximize = r.flag(Field::maximize);
    g.row = r;
    return g;
  }
};

// The arenas of one step, `length` elements each, in the memory of the backend that runs it.
struct Arenas {
  float* param = nullptr;
  const float* grad = nullptr;
  float* state[kMaxSlots] = {nullptr, nullptr, nullptr};
  int64_t length = 0;  // elements of every arena (the norm pass covers all of them)
};

struct Global {
  float clipValue = INFINITY;  // +inf: off
  double clipNorm = 0.0;       // <= 0: off
  bool checkFinite = false;
};

struct Result {
  double gradNorm = -1.0;        // L2 norm of the (value-clipped) gradients; -1 when not computed
  int64_t nonFiniteIndex = -1;   // first arena element whose gradient is NaN or +-inf; -1 if none
  bool applied = false;          // false when the step was skipped for a non-finite gradient
};

// Whether a group of rule `kind` with row `row` uses state slot `slot` (the rule's kSlots).
inline bool needsState(Kind kind, const Row& row, int slot) {
  bool used = false;
  withRule(kind, [&](auto rule) {
    used = slotUsed(decltype(rule)::kSlots, row, slot);
  });
  return used;
}

// torch.nn.utils.clip_grad_norm_: coef = maxNorm / (norm + 1e-6), clamped to at most 1.
inline float clipNormScale(double norm, double maxNorm) {
  const double coef = maxNorm / (norm + 1e-6);
  return static_cast<float>(coef < 1.0 ? coef : 1.0);
}

// Whether a step needs the read-only pass over the gradients before it updates anything.
inline bool needsGradientScan(const Global& global) { return global.clipNorm > 0.0 || global.checkFinite; }

}  // namespace steepest::optim
