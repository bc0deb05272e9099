// One value of a pooling layer computed on its own, on the rules of common/pool_windows.h: an
// output of the forward, or an input's gradient gathered from the outputs that read it. These
// are the CUDA kernels' per-thread bodies (cuda/max_pool.cu, cuda/avg_pool.cu); the CPU kernels
// (cpu/pool2d.cc) compute the same values plane by plane and scatter their gradients, and
// test/native/pool_values_check.cc holds the two to the same bits.
#pragma once
#include <cmath>
#include <cstdint>

#include "common/conv_taps.h"
#include "common/pool_windows.h"

namespace steepest::common {

// The max over output (oh, ow)'s window of one plane, taps in row order; `at` receives
// ih W + iw of the winner (-1 for a window of padding only).
SP_HD float maxPoolValue(const float* in, const PoolGeometry& g, int64_t oh, int64_t ow, int64_t& at) {
  float best = -INFINITY;
  at = -1;
  for (int64_t kh = 0; kh < g.KH; ++kh) {
    const int64_t ih = tapInput(oh, kh, g.strideH, g.padH, g.dilationH, g.H);
    if (ih < 0) continue;
    for (int64_t kw = 0; kw < g.KW; ++kw) {
      const int64_t iw = tapInput(ow, kw, g.strideW, g.padW, g.dilationW, g.W);
      if (iw < 0) continue;
      const float v = in[ih * g.W + iw];
      if (maxPoolTakes(v, best, at < 0)) {
        best = v;
        at = ih * g.W + iw;
      }
    }
  }
  return best;
}

// Whether input coordinate i is one of output o's taps along an axis.
SP_HD bool isTap(int64_t o, int64_t i, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation, int64_t in) {
  for (int64_t k = 0; k < kernel; ++k) {
    if (tapInput(o, k, stride, pad, dilation, in) == i) return true;
  }
  return false;
}

// Whether a max-pooling index v of output (oh, ow) names a position of its window (or is -1, an
// empty window's): the only indices whose gradient a gather can deliver.
SP_HD bool maxPoolIndexFits(int64_t v, const PoolGeometry& g, int64_t oh, int64_t ow) {
  if (v == -1) return true;
  return v >= 0 && v < g.H * g.W && isTap(oh, v / g.W, g.KH, g.strideH, g.padH, g.dilationH, g.H) &&
         isTap(ow, v % g.W, g.KW, g.strideW, g.padW, g.dilationW, g.W);
}

// dx at input (ih, iw) of one plane: dy summed over the outputs whose index names it, in
// ascending output order (taps descending), as the CPU's scatter adds them.
SP_HD float maxPoolGradValue(const float* dy, const int32_t* indices, const PoolGeometry& g, int64_t ih, int64_t iw) {
  const int64_t at = ih * g.W + iw;
  float s = 0.f;
  for (int64_t kh = g.KH - 1; kh >= 0; --kh) {
    const int64_t oh = tapOutput(ih, kh, g.strideH, g.padH, g.dilationH, g.OH);
    if (oh < 0) continue;
    for (int64_t kw = g.KW - 1; kw >= 0; --kw) {
      const int64_t ow = tapOutput(iw, kw, g.strideW, g.padW, g.dilationW, g.OW);
      if (ow >= 0 && indices[oh * g.OW + ow] == at) s += dy[oh * g.OW + ow];
    }
  }
  return s;
}

// The mean of window w of one plane of width W: rows, then columns, over the divisor.
SP_HD float windowMean(const float* in, int64_t W, const AvgWindow& w) {
  float s = 0.f;
  for (int64_t ih = w.h0; ih < w.h1; ++ih)
    for (int64_t iw = w.w0; iw < w.w1; ++iw) s += in[ih * W + iw];
  return s / w.divisor;
}

// The two average rules as objects: window(g, oh, ow), and covering(i, axis, g) giving the
// outputs [lo, hi) along axis 0 (rows) or 1 (columns) whose window holds input coordinate i.
struct AverageRule {
  bool countIncludePad;
  SP_HD AvgWindow window(const PoolGeometry& g, int64_t oh, int64_t ow) const {
    return avgPoolWindow(g, oh, ow, countIncludePad);
  }
  SP_HD void covering(int64_t i, int axis, const PoolGeometry& g, int64_t& lo, int64_t& hi) const {
    if (axis == 0) avgPoolCovering(i, g.KH, g.strideH, g.padH, g.OH, lo, hi);
    else avgPoolCovering(i, g.KW, g.strideW, g.padW, g.OW, lo, hi);
  }
};
struct AdaptiveRule {
  SP_HD AvgWindow window(const PoolGeometry& g, int64_t oh, int64_t ow) const { return adaptivePoolWindow(g, oh, ow); }
  SP_HD void covering(int64_t i, int axis, const PoolGeometry& g, int64_t& lo, int64_t& hi) const {
    if (axis == 0) adaptiveCovering(i, g.H, g.OH, lo, hi);
    else adaptiveCovering(i, g.W, g.OW, lo, hi);
  }
};

// dx at input (ih, iw) of one plane: dy[o] / divisor(o) over the outputs whose window covers it,
// in ascending output order, as the CPU's scatter adds them.
template <class Rule>
SP_HD float averageGradValue(const float* dy, const PoolGeometry& g, const Rule& rule, int64_t ih, int64_t iw) {
  int64_t h0, h1, w0, w1;
  rule.covering(ih, 0, g, h0, h1);
  rule.covering(iw, 1, g, w0, w1);
  float s = 0.f;
  for (int64_t oh = h0; oh < h1; ++oh)
    for (int64_t ow = w0; ow < w1; ++ow) s += dy[oh * g.OW + ow] / rule.window(g, oh, ow).divisor;
  return s;
}

}  // namespace steepest::common
