// Reductions over one axis of a tensor viewed as [outer, n, inner].
#pragma once
#include <cstdint>

namespace steepest::cpu {

enum class ReduceOp : int { Sum = 0, Mean, Max, Min, Count };
extern const char* const kReduceOpNames[];

// out[o, i] = reduce_k a[o, k, i]. Sums accumulate in double so long axes stay accurate.
void reduce(ReduceOp op, const float* a, int64_t outer, int64_t n, int64_t inner, float* out);

// out[o, i] = argmax_k a[o, k, i]; the first maximum wins; NaN counts as the maximum (as PyTorch).
void argmax(const float* a, int64_t outer, int64_t n, int64_t inner, int32_t* out);

}  // namespace steepest::cpu
