#include "cpu/max_pool_2x2.h"

#include <cstring>

#include "common/pool_windows.h"
#include "cpu/gemm.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define SP_HAVE_AVX512 1
#define SP_AVX512 __attribute__((target("avx512f")))
#endif

namespace steepest::cpu {

bool isMaxPool2x2(const common::PoolGeometry& g) {
  return g.KH == 2 && g.KW == 2 && g.strideH == 2 && g.strideW == 2 && g.padH == 0 && g.padW == 0 &&
         g.dilationH == 1 && g.dilationW == 1;
}

namespace {

// One output by PyTorch's rule (common/pool_windows.h's maxPoolTakes) over the taps in order
// (r0[0], r0[1], r1[0], r1[1]); the vector paths below apply the same rule lane by lane.
inline void windowMax(const float* r0, const float* r1, int32_t i0, int32_t W, float& best, int32_t& at) {
  const float taps[3] = {r0[1], r1[0], r1[1]};
  const int32_t offsets[3] = {1, W, W + 1};
  best = r0[0];
  at = i0;
  for (int t = 0; t < 3; ++t) {
    const float v = taps[t];
    if (common::maxPoolTakes(v, best, false)) {
      best = v;
      at = i0 + offsets[t];
    }
  }
}

#if defined(__SSE2__)
// Lanes of best/at take v/i where v > best or v is NaN.
inline void take4(__m128 v, __m128i i, __m128& best, __m128i& at) {
  const __m128 mask = _mm_or_ps(_mm_cmpgt_ps(v, best), _mm_cmpunord_ps(v, v));
  best = _mm_or_ps(_mm_and_ps(mask, v), _mm_andnot_ps(mask, best));
  const __m128i m = _mm_castps_si128(mask);
  at = _mm_or_si128(_mm_and_si128(m, i), _mm_andnot_si128(m, at));
}
#endif

#if SP_HAVE_AVX512
// Sixteen windows per step: 32 columns of both rows in two masked loads each, their even and odd
// columns de-interleaved by two permutes; the rule as take4's, with mask registers.
SP_AVX512 void planeAvx512(const float* in, const common::PoolGeometry& g, float* out, int32_t* idx) {
  const int32_t W = static_cast<int32_t>(g.W), OH = static_cast<int32_t>(g.OH), OW = static_cast<int32_t>(g.OW);
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  const __m512i lane = _mm512_slli_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 1);
  for (int32_t oh = 0; oh < OH; ++oh) {
    const float* r0 = in + 2 * oh * W;
    const float* r1 = r0 + W;
    for (int32_t ow = 0; ow < OW; ow += 16) {
      const int32_t n = OW - ow < 16 ? OW - ow : 16;  // windows this step
      const __mmask16 outs = static_cast<__mmask16>((1u << n) - 1u);
      // Columns 2ow .. 2ow + 2n of each row, in two 16-lane halves (2 * OW <= W: inside the row).
      const int32_t lo = 2 * n < 16 ? 2 * n : 16, hi = 2 * n - lo;
      const __mmask16 mLo = static_cast<__mmask16>((1u << lo) - 1u), mHi = static_cast<__mmask16>((1u << hi) - 1u);
      const __m512 a0 = _mm512_maskz_loadu_ps(mLo, r0 + 2 * ow), a1 = _mm512_maskz_loadu_ps(mHi, r0 + 2 * ow + 16);
      const __m512 b0 = _mm512_maskz_loadu_ps(mLo, r1 + 2 * ow), b1 = _mm512_maskz_loadu_ps(mHi, r1 + 2 * ow + 16);
      const __m512i i00 = _mm512_add_epi32(_mm512_set1_epi32(2 * oh * W + 2 * ow), lane);
      __m512 best = _mm512_permutex2var_ps(a0, even, a1);
      __m512i at = i00;
      const __m512 taps[3] = {_mm512_permutex2var_ps(a0, odd, a1), _mm512_permutex2var_ps(b0, even, b1),
                              _mm512_permutex2var_ps(b0, odd, b1)};
      const int32_t offsets[3] = {1, W, W + 1};
      for (int t = 0; t < 3; ++t) {
        const __mmask16 take = _mm512_cmp_ps_mask(taps[t], best, _CMP_GT_OQ) | _mm512_cmp_ps_mask(taps[t], taps[t], _CMP_UNORD_Q);
        best = _mm512_mask_mov_ps(best, take, taps[t]);
        at = _mm512_mask_mov_epi32(at, take, _mm512_add_epi32(i00, _mm512_set1_epi32(offsets[t])));
      }
      _mm512_mask_storeu_ps(out + oh * OW + ow, outs, best);
      _mm512_mask_storeu_epi32(idx + oh * OW + ow, outs, at);
    }
  }
}
#endif

void maxPool2x2PlaneSse(const float* in, const common::PoolGeometry& g, float* out, int32_t* idx) {
  const int32_t W = static_cast<int32_t>(g.W), OH = static_cast<int32_t>(g.OH), OW = static_cast<int32_t>(g.OW);
  for (int32_t oh = 0; oh < OH; ++oh) {
    const float* r0 = in + 2 * oh * W;
    const float* r1 = r0 + W;
    float* o = out + oh * OW;
    int32_t* x = idx + oh * OW;
    int32_t ow = 0;
#if defined(__SSE2__)
    // Four windows: columns 2ow .. 2ow + 8 of both rows (inside the row: 2 * OW <= W).
    const __m128i lane = _mm_setr_epi32(0, 2, 4, 6);
    for (; ow + 4 <= OW; ow += 4) {
      const __m128 a0 = _mm_loadu_ps(r0 + 2 * ow), a1 = _mm_loadu_ps(r0 + 2 * ow + 4);
      const __m128 b0 = _mm_loadu_ps(r1 + 2 * ow), b1 = _mm_loadu_ps(r1 + 2 * ow + 4);
      const __m128i i00 = _mm_add_epi32(_mm_set1_epi32(2 * oh * W + 2 * ow), lane);
      __m128 best = _mm_shuffle_ps(a0, a1, _MM_SHUFFLE(2, 0, 2, 0));  // r0 even columns
      __m128i at = i00;
      take4(_mm_shuffle_ps(a0, a1, _MM_SHUFFLE(3, 1, 3, 1)), _mm_add_epi32(i00, _mm_set1_epi32(1)), best, at);
      take4(_mm_shuffle_ps(b0, b1, _MM_SHUFFLE(2, 0, 2, 0)), _mm_add_epi32(i00, _mm_set1_epi32(W)), best, at);
      take4(_mm_shuffle_ps(b0, b1, _MM_SHUFFLE(3, 1, 3, 1)), _mm_add_epi32(i00, _mm_set1_epi32(W + 1)), best, at);
      _mm_storeu_ps(o + ow, best);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(x + ow), at);
    }
#endif
    for (; ow < OW; ++ow) windowMax(r0 + 2 * ow, r1 + 2 * ow, 2 * oh * W + 2 * ow, W, o[ow], x[ow]);
  }
}

}  // namespace

MaxPool2x2Plane maxPool2x2Kernel() {
#if SP_HAVE_AVX512
  if (std::strcmp(gemmIsa(), "avx512") == 0) return planeAvx512;
#endif
  return maxPool2x2PlaneSse;
}

}  // namespace steepest::cpu
