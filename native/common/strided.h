// The N-D strided index walk, written once for the CPU kernels (cpu/strided.cc) and the CUDA
// kernels (cuda/strided.cu): a shape and up to four operands' element strides over it, in a
// fixed-size struct that a CUDA kernel takes by value (648 bytes, well within the 4 KiB of kernel
// parameters), and the offsets of the element at a flat row-major index. A stride of 0 repeats
// an operand along its axis (NumPy/PyTorch broadcasting); strides are non-negative.
#pragma once
#include <cstdint>

#include "common/hostdevice.h"

namespace steepest {

// Up to this many dimensions (PyTorch allows 64; the bindings refuse more than this).
constexpr int kMaxStridedDims = 16;
constexpr int kMaxStridedOperands = 4;

struct StridedPlan {
  int operands = 0;
  int rank = 0;
  int64_t shape[kMaxStridedDims] = {};
  int64_t strides[kMaxStridedOperands][kMaxStridedDims] = {};
  SP_HD int64_t size() const {
    int64_t n = 1;
    for (int d = 0; d < rank; ++d) n *= shape[d];
    return n;
  }
};

// For the multi-index (i_0, ..., i_{axes-1}) of `flat` over the leading `axes` axes (row-major):
// off[k] = sum_d i_d strides[k][d] for operands k < Operands, and idx[d] = i_d when idx is not
// null. One division per axis; the CPU calls it once per run of the last axis, a GPU thread once
// per element.
template <int Operands>
SP_HD void stridedOffsets(const StridedPlan& p, int axes, int64_t flat, int64_t* off, int64_t* idx = nullptr) {
  for (int k = 0; k < Operands; ++k) off[k] = 0;
  for (int d = axes - 1; d >= 0; --d) {
    const int64_t i = flat % p.shape[d];
    flat /= p.shape[d];
    if (idx != nullptr) idx[d] = i;
    for (int k = 0; k < Operands; ++k) off[k] += i * p.strides[k][d];
  }
}

// torch.where's element: a where the condition is nonzero, b elsewhere.
template <typename T>
SP_HD T whereValue(int32_t cond, T a, T b) { return cond != 0 ? a : b; }

}  // namespace steepest
