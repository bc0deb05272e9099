// The index math of convolution and pooling windows (the rule of common/conv_geometry.h:
// output o reads input i = o * stride - pad + k * dilation through kernel tap k), forwards and
// inverted, and im2col / col2im on it, for the CUDA kernels (cuda/im2col.cu, cuda/pool.cu) and
// the CPU's (cpu/conv2d.cc walks the same rule as ranges: tapOutputRange).
//   im2col:  col[(c, kh, kw), (oh, ow)] = x[c, ih, iw] of one image, 0 where (ih, iw) is padding;
//            rows over all C channels, so group g's rows are [g Kc, (g + 1) Kc), Kc = C/g KH KW
//   col2im:  its adjoint, dx[c, ih, iw] = sum of the col entries that read (c, ih, iw)
// col2im is written as a gather (each input sums its own taps) rather than cpu/conv2d.cc's
// scatter, so a GPU thread per input needs no atomics and the sum has a fixed order.
#pragma once
#include <cstdint>

#include "common/conv_geometry.h"
#include "common/hostdevice.h"

namespace steepest::common {

// The input coordinate output o reads through tap k, or -1 where it reads padding.
SP_HD int64_t tapInput(int64_t o, int64_t k, int64_t stride, int64_t pad, int64_t dilation, int64_t in) {
  const int64_t i = o * stride - pad + k * dilation;
  return i >= 0 && i < in ? i : -1;
}

// The inverse: the output that reads input i through tap k, or -1 where none does
// (o = (i + pad - k * dilation) / stride must divide exactly and lie in [0, out)).
SP_HD int64_t tapOutput(int64_t i, int64_t k, int64_t stride, int64_t pad, int64_t dilation, int64_t out) {
  const int64_t s = i + pad - k * dilation;
  if (s < 0 || s % stride != 0) return -1;
  const int64_t o = s / stride;
  return o < out ? o : -1;
}

// The outputs [lo, hi) of an axis whose input o * stride - pad + offset (offset = k * dilation,
// tap k) lies in [0, in): tapInput's rule solved for o, for loops over whole rows (the CPU).
SP_HD void tapOutputRange(int64_t in, int64_t out, int64_t stride, int64_t pad, int64_t offset, int64_t& lo,
                          int64_t& hi) {
  const int64_t start = pad - offset;  // o * stride >= start
  lo = start <= 0 ? 0 : (start + stride - 1) / stride;
  const int64_t end = in + pad - offset;  // o * stride < end
  hi = end <= 0 ? 0 : (end + stride - 1) / stride;
  if (hi > out) hi = out;
  if (lo > hi) lo = hi;
}

// Element (row, p) of one image's col: row = (c * KH + kh) * KW + kw, p = oh * OW + ow.
SP_HD float im2colValue(const float* image, const ConvGeometry& g, int64_t row, int64_t p) {
  const int64_t kw = row % g.KW, kh = (row / g.KW) % g.KH, c = row / (g.KW * g.KH);
  const int64_t ih = tapInput(p / g.OW, kh, g.strideH, g.padH, g.dilationH, g.H);
  const int64_t iw = tapInput(p % g.OW, kw, g.strideW, g.padW, g.dilationW, g.W);
  return ih < 0 || iw < 0 ? 0.f : image[(c * g.H + ih) * g.W + iw];
}

// Input element (c, ih, iw) of col2im(col) for one image: its taps summed, kh then kw ascending.
SP_HD float col2imValue(const float* col, const ConvGeometry& g, int64_t c, int64_t ih, int64_t iw) {
  const int64_t P = g.OH * g.OW;
  float s = 0.f;
  for (int64_t kh = 0; kh < g.KH; ++kh) {
    const int64_t oh = tapOutput(ih, kh, g.strideH, g.padH, g.dilationH, g.OH);
    if (oh < 0) continue;
    for (int64_t kw = 0; kw < g.KW; ++kw) {
      const int64_t ow = tapOutput(iw, kw, g.strideW, g.padW, g.dilationW, g.OW);
      if (ow >= 0) s += col[((c * g.KH + kh) * g.KW + kw) * P + oh * g.OW + ow];
    }
  }
  return s;
}

// The fused Conv2d epilogue per output: + bias, then max(., 0) when `relu`, keeping a NaN (as
// cpu/conv2d.cc's std::max(v, 0) does; 0 > NaN is false).
SP_HD float convEpilogue(float v, float bias, bool relu) {
  const float b = v + bias;
  return relu && b < 0.f ? 0.f : b;
}

}  // namespace steepest::common
