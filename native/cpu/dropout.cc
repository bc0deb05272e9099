#include "cpu/dropout.h"

#include "common/dropout.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {

void dropout(const float* x, float* out, int64_t n, float p, uint64_t seed, uint64_t offset) {
  const float scale = p < 1.f ? 1.f / (1.f - p) : 0.f;
  parallelFor(n, 1 << 14, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = dropoutElement(x[i], p, scale, seed, offset + static_cast<uint64_t>(i));
  });
}

}  // namespace steepest::cpu
