// Packing of op(A) and op(B) into the contiguous, zero-padded panels the micro-kernels stream
// (BLIS layout): an A panel holds MR rows of op(A) interleaved by k, a B panel holds NR columns
// of op(B) per k. Packing makes every kernel load unit-stride, keeps a panel within a few pages
// and removes the cache-set conflicts that power-of-two leading dimensions cause.
//
// Both packs reduce to two panel operations on a source whose `width` panel lines are either
//   - contiguous along the panel (copyPanel: op(A) = A^T, op(B) = B): dst[k][r] = src[k*ld + r]
//   - contiguous along k (a transpose: op(A) = A, op(B) = B^T):     dst[k][r] = src[r*ld + k]
// The transpose is the expensive one; the ISA files supply a vectorized version.
#include <algorithm>
#include <cstring>

#include "cpu/gemm_kernel.h"

namespace steepest::cpu::gemm_detail {
namespace {

// A full panel of a register-block width known at compile time (the MR and NR of every kernel
// set): the fixed-size memcpy becomes a few vector moves instead of a libc call per 48-256
// bytes (which cost ~15 % of a 784 x 128 x 128 weight-gradient product when it was a call).
template <int W>
void copyFullPanel(const float* src, int64_t ld, int64_t k, float* dst) {
  for (int64_t kk = 0; kk < k; ++kk) std::memcpy(dst + kk * W, src + kk * ld, sizeof(float) * W);
}

void copyPanel(const float* src, int64_t ld, int rows, int64_t k, int width, float* dst) {
  if (rows == width) {
    switch (width) {
      case 4: return copyFullPanel<4>(src, ld, k, dst);
      case 6: return copyFullPanel<6>(src, ld, k, dst);
      case 12: return copyFullPanel<12>(src, ld, k, dst);
      case 16: return copyFullPanel<16>(src, ld, k, dst);
      case 32: return copyFullPanel<32>(src, ld, k, dst);
      case 64: return copyFullPanel<64>(src, ld, k, dst);
      default: break;
    }
  }
  for (int64_t kk = 0; kk < k; ++kk) {
    const float* __restrict s = src + kk * ld;
    float* __restrict out = dst + kk * width;
    std::memcpy(out, s, sizeof(float) * static_cast<size_t>(rows));
    std::fill(out + rows, out + width, 0.f);
  }
}

// Splits `count` lines into panels of `width` and packs each with `transposed` ? transpose :
// copyPanel. `src` is the origin; line r starts at src + r * (transposed ? ld : 1).
void packPanels(bool transposed, const float* src, int64_t ld, int64_t count, int64_t k, int width,
                PanelFn transpose, float* dst) {
  for (int64_t r0 = 0; r0 < count; r0 += width, dst += k * width) {
    const int rows = static_cast<int>(std::min<int64_t>(width, count - r0));
    if (transposed) {
      transpose(src + r0 * ld, ld, rows, k, width, dst);
    } else {
      copyPanel(src + r0, ld, rows, k, width, dst);
    }
  }
}

}  // namespace

void transposePanelPortable(const float* src, int64_t ld, int rows, int64_t k, int width, float* dst) {
  // 8 k at a time so each source line is used whole while it is in L1.
  int64_t kk = 0;
  for (; kk + 8 <= k; kk += 8) {
    for (int r = 0; r < rows; ++r) {
      const float* __restrict s = src + r * ld + kk;
      float* __restrict out = dst + kk * width + r;
      for (int u = 0; u < 8; ++u) out[u * width] = s[u];
    }
  }
  for (; kk < k; ++kk) {
    for (int r = 0; r < rows; ++r) dst[kk * width + r] = src[r * ld + kk];
  }
  if (rows < width) {
    for (kk = 0; kk < k; ++kk) std::fill(dst + kk * width + rows, dst + (kk + 1) * width, 0.f);
  }
}

void packA(const KernelSet& ks, bool transA, const float* a, int64_t lda, int64_t m, int64_t k, float* dst) {
  packPanels(!transA, a, lda, m, k, ks.mr, ks.transposePanel, dst);
}

void packB(const KernelSet& ks, bool transB, const float* b, int64_t ldb, int64_t k, int64_t n, float* dst) {
  packPanels(transB, b, ldb, n, k, ks.nr, ks.transposePanel, dst);
}

}  // namespace steepest::cpu::gemm_detail
