// The fused softmax of attention, y = softmax(scale * x + mask) over each row of `cols`, forward
// and backward in one pass over a row each; the math and the mask geometry (SoftmaxMask) are
// common/masked_softmax.h's.
#pragma once
#include <cstdint>

#include "common/masked_softmax.h"

namespace steepest::cpu {

using steepest::SoftmaxMask;

void maskedSoftmax(const float* x, float* y, int64_t rows, int64_t cols, float scale, const SoftmaxMask& mask);

// dx = scale * y * (g - sum_s g_s y_s), from the forward's output y.
void maskedSoftmaxBackward(const float* y, const float* g, float* dx, int64_t rows, int64_t cols, float scale);

}  // namespace steepest::cpu
