#include "cpu/conv_rows.h"

#include <cstring>

#include "cpu/gemm.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define SP_HAVE_AVX512 1
#define SP_AVX512 __attribute__((target("avx512f")))
#endif

namespace steepest::cpu {
namespace {

// dst[0..n) = src[0..n) in 4-float moves, the last one overlapping the previous (10 floats:
// three moves, no scalar tail).
inline void copyShort(float* dst, const float* src, int64_t n) {
  if (n < 4) {
    for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
    return;
  }
  for (int64_t i = 0; i + 4 < n; i += 4) std::memcpy(dst + i, src + i, 16);
  std::memcpy(dst + n - 4, src + n - 4, 16);
}

// dst[0..n) += src[0..n), 4 at a time (no overlap here: an add must not run twice).
inline void addShort(float* __restrict dst, const float* __restrict src, int64_t n) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    float a[4], b[4];
    std::memcpy(a, dst + i, 16);
    std::memcpy(b, src + i, 16);
    for (int j = 0; j < 4; ++j) a[j] += b[j];
    std::memcpy(dst + i, a, 16);
  }
  for (; i < n; ++i) dst[i] += src[i];
}

void copyPortable(float* dst, int64_t ldd, const float* src, int64_t lds, int64_t rows, int64_t width, int64_t lo,
                  int64_t hi) {
  for (int64_t r = 0; r < rows; ++r, dst += ldd, src += lds) {
    for (int64_t j = 0; j < lo; ++j) dst[j] = 0.0f;
    copyShort(dst + lo, src + lo, hi - lo);
    for (int64_t j = hi; j < width; ++j) dst[j] = 0.0f;
  }
}

// Zero the plane, then add each tap's rows back where they were read from.
void col2imPlanePortable(const float* col, int64_t ldcol, const TapRange* taps, const common::ConvGeometry& g,
                         float* plane) {
  std::memset(plane, 0, static_cast<size_t>(g.H * g.W) * sizeof(float));
  const int64_t OW = g.OW, rowStep = g.strideH * g.W;
  for (int64_t k = 0; k < g.KH * g.KW; ++k) {
    const TapRange t = taps[k];
    const float* in = col + k * ldcol + t.ohLo * OW;
    float* dst = plane + (t.ohLo * g.strideH + t.ih0) * g.W + t.iw0;
    for (int64_t oh = t.ohLo; oh < t.ohHi; ++oh, in += OW, dst += rowStep) addShort(dst + t.owLo, in + t.owLo, t.owHi - t.owLo);
  }
}

#if SP_HAVE_AVX512
// Lanes [a, b) of the 16 starting at column c0, as a mask.
inline __mmask16 lanes(int64_t c0, int64_t a, int64_t b) {
  const int64_t from = a > c0 ? a - c0 : 0, to = b < c0 + 16 ? b - c0 : 16;
  if (to <= from) return 0;
  return static_cast<__mmask16>(((1u << (to - from)) - 1u) << from);
}

// Each row in chunks of 16 columns: store lanes inside [0, width), load lanes inside [lo, hi)
// (maskz: the rest are the padding's zeros). The masks are the same for every row.
SP_AVX512 void copyAvx512(float* dst, int64_t ldd, const float* src, int64_t lds, int64_t rows, int64_t width,
                          int64_t lo, int64_t hi) {
  if (width <= 16) {
    const __mmask16 store = lanes(0, 0, width), load = lanes(0, lo, hi);
    for (int64_t r = 0; r < rows; ++r, dst += ldd, src += lds)
      _mm512_mask_storeu_ps(dst, store, _mm512_maskz_loadu_ps(load, src));
    return;
  }
  // Wider rows: the masks of each 16-column chunk once, then the rows (kMaxChunks chunks at most
  // here: 128 columns; wider ones recompute the masks per row).
  constexpr int64_t kMaxChunks = 8;
  const int64_t chunks = (width + 15) / 16;
  if (chunks > kMaxChunks) {
    for (int64_t r = 0; r < rows; ++r, dst += ldd, src += lds)
      for (int64_t c0 = 0; c0 < width; c0 += 16)
        _mm512_mask_storeu_ps(dst + c0, lanes(c0, 0, width), _mm512_maskz_loadu_ps(lanes(c0, lo, hi), src + c0));
    return;
  }
  __mmask16 store[kMaxChunks], load[kMaxChunks];
  for (int64_t j = 0; j < chunks; ++j) store[j] = lanes(16 * j, 0, width), load[j] = lanes(16 * j, lo, hi);
  for (int64_t r = 0; r < rows; ++r, dst += ldd, src += lds)
    for (int64_t j = 0; j < chunks; ++j)
      _mm512_mask_storeu_ps(dst + 16 * j, store[j], _mm512_maskz_loadu_ps(load[j], src + 16 * j));
}

