// The index checks and per-element rules of the gathers and scatters (gatherRows, index_select,
// index_add, the embedding backward, the loader's batch gather, one-hot), written once for the
// CPU side (the bindings' checks, cpu/batch_gather.cc) and the CUDA kernels (cuda/gather.cu,
// cuda/scatter.cu), which cannot ask the host to check device indices without waiting for it.
#pragma once
#include <cstdint>

#include "common/hostdevice.h"

namespace steepest {

// Whether `index` names one of `rows` rows: int32 indices, no negative wrap-around (PyTorch's
// index_select and embedding refuse negative indices too).
SP_HD bool indexInRange(int64_t index, int64_t rows) { return index >= 0 && index < rows; }

// The first position of index[0..count) that names no row of `rows`, or -1.
SP_HD int64_t firstIndexOutOfRange(const int32_t* index, int64_t count, int64_t rows) {
  for (int64_t i = 0; i < count; ++i) {
    if (!indexInRange(index[i], rows)) return i;
  }
  return -1;
}

// A fitted scaler's affine map of one feature (Standardize: scale 1 / std, shift -mean / std;
// MinMaxScale likewise), applied while the batch is gathered. Two roundings on both devices: the
// GPU's intrinsics keep nvcc from fusing them into one FMA, so the bits match the CPU's.
SP_HD float affineValue(float x, float scale, float shift) {
#if defined(__CUDA_ARCH__)
  return __fadd_rn(__fmul_rn(x, scale), shift);
#else
  return x * scale + shift;
#endif
}

}  // namespace steepest
