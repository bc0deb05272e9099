// The window rules of 2-D pooling, PyTorch's MaxPool2d, AvgPool2d and AdaptiveAvgPool2d
// (ceil_mode false), for the CPU kernels (cpu/pool2d.cc) and the CUDA ones (cuda/pool.cu):
//   max:      the first tap starts, then a larger value or any NaN takes over
//   average:  [o s - p, + K) clipped to [-p, in + p) gives the divisor when countIncludePad
//             (PyTorch's default), then clipped to the input for the sum
//   adaptive: output o averages inputs [floor(o in / out), ceil((o + 1) in / out))
// and, for backward passes that gather (a GPU thread per input), the outputs whose windows
// cover one input.
#pragma once
#include <cstdint>

#include "common/conv_geometry.h"
#include "common/hostdevice.h"

namespace steepest::common {

// PyTorch's max rule per window: `first` (the window's first tap) starts; a larger value or any
// NaN takes over, so a NaN in the window is the result, at its last position. Bitwise | keeps it
// one mask for the CPU's branch-free select (a branch here is a coin flip on real data).
SP_HD bool maxPoolTakes(float v, float best, bool first) { return first | (v > best) | (v != v); }

// The summed input rectangle [h0, h1) x [w0, w1) of an average window, and its divisor.
struct AvgWindow {
  int64_t h0, h1, w0, w1;
  float divisor;
};

SP_HD int64_t minOf(int64_t a, int64_t b) { return a < b ? a : b; }
SP_HD int64_t maxOf(int64_t a, int64_t b) { return a > b ? a : b; }

SP_HD AvgWindow avgPoolWindow(const PoolGeometry& g, int64_t oh, int64_t ow, bool countIncludePad) {
  int64_t h0 = oh * g.strideH - g.padH, w0 = ow * g.strideW - g.padW;
  int64_t h1 = minOf(h0 + g.KH, g.H + g.padH), w1 = minOf(w0 + g.KW, g.W + g.padW);
  const int64_t padded = (h1 - h0) * (w1 - w0);
  h0 = maxOf(h0, 0), w0 = maxOf(w0, 0);
  h1 = minOf(h1, g.H), w1 = minOf(w1, g.W);
  const int64_t inside = (h1 - h0) * (w1 - w0);
  return {h0, h1, w0, w1, static_cast<float>(countIncludePad ? padded : inside)};
}

SP_HD int64_t adaptiveStart(int64_t o, int64_t in, int64_t out) { return (o * in) / out; }
SP_HD int64_t adaptiveEnd(int64_t o, int64_t in, int64_t out) { return ((o + 1) * in + out - 1) / out; }

SP_HD AvgWindow adaptivePoolWindow(const PoolGeometry& g, int64_t oh, int64_t ow) {
  const int64_t h0 = adaptiveStart(oh, g.H, g.OH), h1 = adaptiveEnd(oh, g.H, g.OH);
  const int64_t w0 = adaptiveStart(ow, g.W, g.OW), w1 = adaptiveEnd(ow, g.W, g.OW);
  return {h0, h1, w0, w1, static_cast<float>((h1 - h0) * (w1 - w0))};
}

// The outputs [lo, hi) along one axis whose average window [o s - p, o s - p + K) holds input i:
// o s <= i + p < o s + K, so o in [ceil((i + p - K + 1) / s), floor((i + p) / s)]. (Clipping the
// window to the padded or the real input never drops an input in [0, in).)
SP_HD void avgPoolCovering(int64_t i, int64_t kernel, int64_t stride, int64_t pad, int64_t out, int64_t& lo, int64_t& hi) {
  const int64_t first = i + pad - kernel + 1;
  lo = first <= 0 ? 0 : (first + stride - 1) / stride;
  hi = minOf((i + pad) / stride + 1, out);
}

// The same for adaptive windows: o in [floor(i out / in), ceil((i + 1) out / in)), the adaptive
// rule with input and output swapped (start(o) <= i < end(o) solved for o).
SP_HD void adaptiveCovering(int64_t i, int64_t in, int64_t out, int64_t& lo, int64_t& hi) {
  lo = adaptiveStart(i, out, in);
  hi = adaptiveEnd(i, out, in);
}

}  // namespace steepest::common