// Input row ih, 16 columns at a time: the kernel rows kh whose output row oh = ih - ih0(kh)
// exists add their KW col rows, each shifted by its iw0, into registers; one store per 16
// columns. The column masks depend on (kw, chunk) only and are made once per chunk. (Row stride
// 1 and at most kMaxKw kernel columns; otherwise the portable adds.)
constexpr int64_t kMaxKw = 16;

SP_AVX512 void col2imPlaneAvx512(const float* col, int64_t ldcol, const TapRange* taps, const common::ConvGeometry& g,
                                 float* plane) {
  if (g.strideH != 1 || g.KW > kMaxKw) return col2imPlanePortable(col, ldcol, taps, g, plane);
  const int64_t H = g.H, W = g.W, OW = g.OW, KH = g.KH, KW = g.KW;
  __mmask16 mask[kMaxKw];
  int64_t shift[kMaxKw];
  for (int64_t c0 = 0; c0 < W; c0 += 16) {
    for (int64_t kw = 0; kw < KW; ++kw) {
      // Column iw of the plane takes col column ow = iw - iw0 for ow in [owLo, owHi).
      const TapRange& t = taps[kw];
      mask[kw] = lanes(c0, t.owLo + t.iw0, t.owHi + t.iw0);
      shift[kw] = kw * ldcol + c0 - t.iw0;
    }
    const __mmask16 store = lanes(c0, 0, W);
    for (int64_t ih = 0; ih < H; ++ih) {
      // Four partial sums in registers: one would chain every add on the previous (4 cycles
      // each, 25 taps for a 5x5 kernel).
      __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
      for (int64_t kh = 0; kh < KH; ++kh) {
        const TapRange& t = taps[kh * KW];  // the row range is the same for every kw
        const int64_t oh = ih - t.ih0;
        if (oh < t.ohLo || oh >= t.ohHi) continue;
        const float* row = col + kh * KW * ldcol + oh * OW;
        int64_t kw = 0;
        for (; kw + 4 <= KW; kw += 4) {
          a0 = _mm512_add_ps(a0, _mm512_maskz_loadu_ps(mask[kw], row + shift[kw]));
          a1 = _mm512_add_ps(a1, _mm512_maskz_loadu_ps(mask[kw + 1], row + shift[kw + 1]));
          a2 = _mm512_add_ps(a2, _mm512_maskz_loadu_ps(mask[kw + 2], row + shift[kw + 2]));
          a3 = _mm512_add_ps(a3, _mm512_maskz_loadu_ps(mask[kw + 3], row + shift[kw + 3]));
        }
        for (; kw < KW; ++kw) a0 = _mm512_add_ps(a0, _mm512_maskz_loadu_ps(mask[kw], row + shift[kw]));
      }
      _mm512_mask_storeu_ps(plane + ih * W + c0, store, _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
    }
  }
}
#endif

}  // namespace

const RowMoves& rowMoves() {
  static const RowMoves portable{copyPortable, col2imPlanePortable};
#if SP_HAVE_AVX512
  static const RowMoves avx512{copyAvx512, col2imPlaneAvx512};
  if (std::strcmp(gemmIsa(), "avx512") == 0) return avx512;
#endif
  return portable;
}

}  // namespace steepest::cpu
