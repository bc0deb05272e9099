// exp for float32 without a libm call, so that a loop of it vectorizes: Cephes' expf.
//   exp(x) = 2^n exp(r),  n = round(x / ln 2),  r = x - n ln 2 in [-ln2/2, ln2/2]
// with ln 2 split in two parts (Cody-Waite) so r is exact, and exp(r) ~ 1 + r + r^2 P(r), P of
// degree 5 (Cephes' coefficients): within 2 ulp over the float range. Arguments below
// -87.3 (e^x under float's smallest normal) give exactly 0, so -inf (a masked score) gives 0.
#pragma once
#include <cstdint>
#include <cstring>

#include "common/hostdevice.h"

namespace steepest::common {

SP_HD float fastExp(float x) {
  // Beyond 88.7 e^x overflows float anyway; below -88 the result is replaced by 0 at the end.
  const float clamped = x > 88.7f ? 88.7f : x < -88.f ? -88.f : x;
  const float n = static_cast<float>(static_cast<int32_t>(clamped * 1.44269504f + (clamped >= 0 ? 0.5f : -0.5f)));
  const float r = clamped - n * 0.693359375f - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * r * r + r + 1.f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return x < -87.3f ? 0.f : e * scale;
}

}  // namespace steepest::common
