#include "cpu/reduce.h"

#include <cmath>
#include <limits>

#include "cpu/threadpool.h"

namespace steepest::cpu {

const char* const kReduceOpNames[] = {"sum", "mean", "max", "min"};

namespace {
constexpr int64_t kGrainElements = 1 << 15;

int64_t grainFor(int64_t perItem) {
  return perItem >= kGrainElements ? 1 : kGrainElements / (perItem > 0 ? perItem : 1);
}
}  // namespace

void reduce(ReduceOp op, const float* a, int64_t outer, int64_t n, int64_t inner, float* out) {
  const int64_t items = outer * inner;
  parallelFor(items, grainFor(n), [&](int64_t b, int64_t e) {
    for (int64_t item = b; item < e; ++item) {
      const int64_t o = item / inner;
      const int64_t i = item % inner;
      const float* p = a + o * n * inner + i;
      if (op == ReduceOp::Sum || op == ReduceOp::Mean) {
        double acc = 0;
        for (int64_t k = 0; k < n; ++k) acc += p[k * inner];
        out[item] = static_cast<float>(op == ReduceOp::Mean ? acc / static_cast<double>(n) : acc);
      } else {
        const bool isMax = op == ReduceOp::Max;
        float best = isMax ? -std::numeric_limits<float>::infinity() : std::numeric_limits<float>::infinity();
        for (int64_t k = 0; k < n; ++k) {
          const float v = p[k * inner];
          if (std::isnan(v)) {
            best = v;
            break;
          }
          if (isMax ? v > best : v < best) best = v;
        }
        out[item] = best;
      }
    }
  });
}

void argmax(const float* a, int64_t outer, int64_t n, int64_t inner, int32_t* out) {
  const int64_t items = outer * inner;
  parallelFor(items, grainFor(n), [&](int64_t b, int64_t e) {
    for (int64_t item = b; item < e; ++item) {
      const int64_t o = item / inner;
      const int64_t i = item % inner;
      const float* p = a + o * n * inner + i;
      int64_t best = 0;
      float bestValue = p[0];
      for (int64_t k = 0; k < n; ++k) {
        const float v = p[k * inner];
        if (std::isnan(v)) {
          best = k;
          break;
        }
        if (v > bestValue) {
          bestValue = v;
          best = k;
        }
      }
      out[item] = static_cast<int32_t>(best);
    }
  });
}

}  // namespace steepest::cpu
