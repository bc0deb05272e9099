// Fused optimizer step over a contiguous parameter/gradient arena: one call applies gradient
// clipping (by value, by global norm), the non-finite check, L1/L2/decoupled decay, the
// optimizer's update rule (native/common/optim_rules.h) and proximal L1 to every parameter
// group, in one pass over memory per group (plus one read-only pass over the gradients when
// the global norm or the finite check is asked for).
#pragma once
#include <cstdint>

#include "common/optim_rules.h"

namespace steepest::cpu {

// One parameter group: a slice [offset, offset + count) of every arena, and its hyperparameters.
// The oneMinus* fields are 1 - x computed in double (see common/optim_rules.h).
struct OptimGroup {
  int64_t offset = 0;
  int64_t count = 0;
  float lr = 0.f;
  float weightDecay = 0.f;   // coupled: added to the gradient
  float decayFactor = 1.f;   // decoupled: p *= decayFactor before the update (AdamW: 1 - lr * wd)
  float l1 = 0.f;            // L1 subgradient coefficient
  float l1Shrink = 0.f;      // proximal L1: soft-threshold by this after the update (lr * l1)
  bool proximal = false;
  bool maximize = false;
  // SGD
  float momentum = 0.f, oneMinusDampening = 1.f;
  bool nesterov = false, firstStep = false;
  // RMSprop
  float alpha = 0.f, oneMinusAlpha = 1.f, epsIn = 0.f;
  bool centered = false;
  // Adam / RMSprop / Adagrad
  float eps = 0.f;
  float beta1 = 0.f, oneMinusBeta1 = 1.f, beta2 = 0.f, oneMinusBeta2 = 1.f, stepSize = 0.f, bc2Sqrt = 1.f;
  bool amsgrad = false;
  // Adagrad: lr / (1 + (t - 1) * lrDecay)
  float clr = 0.f;
};

struct OptimArenas {
  float* param = nullptr;
  const float* grad = nullptr;
  float* state[3] = {nullptr, nullptr, nullptr};
  int64_t length = 0;  // elements of every arena (the norm pass covers all of them)
};

struct OptimGlobal {
  float clipValue = INFINITY;  // +inf: off
  double clipNorm = 0.0;       // <= 0: off
  bool checkFinite = false;
};

struct OptimResult {
  double gradNorm = -1.0;        // L2 norm of the (value-clipped) gradients; -1 when not computed
  int64_t nonFiniteIndex = -1;   // first arena element whose gradient is NaN or +-inf; -1 if none
  bool applied = false;          // false when the step was skipped for a non-finite gradient
};

// Which state arenas a group of this kind needs, by slot.
bool optimNeedsState(optim::Kind kind, const OptimGroup& g, int slot);

OptimResult optimStep(optim::Kind kind, const OptimArenas& arenas, const OptimGlobal& global,
                      const OptimGroup* groups, int groupCount);

// dst[i] = src[i], threaded: the copy-bandwidth yardstick of bench/optim.
void copyFloats(float* dst, const float* src, int64_t n);

}  // namespace steepest::cpu
