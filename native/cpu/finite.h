// Finiteness scan for the training monitor: where did a tensor first go NaN or ±Inf?
#pragma once
#include <cstdint>

namespace steepest::cpu {

// Index of the first element of a[0, n) that is NaN or ±Inf, or -1 when all are finite.
// Chunks are scanned in parallel; the smallest hit wins, so the answer does not depend on
// the thread count.
int64_t firstNonFinite(const float* a, int64_t n);

}  // namespace steepest::cpu
