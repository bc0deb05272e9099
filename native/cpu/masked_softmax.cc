#include "cpu/masked_softmax.h"

#include <algorithm>

#include "common/masked_softmax.h"
#include "cpu/threadpool.h"

// The row loops are compiled for AVX2 as well as the baseline and picked at load time by the
// CPU (GCC's target_clones), so fastExp runs 8 lanes wide where the CPU has them.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SP_ROW_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SP_ROW_CLONES
#endif

namespace steepest::cpu {
namespace {

int64_t rowGrain(int64_t cols) { return std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(cols, 1)); }

// The rows' passes are common/masked_softmax.h's, inlined here with step 1 so that they
// vectorize in each clone.
SP_ROW_CLONES void forwardRow(const float* x, const float* m, float* y, int64_t cols, float scale) {
  const float top = maskedScores(x, m, y, cols, scale, 0, 1);
  maskedNormalize(y, cols, maskedExp(y, cols, top, 0, 1), 0, 1);
}

SP_ROW_CLONES void backwardRow(const float* y, const float* g, float* dx, int64_t cols, float scale) {
  maskedBackwardWrite(y, g, dx, cols, scale, maskedBackwardDot(y, g, cols, 0, 1), 0, 1);
}

}  // namespace

void maskedSoftmax(const float* x, float* y, int64_t rows, int64_t cols, float scale, const SoftmaxMask& mask) {
  parallelFor(rows, rowGrain(cols), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) forwardRow(x + r * cols, maskRow(mask, r), y + r * cols, cols, scale);
  });
}

void maskedSoftmaxBackward(const float* y, const float* g, float* dx, int64_t rows, int64_t cols, float scale) {
  parallelFor(rows, rowGrain(cols), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) backwardRow(y + r * cols, g + r * cols, dx + r * cols, cols, scale);
  });
}

}  // namespace steepest::cpu
