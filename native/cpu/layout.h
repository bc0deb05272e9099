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

// index_select along the middle axis of src viewed as [outer, n, inner]:
// out[o, i, :] = src[o, index[i], :], out [outer, count, inner]; float32 or int32 elements (a
// copy of bits). Indices validated by the caller.
template <typename T>
void indexSelect(const T* src, int64_t outer, int64_t n, int64_t inner, const int32_t* index, int64_t count, T* out);

// Its adjoint: out[o, index[i], :] += src[o, i, :] for src [outer, count, inner], out
// [outer, n, inner]. Repeated indices add up in i order on any thread count (threads split o
// and the columns, never i).
void indexAdd(const float* src, int64_t outer, int64_t count, int64_t inner, const int32_t* index, int64_t n,
              float* out);

}  // namespace steepest::cpu
