// Exact k-nearest-neighbour search (Euclidean), brute force: the kernel behind SMOTE.
#pragma once
#include <cstdint>

namespace steepest::cpu {

// For each of the m query rows, the indices of its k nearest rows of `data` ([n, d]), nearest
// first, ties broken by the lower index. With excludeSelf the queries must be the data rows
// themselves (m == n) and row i is never its own neighbour. dist (optional, [m, k]) receives
// the Euclidean distances. Requires k <= n (k < n with excludeSelf); the caller checks.
void knn(const float* data, int64_t n, const float* query, int64_t m, int64_t d, int64_t k,
         bool excludeSelf, int32_t* outIndex, float* outDist);

}  // namespace steepest::cpu
