// The plan of one fused optimizer step, backend-neutral: the N-API layer reads it from the step
// table (napi/optim_napi.cc), and each backend's kernel runs it over its arenas (cpu/optim.cc,
// and the CUDA kernels of a later issue). Only plain structs and the decisions every backend
// makes the same way live here: which state slots a rule uses, and the clip-by-norm factor.
#pragma once
#include <cmath>
#include <cstdint>

#include "common/hostdevice.h"
#include "common/optim_rules.h"

// The step table's fields in table order: the one native list, expanded below into the
// N-API's field positions and names. src/backend/step_layout.ts declares the same list for
// TypeScript; the CPU backend compares the two when it loads, and
// test/optim/step_layout.test.ts reads this file, so neither side can drift alone.
// Adding a hyperparameter: its name here and in step_layout.ts, its field in Group below, its
// conversion in napi/optim_napi.cc (readRow), its use in the rule.
#define SP_OPTIM_HEADER_FIELDS(X) X(clipValue) X(clipNorm) X(checkFinite) X(gradNorm) X(nonFiniteIndex) X(applied)
#define SP_OPTIM_ROW_FIELDS(X)                                                                                     \
  X(offset) X(count) X(lr) X(weightDecay) X(decayFactor) X(l1) X(l1Shrink) X(proximal) X(maximize) X(momentum)   \
  X(dampening) X(nesterov) X(firstStep) X(alpha) X(epsIn) X(centered) X(eps) X(beta1) X(beta2) X(stepSize)        \
  X(bc2Sqrt) X(amsgrad) X(clr)

namespace steepest::optim {

// One parameter group: a slice [offset, offset + count) of every arena, and its hyperparameters.
// The oneMinus* fields are 1 - x computed in double (see optim_rules.h).
struct Group {
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

// The arenas of one step, `length` elements each, in the memory of the backend that runs it.
struct Arenas {
  float* param = nullptr;
  const float* grad = nullptr;
  float* state[3] = {nullptr, nullptr, nullptr};
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

// Which state arenas a group of this kind needs, by slot (SGD: momentum_buffer; RMSprop:
// square_avg, momentum_buffer, grad_avg; Adam: exp_avg, exp_avg_sq, max_exp_avg_sq; Adagrad: sum).
inline bool needsState(Kind kind, const Group& g, int slot) {
  switch (kind) {
    case Kind::Sgd: return slot == 0 && g.momentum != 0.f;
    case Kind::RmsProp: return slot == 0 || (slot == 1 && g.momentum > 0.f) || (slot == 2 && g.centered);
    case Kind::Adam: return slot < 2 || (slot == 2 && g.amsgrad);
    case Kind::Adagrad: return slot == 0;
    default: return false;
  }
}

// torch.nn.utils.clip_grad_norm_: coef = maxNorm / (norm + 1e-6), clamped to at most 1.
inline float clipNormScale(double norm, double maxNorm) {
  const double coef = maxNorm / (norm + 1e-6);
  return static_cast<float>(coef < 1.0 ? coef : 1.0);
}

// Whether a step needs the read-only pass over the gradients before it updates anything.
inline bool needsGradientScan(const Global& global) { return global.clipNorm > 0.0 || global.checkFinite; }

}  // namespace steepest::optim
