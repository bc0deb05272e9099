#include "cpu/max_pool_2x2.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace steepest::cpu {

bool isMaxPool2x2(const common::PoolGeometry& g) {
  return g.KH == 2 && g.KW == 2 && g.strideH == 2 && g.strideW == 2 && g.padH == 0 && g.padW == 0 &&
         g.dilationH == 1 && g.dilationW == 1;
}

namespace {

// One output by PyTorch's rule over the taps in order (r0[0], r0[1], r1[0], r1[1]).
inline void windowMax(const float* r0, const float* r1, int32_t i0, int32_t W, float& best, int32_t& at) {
  const float taps[3] = {r0[1], r1[0], r1[1]};
  const int32_t offsets[3] = {1, W, W + 1};
  best = r0[0];
  at = i0;
  for (int t = 0; t < 3; ++t) {
    const float v = taps[t];
    if ((v > best) | (v != v)) {
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

}  // namespace

void maxPool2x2Plane(const float* in, const common::PoolGeometry& g, float* out, int32_t* idx) {
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

}  // namespace steepest::cpu
