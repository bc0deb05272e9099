#include "cpu/smote.h"

#include <algorithm>

#include "cpu/sampling.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {

void smoteInterpolate(const float* x, int64_t n, int64_t d, const int32_t* neighbours, int64_t k,
                      int64_t count, uint64_t seed, uint64_t offset, float* out) {
  const int64_t grain = std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(d, 1));
  parallelFor(count, grain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t pick = drawIndex(seed, offset + 2 * static_cast<uint64_t>(i), n * k);
      const float t = static_cast<float>(draw53(seed, offset + 2 * static_cast<uint64_t>(i) + 1));
      const float* a = x + (pick / k) * d;
      const float* b2 = x + static_cast<int64_t>(neighbours[pick]) * d;
      float* o = out + i * d;
      for (int64_t c = 0; c < d; ++c) o[c] = a[c] + t * (b2[c] - a[c]);
    }
  });
}

}  // namespace steepest::cpu
