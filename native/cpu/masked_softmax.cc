#include "cpu/masked_softmax.h"

#include <algorithm>
#include <limits>

#include "common/fast_exp.h"
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

SP_ROW_CLONES void forwardRow(const float* x, const float* m, float* y, int64_t cols, float scale) {
  float top = -std::numeric_limits<float>::infinity();
  for (int64_t c = 0; c < cols; ++c) {
    const float v = scale * x[c] + (m ? m[c] : 0.f);
    y[c] = v;
    top = std::max(top, v);
  }
  float sum = 0.f;
  for (int64_t c = 0; c < cols; ++c) {
    const float e = common::fastExp(y[c] - top);
    y[c] = e;
    sum += e;
  }
  const float inv = 1.f / sum;  // a fully masked row gives 0 / 0 = NaN, as PyTorch
  for (int64_t c = 0; c < cols; ++c) y[c] *= inv;
}

SP_ROW_CLONES void backwardRow(const float* y, const float* g, float* dx, int64_t cols, float scale) {
  float dot = 0.f;
  for (int64_t c = 0; c < cols; ++c) dot += g[c] * y[c];
  for (int64_t c = 0; c < cols; ++c) dx[c] = scale * y[c] * (g[c] - dot);
}

}  // namespace

void maskedSoftmax(const float* x, float* y, int64_t rows, int64_t cols, float scale, const SoftmaxMask& mask) {
  parallelFor(rows, rowGrain(cols), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const float* m = nullptr;
      if (mask.data) {
        const int64_t g = r / mask.rowsPerGroup, l = r % mask.rowsPerGroup;
        m = mask.data + (g / mask.groupsPerBatch) * mask.batchStride + l * mask.rowStride;
      }
      forwardRow(x + r * cols, m, y + r * cols, cols, scale);
    }
  });
}

void maskedSoftmaxBackward(const float* y, const float* g, float* dx, int64_t rows, int64_t cols, float scale) {
  parallelFor(rows, rowGrain(cols), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) backwardRow(y + r * cols, g + r * cols, dx + r * cols, cols, scale);
  });
}

}  // namespace steepest::cpu
