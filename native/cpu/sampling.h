// Index sampling for shuffles, samplers and resamplers, on the common SplitMix64 stream
// (common/rng.h). The integer draws are defined exactly as src/random.ts's Generator defines
// them, so a shuffle gives the same order whether done here or in JavaScript:
//   float53(i) = (splitmix64(seed, offset + i) >> 11) / 2^53,   nextInt(n) = floor(float53 * n).
#pragma once
#include <cmath>
#include <cstdint>

#include "common/rng.h"

namespace steepest::cpu {

inline double draw53(uint64_t seed, uint64_t index) {
  return static_cast<double>(splitmix64(seed, index) >> 11) * (1.0 / 9007199254740992.0);
}

inline int64_t drawIndex(uint64_t seed, uint64_t index, int64_t n) {
  return static_cast<int64_t>(std::floor(draw53(seed, index) * static_cast<double>(n)));
}

// A uniformly random permutation of 0..n-1 by Fisher-Yates: for i = n-1 down to 1, swap
// out[i] with out[nextInt(i + 1)], the draw for i being number offset + (n - 1 - i).
void randperm(int32_t* out, int64_t n, uint64_t seed, uint64_t offset);

// count indices uniform in [0, n) with replacement: out[i] = nextInt(n) of draw offset + i.
void randomIndex(int32_t* out, int64_t count, int64_t n, uint64_t seed, uint64_t offset);

// count indices with replacement, P(j) = w[j] / sum(w) (torch.multinomial with replacement):
// draw i is u = float53 * sum, and the index is the first j whose cumulative weight exceeds u.
// Weights must be finite and >= 0 with a positive sum (the caller checks).
void weightedIndex(const float* weights, int64_t n, int32_t* out, int64_t count, uint64_t seed, uint64_t offset);

}  // namespace steepest::cpu
