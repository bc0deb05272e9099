// Random fills from the counter-based generator in common/rng.h: element i of a fill started
// at stream position `offset` is draw (seed, offset + i), whatever the thread count.
#pragma once
#include <cstdint>

namespace steepest::cpu {

void randomUniform(float* out, int64_t n, uint64_t seed, uint64_t offset, float low, float high);
void randomNormal(float* out, int64_t n, uint64_t seed, uint64_t offset, float mean, float std);

}  // namespace steepest::cpu
