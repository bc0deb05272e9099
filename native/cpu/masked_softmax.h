// The fused softmax of attention (Vaswani et al. 2017, "Attention is all you need", eq. 1):
//   y = softmax(scale * x + mask)  over each row of `cols` (the keys),
// forward and backward in one pass over a row each, with the additive mask broadcast from a
// small tensor instead of materialized per head. Rows are (group g, query l) pairs, g = r / L
// (a group is one batch element and head), and the mask element of (g, l, s) is
//   mask[(g / groupsPerBatch) * batchStride + l * rowStride + s]
// so an attn_mask [L, S] has batchStride 0, a key padding mask [N, S] has rowStride 0, and a
// combined [N, L, S] mask has both (groupsPerBatch = heads).
#pragma once
#include <cstdint>

namespace steepest::cpu {

struct SoftmaxMask {
  const float* data = nullptr;  // null: no mask
  int64_t rowsPerGroup = 1;     // L
  int64_t groupsPerBatch = 1;   // heads
  int64_t batchStride = 0;
  int64_t rowStride = 0;
};

void maskedSoftmax(const float* x, float* y, int64_t rows, int64_t cols, float scale, const SoftmaxMask& mask);

// dx = scale * y * (g - sum_s g_s y_s), from the forward's output y.
void maskedSoftmaxBackward(const float* y, const float* g, float* dx, int64_t rows, int64_t cols, float scale);

}  // namespace steepest::cpu
