// Fused optimizer step over a contiguous parameter/gradient arena: one call applies gradient
// clipping (by value, by global norm), the non-finite check, L1/L2/decoupled decay, the
// optimizer's update rule (native/common/optim/<rule>.h) and proximal L1 to every parameter
// group, in one pass over memory per group (plus one read-only pass over the gradients when
// the global norm or the finite check is asked for).
#pragma once
#include <cstdint>

#include "common/optim/plan.h"

namespace steepest::cpu {

// The plan structs are backend-neutral (common/optim/plan.h); these names keep the CPU code short.
using OptimGroup = optim::Group;
using OptimArenas = optim::Arenas;
using OptimGlobal = optim::Global;
using OptimResult = optim::Result;

OptimResult optimStep(optim::Kind kind, const OptimArenas& arenas, const OptimGlobal& global,
                      const OptimGroup* groups, int groupCount);

// dst[i] = src[i], threaded: the copy-bandwidth yardstick of bench/optim.
void copyFloats(float* dst, const float* src, int64_t n);

}  // namespace steepest::cpu
