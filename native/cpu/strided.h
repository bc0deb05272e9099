// N-D strided kernels: the general case of copies (permute, expand, cat/split slices) and of
// broadcasting binary ops and `where`, each operand addressed by its own element strides over a
// common shape (a stride of 0 repeats an operand along that axis: NumPy/PyTorch broadcasting).
// The output of binary/where is contiguous. Strides are non-negative.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "common/strided.h"
#include "cpu/elementwise.h"

namespace steepest::cpu {

using steepest::kMaxStridedDims;
using steepest::StridedPlan;

// The plan of a shape and the strides of up to four operands over it (common/strided.h), with
// axes of length 1 dropped and adjacent axes merged where every operand steps through them as
// one (so a contiguous copy is one axis, a bias add two). The CUDA kernels walk the same plan
// (its arrays cross the C interface, cuda/steepest_cuda.h).
StridedPlan planStrided(const std::vector<int64_t>& shape, std::initializer_list<const std::vector<int64_t>*> strides);

// dst[idx . dstStrides] = src[idx . srcStrides] for every index of the shape (4-byte elements:
// float32 or int32).
void copyStrided(const void* src, void* dst, const StridedPlan& plan);

// out[i] = op(a[idx . aStrides], b[idx . bStrides]), out contiguous (operands 0, 1, 2 = a, b, out).
void binaryStrided(BinaryOp op, const float* a, const float* b, float* out, const StridedPlan& plan);

// out[i] = cond[..] != 0 ? a[..] : b[..] (operands 0..3 = cond, a, b, out); T float or int32_t.
template <typename T>
void whereStrided(const int32_t* cond, const T* a, const T* b, T* out, const StridedPlan& plan);

}  // namespace steepest::cpu
