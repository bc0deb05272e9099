// Brute-force kNN in two stages.
//  1. Screening: ||q - r||^2 = ||q||^2 + ||r||^2 - 2 q.r, and ||q||^2 is the same for every r,
//     so candidates are ranked by s(r) = ||r||^2 - 2 q.r, computed as a small GEMM against the
//     transposed data (blocks of kQ queries x 16 references held in registers).
//  2. Refinement: the expansion loses precision when ||q|| >> ||q - r|| (cancellation), so the
//     best k + kMargin candidates are re-ranked by the exact sum of squared differences in
//     double precision, and the best k of those are kept.
#include "cpu/knn.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "cpu/threadpool.h"

namespace steepest::cpu {
namespace {

constexpr int64_t kQ = 4;        // queries per register block
constexpr int64_t kR = 16;       // references per register block (one 512-bit vector)
constexpr int64_t kMargin = 8;   // extra candidates re-ranked exactly

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define SP_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SP_CLONES
#endif

// scores[q][r] = norms[r] - 2 * dot(query[q], data[r]) for kQ queries (rows of `query`, stride
// d; missing rows beyond qn are skipped) and all n references, dataT being data transposed
// ([d, nPad], nPad a multiple of kR, zero padded).
SP_CLONES void screen(const float* query, int64_t qn, int64_t d, const float* dataT, int64_t nPad,
                      const float* norms, float* scores) {
  float qv[kQ][512];
  const int64_t dd = std::min<int64_t>(d, 512);
  for (int64_t q = 0; q < kQ; ++q)
    for (int64_t c = 0; c < dd; ++c) qv[q][c] = q < qn ? query[q * d + c] : 0.f;
  for (int64_t r0 = 0; r0 < nPad; r0 += kR) {
    float acc[kQ][kR] = {};
    for (int64_t c = 0; c < d; ++c) {
      const float* b = dataT + c * nPad + r0;
      for (int64_t q = 0; q < kQ; ++q) {
        const float a = c < 512 ? qv[q][c] : (q < qn ? query[q * d + c] : 0.f);
        for (int64_t j = 0; j < kR; ++j) acc[q][j] += a * b[j];
      }
    }
    for (int64_t q = 0; q < qn; ++q)
      for (int64_t j = 0; j < kR; ++j) scores[q * nPad + r0 + j] = norms[r0 + j] - 2.f * acc[q][j];
  }
}

double exactSquared(const float* a, const float* b, int64_t d) {
  double s = 0;
  for (int64_t c = 0; c < d; ++c) {
    const double t = static_cast<double>(a[c]) - static_cast<double>(b[c]);
    s += t * t;
  }
  return s;
}

}  // namespace

void knn(const float* data, int64_t n, const float* query, int64_t m, int64_t d, int64_t k,
         bool excludeSelf, int32_t* outIndex, float* outDist) {
  if (m == 0 || k == 0) return;
  const int64_t nPad = (n + kR - 1) / kR * kR;
  std::vector<float> dataT(static_cast<size_t>(d * nPad), 0.f);
  std::vector<float> norms(static_cast<size_t>(nPad), std::numeric_limits<float>::infinity());
  parallelFor(n, 256, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      double s = 0;
      for (int64_t c = 0; c < d; ++c) {
        const float v = data[r * d + c];
        dataT[c * nPad + r] = v;
        s += static_cast<double>(v) * v;
      }
      norms[r] = static_cast<float>(s);
    }
  });
  const int64_t candidates = std::min<int64_t>(n, k + kMargin + (excludeSelf ? 1 : 0));
  const int64_t blocks = (m + kQ - 1) / kQ;
  const int64_t grain = std::max<int64_t>(1, (1 << 18) / std::max<int64_t>(1, nPad * d));
  parallelFor(blocks, grain, [&](int64_t bb, int64_t be) {
    std::vector<float> scores(static_cast<size_t>(kQ * nPad));
    std::vector<std::pair<float, int32_t>> top;
    std::vector<std::pair<double, int32_t>> exact;
    for (int64_t blk = bb; blk < be; ++blk) {
      const int64_t q0 = blk * kQ;
      const int64_t qn = std::min<int64_t>(kQ, m - q0);
      screen(query + q0 * d, qn, d, dataT.data(), nPad, norms.data(), scores.data());
      for (int64_t q = 0; q < qn; ++q) {
        const int64_t self = excludeSelf ? q0 + q : -1;
        const float* s = scores.data() + q * nPad;
        // Keep the `candidates` smallest (score, index) pairs in a sorted array: insertion is
        // cheap because almost every reference is rejected by one comparison with the last.
        top.clear();
        for (int64_t r = 0; r < n; ++r) {
          if (r == self) continue;
          const std::pair<float, int32_t> item{s[r], static_cast<int32_t>(r)};
          if (static_cast<int64_t>(top.size()) == candidates && !(item < top.back())) continue;
          if (static_cast<int64_t>(top.size()) == candidates) top.pop_back();
          top.insert(std::upper_bound(top.begin(), top.end(), item), item);
        }
        exact.clear();
        for (const auto& t : top) exact.emplace_back(exactSquared(query + (q0 + q) * d, data + t.second * d, d), t.second);
        std::sort(exact.begin(), exact.end());
        for (int64_t j = 0; j < k; ++j) {
          outIndex[(q0 + q) * k + j] = exact[j].second;
          if (outDist) outDist[(q0 + q) * k + j] = static_cast<float>(std::sqrt(exact[j].first));
        }
      }
    }
  });
}

}  // namespace steepest::cpu
