// Batch assembly for the DataLoader in one pass: gather feature rows by index, apply the fitted
// per-feature affine map of a scaler (Standardize / MinMaxScale), and gather the labels.
#pragma once
#include <cstdint>

namespace steepest::cpu {

// For i < count, r = index[i]:
//   xOut[i, :] = x[r, :] * scale + shift   (common/gather.h's affineValue; a plain copy when
//                                           scale and shift are null)
//   yOut[i]    = y[r]                       (skipped when y is null)
// Indices must be validated by the caller.
void gatherBatch(const float* x, int64_t rowLength, const int32_t* y, const int32_t* index, int64_t count,
                 const float* scale, const float* shift, float* xOut, int32_t* yOut);

}  // namespace steepest::cpu
