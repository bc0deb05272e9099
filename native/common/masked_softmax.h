// Attention's fused softmax (Vaswani et al. 2017, eq. 1), written once for the CPU kernel
// (cpu/masked_softmax.cc) and the CUDA kernel (cuda/masked_softmax.cu):
//   y = softmax(scale * x + mask)  over each row of `cols` (the keys), in float with fastExp,
//   dx = scale * y * (g - sum_s g_s y_s)  from the forward's output y.
// Rows are (group g, query l) pairs, g = r / L (a group is one batch element and head), and
// the mask element of (g, l, s) is
//   mask[(g / groupsPerBatch) * batchStride + l * rowStride + s]
// so an attn_mask [L, S] has batchStride 0, a key padding mask [N, S] has rowStride 0, and a
// combined [N, L, S] mask has both (groupsPerBatch = heads). A fully masked row (every score
// -inf) gives NaN, as PyTorch.
//
// Each pass over a row takes (first, step): the CPU runs it with (0, 1), where it vectorizes;
// a GPU warp runs it with (lane, 32) and combines the lanes' partial max and sum.
#pragma once
#include <cmath>
#include <cstdint>

#include "common/fast_exp.h"
#include "common/hostdevice.h"
#include "common/softmax.h"

namespace steepest {

struct SoftmaxMask {
  const float* data = nullptr;  // null: no mask
  int64_t rowsPerGroup = 1;     // L
  int64_t groupsPerBatch = 1;   // heads
  int64_t batchStride = 0;
  int64_t rowStride = 0;
};

// The mask row of row r, or null without a mask.
SP_HD const float* maskRow(const SoftmaxMask& mask, int64_t r) {
  if (!mask.data) return nullptr;
  const int64_t g = r / mask.rowsPerGroup, l = r % mask.rowsPerGroup;
  return mask.data + (g / mask.groupsPerBatch) * mask.batchStride + l * mask.rowStride;
}

// Pass 1: y = scale * x + mask (kept in y for pass 2); returns the max. x may be y itself.
SP_HD float maskedScores(const float* x, const float* m, float* y, int64_t cols, float scale, int64_t first,
                         int64_t step) {
  float top = -INFINITY;
  for (int64_t c = first; c < cols; c += step) {
    const float v = scale * x[c] + (m ? m[c] : 0.f);
    y[c] = v;
    top = softmaxMax(top, v);
  }
  return top;
}

// Pass 2: y = e^(y - top); returns the sum.
SP_HD float maskedExp(float* y, int64_t cols, float top, int64_t first, int64_t step) {
  float sum = 0.f;
  for (int64_t c = first; c < cols; c += step) {
    const float e = common::fastExp(y[c] - top);
    y[c] = e;
    sum += e;
  }
  return sum;
}

// Pass 3: y *= 1 / sum (a fully masked row: NaN, as PyTorch).
SP_HD void maskedNormalize(float* y, int64_t cols, float sum, int64_t first, int64_t step) {
  const float inv = 1.f / sum;
  for (int64_t c = first; c < cols; c += step) y[c] *= inv;
}

// The backward's row dot product sum g y.
SP_HD float maskedBackwardDot(const float* y, const float* g, int64_t cols, int64_t first, int64_t step) {
  float dot = 0.f;
  for (int64_t c = first; c < cols; c += step) dot += g[c] * y[c];
  return dot;
}

// dx from the row's dot product; dx may be y or g itself.
SP_HD void maskedBackwardWrite(const float* y, const float* g, float* dx, int64_t cols, float scale, float dot,
                               int64_t first, int64_t step) {
  for (int64_t c = first; c < cols; c += step) dx[c] = scale * y[c] * (g[c] - dot);
}

}  // namespace steepest
