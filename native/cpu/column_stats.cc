// Two passes over row bands, one band per thread: sums / min / max / first non-finite, then
// the centred sum of squares sum((x - mean)^2), which avoids the cancellation of
// E[x^2] - E[x]^2. Partial results are combined in thread order, so the figures do not depend
// on timing.
#include "cpu/column_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "cpu/threadpool.h"

namespace steepest::cpu {

int64_t columnStats(const float* x, int64_t rows, int64_t cols, float* mean, float* std, float* min, float* max) {
  const int nt = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(numThreads(), rows * cols / (1 << 16))));
  const size_t c = static_cast<size_t>(cols);
  std::vector<double> sum(nt * c, 0.0), sq(nt * c, 0.0);
  std::vector<float> lo(nt * c, std::numeric_limits<float>::infinity());
  std::vector<float> hi(nt * c, -std::numeric_limits<float>::infinity());
  std::vector<int64_t> firstBad(nt, -1);
  auto band = [&](int tid, int n) {
    return std::pair<int64_t, int64_t>{rows * tid / n, rows * (tid + 1) / n};
  };
  parallelRun(nt, [&](int tid, int n) {
    const auto [r0, r1] = band(tid, n);
    double* s = sum.data() + tid * c;
    float* l = lo.data() + tid * c;
    float* h = hi.data() + tid * c;
    for (int64_t r = r0; r < r1; ++r) {
      const float* row = x + r * cols;
      for (int64_t j = 0; j < cols; ++j) {
        const float v = row[j];
        s[j] += v;
        l[j] = std::min(l[j], v);
        h[j] = std::max(h[j], v);
      }
      if (firstBad[tid] < 0) {
        for (int64_t j = 0; j < cols; ++j) {
          if (!std::isfinite(row[j])) {
            firstBad[tid] = r * cols + j;
            break;
          }
        }
      }
    }
  });
  for (int t = 0; t < nt; ++t)
    if (firstBad[t] >= 0) return firstBad[t];
  std::vector<double> mu(c, 0.0);
  for (int64_t j = 0; j < cols; ++j) {
    double s = 0;
    for (int t = 0; t < nt; ++t) s += sum[t * c + j];
    mu[j] = rows > 0 ? s / static_cast<double>(rows) : 0.0;
  }
  if (std) {
    parallelRun(nt, [&](int tid, int n) {
      const auto [r0, r1] = band(tid, n);
      double* q = sq.data() + tid * c;
      for (int64_t r = r0; r < r1; ++r) {
        const float* row = x + r * cols;
        for (int64_t j = 0; j < cols; ++j) {
          const double dv = row[j] - mu[j];
          q[j] += dv * dv;
        }
      }
    });
  }
  for (int64_t j = 0; j < cols; ++j) {
    if (mean) mean[j] = static_cast<float>(mu[j]);
    if (std) {
      double q = 0;
      for (int t = 0; t < nt; ++t) q += sq[t * c + j];
      std[j] = rows > 0 ? static_cast<float>(std::sqrt(q / static_cast<double>(rows))) : 0.f;
    }
    float l = std::numeric_limits<float>::infinity(), h = -l;
    for (int t = 0; t < nt; ++t) {
      l = std::min(l, lo[t * c + j]);
      h = std::max(h, hi[t * c + j]);
    }
    if (min) min[j] = rows > 0 ? l : 0.f;
    if (max) max[j] = rows > 0 ? h : 0.f;
  }
  return -1;
}

}  // namespace steepest::cpu
