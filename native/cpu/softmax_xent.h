// Row-wise softmax / log-softmax and the fused softmax + cross-entropy (and NLL) loss.
// Math in common/losses.h and common/softmax.h.
#pragma once
#include <cstdint>

#include "common/losses.h"

namespace steepest::cpu {

enum class Reduction : int { None = 0, Mean, Sum, Count };
extern const char* const kReductionNames[];

// Cross-entropy of N rows of C logits (or NLL of log-probs, p.logProbInput) against int32
// labels. out: N losses (None) or one value. grad (optional, N x C): d out / d z for Mean/Sum,
// d loss_i / d z_i per row for None. Labels must be valid or ignoreIndex (checked by the caller).
void classLoss(const float* z, const int32_t* labels, int64_t N, const ClassLossParams& p, int64_t ignoreIndex,
               Reduction reduction, float* out, float* grad);

// y = softmax(x) (or log_softmax when `log`) over each row of `cols`.
void softmax(const float* x, float* y, int64_t rows, int64_t cols, bool log);

// Backward from the output y: softmax dx = y (g - sum(g y)); log_softmax dx = g - e^y sum(g).
void softmaxBackward(const float* y, const float* g, float* dx, int64_t rows, int64_t cols, bool log);

}  // namespace steepest::cpu
