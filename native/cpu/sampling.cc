#include "cpu/sampling.h"

#include <algorithm>
#include <vector>

#include "cpu/threadpool.h"

namespace steepest::cpu {

void randperm(int32_t* out, int64_t n, uint64_t seed, uint64_t offset) {
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<int32_t>(i);
  // Sequential by nature; the draws themselves are cheap integer mixes.
  for (int64_t i = n - 1; i > 0; --i) {
    const int64_t j = drawIndex(seed, offset + static_cast<uint64_t>(n - 1 - i), i + 1);
    std::swap(out[i], out[j]);
  }
}

void randomIndex(int32_t* out, int64_t count, int64_t n, uint64_t seed, uint64_t offset) {
  parallelFor(count, 1 << 15, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) out[i] = static_cast<int32_t>(drawIndex(seed, offset + static_cast<uint64_t>(i), n));
  });
}

void weightedIndex(const float* weights, int64_t n, int32_t* out, int64_t count, uint64_t seed, uint64_t offset) {
  std::vector<double> cdf(static_cast<size_t>(n));
  double total = 0;
  int64_t last = 0;  // the last index with positive weight: u can round up to the total
  for (int64_t j = 0; j < n; ++j) {
    cdf[j] = (total += weights[j]);
    if (weights[j] > 0) last = j;
  }
  parallelFor(count, 1 << 13, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const double u = draw53(seed, offset + static_cast<uint64_t>(i)) * total;
      // First j with cdf[j] > u: zero-weight entries (cdf equal to the previous) never win.
      int64_t j = std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin();
      out[i] = static_cast<int32_t>(std::min(j, last));
    }
  });
}

}  // namespace steepest::cpu
