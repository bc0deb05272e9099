// Elementwise losses (MSE, L1, Huber, BCE with logits), math in common/losses.h.
#pragma once
#include <cstdint>

#include "common/losses.h"
#include "cpu/softmax_xent.h"

namespace steepest::cpu {

extern const char* const kPointwiseLossNames[];

// loss(x, t) over n elements laid out as rows of `cols`; posWeight (optional, length cols) is
// BCE's pos_weight per column, otherwise `param` (Huber delta, BCE pos_weight) applies to all.
// out: n values (None) or one. grad (optional, n): d out / d x.
void pointwiseLoss(PointwiseLoss op, const float* x, const float* t, const float* posWeight, int64_t n,
                   int64_t cols, float param, Reduction reduction, float* out, float* grad);

}  // namespace steepest::cpu
