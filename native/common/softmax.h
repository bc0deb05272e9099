// Row-wise softmax and log-softmax, written once for the CPU kernel (cpu/softmax_xent.cc) and
// the CUDA kernel (cuda/softmax.cu). For a row x of C values:
//   m = max_c x_c,  s = sum_c e^(x_c - m)  (in double)
//   softmax      y_c = e^(x_c - m) / s
//   log_softmax  y_c = x_c - (m + log s)
// and the backward from the output y and the incoming gradient g:
//   softmax      dx_c = y_c (g_c - sum_k g_k y_k)
//   log_softmax  dx_c = g_c - e^(y_c) sum_k g_k
// NaN: the max skips a NaN as std::max(m, NaN) does, but the NaN then poisons the sum, so its
// whole row is NaN; a row holding +inf (inf - inf) or only -inf is NaN too, as in PyTorch.
//
// Each pass over a row takes (first, step): the CPU runs it with (0, 1); a GPU warp runs it
// with (lane, 32) and combines the lanes' partial results with the same max and sum.
#pragma once
#include <cmath>
#include <cstdint>

#include "common/hostdevice.h"

namespace steepest {

// std::max(m, v): a NaN v leaves m unchanged, so a partial maximum is never NaN and partial
// maxima combine in any order.
SP_HD float softmaxMax(float m, float v) { return (m < v) ? v : m; }

SP_HD float softmaxRowMax(const float* x, int64_t cols, int64_t first, int64_t step) {
  float m = -INFINITY;
  for (int64_t c = first; c < cols; c += step) m = softmaxMax(m, x[c]);
  return m;
}

SP_HD double softmaxRowExpSum(const float* x, int64_t cols, float m, int64_t first, int64_t step) {
  double s = 0;
  for (int64_t c = first; c < cols; c += step) s += exp(static_cast<double>(x[c] - m));
  return s;
}

// y from the row's max m and exp-sum s; y may be x itself (each element is read, then written).
SP_HD void softmaxRowWrite(const float* x, float* y, int64_t cols, float m, double s, bool isLog, int64_t first,
                           int64_t step) {
  if (isLog) {
    const double lse = m + log(s);
    for (int64_t c = first; c < cols; c += step) y[c] = static_cast<float>(x[c] - lse);
  } else {
    const double inv = 1.0 / s;
    for (int64_t c = first; c < cols; c += step) y[c] = static_cast<float>(exp(static_cast<double>(x[c] - m)) * inv);
  }
}

// The backward's row sum: sum g y (softmax) or sum g (log_softmax).
SP_HD double softmaxRowBackwardSum(const float* y, const float* g, int64_t cols, bool isLog, int64_t first,
                                   int64_t step) {
  double s = 0;
  for (int64_t c = first; c < cols; c += step) s += isLog ? g[c] : static_cast<double>(g[c]) * y[c];
  return s;
}

// dx from the row sum s; dx may be y or g itself.
SP_HD void softmaxRowBackwardWrite(const float* y, const float* g, float* dx, int64_t cols, double s, bool isLog,
                                   int64_t first, int64_t step) {
  for (int64_t c = first; c < cols; c += step) {
    dx[c] = isLog ? static_cast<float>(g[c] - exp(static_cast<double>(y[c])) * s) : static_cast<float>(y[c] * (g[c] - s));
  }
}

}  // namespace steepest
