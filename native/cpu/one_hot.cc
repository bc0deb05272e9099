#include "cpu/one_hot.h"

#include <algorithm>

#include "cpu/threadpool.h"

namespace steepest::cpu {

void oneHot(const int32_t* labels, int64_t n, int64_t classes, float* out) {
  const int64_t grain = std::max<int64_t>(1, (1 << 15) / std::max<int64_t>(classes, 1));
  parallelFor(n, grain, [&](int64_t b, int64_t e) {
    std::fill(out + b * classes, out + e * classes, 0.f);
    for (int64_t i = b; i < e; ++i) out[i * classes + labels[i]] = 1.f;
  });
}

}  // namespace steepest::cpu
