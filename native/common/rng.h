// The one random number generator of steepest: SplitMix64 used as a counter-based generator.
//   draw(seed, i) = mix(seed + (i + 1) * 0x9E3779B97F4A7C15)
// mix is the SplitMix64 finalizer (Steele, Lea & Flood 2014). Draw i depends only on (seed, i),
// so a tensor of n draws is the same whether it is filled by one thread, many threads or a GPU,
// on any platform: only 64-bit integer arithmetic is involved.
// uniform: the top 24 bits / 2^24, in [0, 1).
// normal:  Box-Muller on draws (2k, 2k+1) in double precision, giving elements 2k and 2k+1.
#pragma once
#include <cmath>
#include <cstdint>
#include "common/hostdevice.h"

namespace steepest {

SP_HD uint64_t splitmix64(uint64_t seed, uint64_t index) {
  uint64_t z = seed + (index + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

SP_HD float uniform01(uint64_t seed, uint64_t index) {
  return static_cast<float>(splitmix64(seed, index) >> 40) * (1.0f / 16777216.0f);
}

// Uniform in (0, 1], 53 bits: safe to take the log of.
SP_HD double uniformOpen01(uint64_t seed, uint64_t index) {
  return (static_cast<double>(splitmix64(seed, index) >> 11) + 1.0) * (1.0 / 9007199254740992.0);
}

// Element `index` of a standard-normal stream.
SP_HD float normal01(uint64_t seed, uint64_t index) {
  const uint64_t pair = index >> 1;
  const double u1 = uniformOpen01(seed, 2 * pair);
  const double u2 = uniformOpen01(seed, 2 * pair + 1);
  const double r = sqrt(-2.0 * log(u1));
  const double theta = 6.283185307179586 * u2;
  return static_cast<float>((index & 1) ? r * sin(theta) : r * cos(theta));
}

// The fills' elements, as every device computes them: uniform on [low, low + span), normal
// with `mean` and `std`.
SP_HD float uniformElement(uint64_t seed, uint64_t index, float low, float span) {
  return low + span * uniform01(seed, index);
}
SP_HD float normalElement(uint64_t seed, uint64_t index, float mean, float std) {
  return mean + std * normal01(seed, index);
}

}  // namespace steepest
