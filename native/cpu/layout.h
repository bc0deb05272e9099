// Data movement: transpose and row gathers (the loader's batch assembly).
#pragma once
#include <cstdint>

namespace steepest::cpu {

// out[c, r] = a[r, c] for a [rows, cols] matrix.
void transpose(const float* a, int64_t rows, int64_t cols, float* out);

// out[i, :] = src[index[i], :], rows of `rowLength` elements. Indices must be validated by the
// caller (the binding does it, naming the first bad index).
template <typename T>
void gatherRows(const T* src, int64_t rowLength, const int32_t* index, int64_t count, T* out);

// The adjoint of gatherRows (an embedding's backward): out[index[i], :] += src[i, :]. Repeated
// indices add up in i order; threads split the columns, so the sums are the same bits on any
// thread count. Indices must be validated by the caller.
void scatterAddRows(const float* src, int64_t rowLength, const int32_t* index, int64_t count, float* out);

}  // namespace steepest::cpu
