// Inverted dropout of one element, shared by the CPU and CUDA kernels: element i is kept when
// draw i of the counter-based stream (common/rng.h) is >= p, and then scaled by 1 / (1 - p).
#pragma once
#include <cstdint>

#include "common/hostdevice.h"
#include "common/rng.h"

namespace steepest {

// scale = 1 / (1 - p), or 0 when p == 1.
SP_HD float dropoutElement(float x, float p, float scale, uint64_t seed, uint64_t index) {
  return uniform01(seed, index) >= p ? x * scale : 0.f;
}

}  // namespace steepest
