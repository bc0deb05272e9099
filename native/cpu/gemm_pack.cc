// Packing of op(A) and op(B) into the contiguous, zero-padded panels the micro-kernels stream
// (BLIS layout): an A panel holds MR rows interleaved by k, a B panel holds NR columns per k.
// Packing makes every kernel load unit-stride and aligned to the panel, keeps a panel within
// a few pages (no TLB misses) and removes the cache-set conflicts that power-of-two leading
// dimensions cause. The copies are plain loops the compiler vectorizes.
#include <algorithm>
#include <cstring>

#include "cpu/gemm_kernel.h"

namespace steepest::cpu::gemm_detail {

void packA(bool transA, const float* a, int64_t lda, int64_t m, int64_t k, int mr, float* dst) {
  for (int64_t p0 = 0; p0 < m; p0 += mr, dst += k * mr) {
    const int rows = static_cast<int>(std::min<int64_t>(mr, m - p0));
    if (transA) {
      // op(A)(i, kk) = a[kk * lda + i]: each k contributes a contiguous run of `rows` floats.
      for (int64_t kk = 0; kk < k; ++kk) {
        const float* __restrict src = a + kk * lda + p0;
        float* __restrict out = dst + kk * mr;
        for (int i = 0; i < rows; ++i) out[i] = src[i];
        for (int i = rows; i < mr; ++i) out[i] = 0.f;
      }
    } else {
      // op(A)(i, kk) = a[i * lda + kk]: read `rows` rows side by side, 8 k at a time, so every
      // source line is used whole while it is in L1.
      const float* src = a + p0 * lda;
      int64_t kk = 0;
      for (; kk + 8 <= k; kk += 8) {
        for (int i = 0; i < rows; ++i) {
          const float* __restrict s = src + i * lda + kk;
          float* __restrict out = dst + kk * mr + i;
          for (int u = 0; u < 8; ++u) out[u * mr] = s[u];
        }
      }
      for (; kk < k; ++kk) {
        for (int i = 0; i < rows; ++i) dst[kk * mr + i] = src[i * lda + kk];
      }
      if (rows < mr) {
        for (kk = 0; kk < k; ++kk) std::fill(dst + kk * mr + rows, dst + (kk + 1) * mr, 0.f);
      }
    }
  }
}

void packB(bool transB, const float* b, int64_t ldb, int64_t k, int64_t n, int nr, float* dst) {
  for (int64_t j0 = 0; j0 < n; j0 += nr, dst += k * nr) {
    const int cols = static_cast<int>(std::min<int64_t>(nr, n - j0));
    if (!transB) {
      // op(B)(kk, j) = b[kk * ldb + j]: one contiguous run of `cols` floats per k.
      for (int64_t kk = 0; kk < k; ++kk) {
        const float* __restrict src = b + kk * ldb + j0;
        float* __restrict out = dst + kk * nr;
        if (cols == nr) {
          std::memcpy(out, src, sizeof(float) * static_cast<size_t>(nr));
        } else {
          for (int j = 0; j < cols; ++j) out[j] = src[j];
          for (int j = cols; j < nr; ++j) out[j] = 0.f;
        }
      }
    } else {
      // op(B)(kk, j) = b[j * ldb + kk]: a transpose, done 8 k at a time as for A above.
      const float* src = b + j0 * ldb;
      int64_t kk = 0;
      for (; kk + 8 <= k; kk += 8) {
        for (int j = 0; j < cols; ++j) {
          const float* __restrict s = src + j * ldb + kk;
          float* __restrict out = dst + kk * nr + j;
          for (int u = 0; u < 8; ++u) out[u * nr] = s[u];
        }
      }
      for (; kk < k; ++kk) {
        for (int j = 0; j < cols; ++j) dst[kk * nr + j] = src[j * ldb + kk];
      }
      if (cols < nr) {
        for (kk = 0; kk < k; ++kk) std::fill(dst + kk * nr + cols, dst + (kk + 1) * nr, 0.f);
      }
    }
  }
}

}  // namespace steepest::cpu::gemm_detail
