// SMOTE's synthetic samples (Chawla et al. 2002, as imbalanced-learn draws them).
#pragma once
#include <cstdint>

namespace steepest::cpu {

// Synthetic sample i (of `count`): draw u_i = draw(seed, offset + 2i) picks a (row, neighbour)
// pair uniformly among the n * k entries of `neighbours` ([n, k] indices into x), and
// t_i = draw(seed, offset + 2i + 1) in [0, 1) a step, then
//   out[i] = x[row] + t_i * (x[neighbours[row, j]] - x[row]).
// x is [n, d]; out is [count, d].
void smoteInterpolate(const float* x, int64_t n, int64_t d, const int32_t* neighbours, int64_t k,
                      int64_t count, uint64_t seed, uint64_t offset, float* out);

}  // namespace steepest::cpu
