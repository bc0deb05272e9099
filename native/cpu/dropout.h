// Inverted dropout with the counter-based RNG (common/rng.h): element i is kept when
// uniform01(seed, offset + i) >= p and then scaled by 1 / (1 - p). The mask is a pure function
// of (seed, offset), so the backward pass regenerates it instead of storing it: the gradient is
// the same op applied to the upstream gradient.
#pragma once
#include <cstdint>

namespace steepest::cpu {

void dropout(const float* x, float* out, int64_t n, float p, uint64_t seed, uint64_t offset);

}  // namespace steepest::cpu
