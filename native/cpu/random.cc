#include "cpu/random.h"

#include "common/rng.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {

void randomUniform(float* out, int64_t n, uint64_t seed, uint64_t offset, float low, float high) {
  const float span = high - low;
  parallelFor(n, 1 << 14, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = uniformElement(seed, offset + static_cast<uint64_t>(i), low, span);
  });
}

void randomNormal(float* out, int64_t n, uint64_t seed, uint64_t offset, float mean, float std) {
  parallelFor(n, 1 << 13, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = normalElement(seed, offset + static_cast<uint64_t>(i), mean, std);
  });
}

}  // namespace steepest::cpu
