// Per-column statistics of a [rows, cols] matrix: what Standardize and MinMaxScale fit.
#pragma once
#include <cstdint>

namespace steepest::cpu {

// mean, population standard deviation (ddof 0, as scikit-learn's StandardScaler), min and max
// of every column, accumulated in double precision. Any output may be null. Returns the flat
// index of the first NaN or infinite element, or -1 when all are finite (then the statistics
// are meaningful).
int64_t columnStats(const float* x, int64_t rows, int64_t cols, float* mean, float* std, float* min, float* max);

}  // namespace steepest::cpu
