// One-hot encoding of int32 class labels.
#pragma once
#include <cstdint>

namespace steepest::cpu {

// out ([n, classes], float32) = 1 at (i, labels[i]) and 0 elsewhere. Labels must lie in
// [0, classes); the caller checks.
void oneHot(const int32_t* labels, int64_t n, int64_t classes, float* out);

}  // namespace steepest::cpu
