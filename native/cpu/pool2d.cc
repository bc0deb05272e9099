#include "cpu/pool2d.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "cpu/threadpool.h"

namespace steepest::cpu {
namespace {

// Planes per task: about 16K input values.
int64_t planeGrain(const PoolGeometry& g) { return std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(g.H * g.W, 1)); }

template <typename F>
void forPlanes(const PoolGeometry& g, F f) {
  parallelFor(g.N * g.C, planeGrain(g), [&](int64_t b, int64_t e) {
    for (int64_t plane = b; plane < e; ++plane) f(plane);
  });
}

// The average window of output (oh, ow): the summed input rectangle and its divisor.
struct AvgWindow {
  int64_t h0, h1, w0, w1;
  float divisor;
};
AvgWindow avgWindow(const PoolGeometry& g, int64_t oh, int64_t ow, bool countIncludePad) {
  int64_t h0 = oh * g.strideH - g.padH, w0 = ow * g.strideW - g.padW;
  int64_t h1 = std::min(h0 + g.KH, g.H + g.padH), w1 = std::min(w0 + g.KW, g.W + g.padW);
  const int64_t padded = (h1 - h0) * (w1 - w0);
  h0 = std::max<int64_t>(h0, 0), w0 = std::max<int64_t>(w0, 0);
  h1 = std::min(h1, g.H), w1 = std::min(w1, g.W);
  const int64_t inside = (h1 - h0) * (w1 - w0);
  return {h0, h1, w0, w1, static_cast<float>(countIncludePad ? padded : inside)};
}

// Adaptive windows: [floor(o * in / out), ceil((o + 1) * in / out)).
int64_t adaptiveStart(int64_t o, int64_t in, int64_t out) { return (o * in) / out; }
int64_t adaptiveEnd(int64_t o, int64_t in, int64_t out) { return ((o + 1) * in + out - 1) / out; }

}  // namespace

void maxPool2dForward(const float* x, const PoolGeometry& g, float* y, int32_t* indices) {
  forPlanes(g, [&](int64_t plane) {
    const float* in = x + plane * g.H * g.W;
    float* out = y + plane * g.OH * g.OW;
    int32_t* idx = indices + plane * g.OH * g.OW;
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        float best = -std::numeric_limits<float>::infinity();
        int64_t where = -1;
        for (int64_t kh = 0; kh < g.KH; ++kh) {
          const int64_t ih = oh * g.strideH - g.padH + kh * g.dilationH;
          if (ih < 0 || ih >= g.H) continue;
          for (int64_t kw = 0; kw < g.KW; ++kw) {
            const int64_t iw = ow * g.strideW - g.padW + kw * g.dilationW;
            if (iw < 0 || iw >= g.W) continue;
            const float v = in[ih * g.W + iw];
            // PyTorch's rule: the first position starts, a larger value or any NaN takes over
            // (so a NaN in the window is the result, at its last position).
            if (where < 0 || v > best || v != v) {
              best = v;
              where = ih * g.W + iw;
            }
          }
        }
        out[oh * g.OW + ow] = best;
        idx[oh * g.OW + ow] = static_cast<int32_t>(where);
      }
    }
  });
}

void maxPool2dBackward(const float* dy, const int32_t* indices, const PoolGeometry& g, float* dx) {
  forPlanes(g, [&](int64_t plane) {
    float* out = dx + plane * g.H * g.W;
    std::memset(out, 0, static_cast<size_t>(g.H * g.W) * sizeof(float));
    const float* grad = dy + plane * g.OH * g.OW;
    const int32_t* idx = indices + plane * g.OH * g.OW;
    for (int64_t o = 0; o < g.OH * g.OW; ++o) {
      if (idx[o] >= 0) out[idx[o]] += grad[o];
    }
  });
}

void avgPool2dForward(const float* x, const PoolGeometry& g, bool countIncludePad, float* y) {
  forPlanes(g, [&](int64_t plane) {
    const float* in = x + plane * g.H * g.W;
    float* out = y + plane * g.OH * g.OW;
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        const AvgWindow w = avgWindow(g, oh, ow, countIncludePad);
        float s = 0.0f;
        for (int64_t ih = w.h0; ih < w.h1; ++ih)
          for (int64_t iw = w.w0; iw < w.w1; ++iw) s += in[ih * g.W + iw];
        out[oh * g.OW + ow] = s / w.divisor;
      }
    }
  });
}

void avgPool2dBackward(const float* dy, const PoolGeometry& g, bool countIncludePad, float* dx) {
  forPlanes(g, [&](int64_t plane) {
    float* out = dx + plane * g.H * g.W;
    std::memset(out, 0, static_cast<size_t>(g.H * g.W) * sizeof(float));
    const float* grad = dy + plane * g.OH * g.OW;
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        const AvgWindow w = avgWindow(g, oh, ow, countIncludePad);
        const float share = grad[oh * g.OW + ow] / w.divisor;
        for (int64_t ih = w.h0; ih < w.h1; ++ih)
          for (int64_t iw = w.w0; iw < w.w1; ++iw) out[ih * g.W + iw] += share;
      }
    }
  });
}

void adaptiveAvgPool2dForward(const float* x, const PoolGeometry& g, float* y) {
  forPlanes(g, [&](int64_t plane) {
    const float* in = x + plane * g.H * g.W;
    float* out = y + plane * g.OH * g.OW;
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      const int64_t h0 = adaptiveStart(oh, g.H, g.OH), h1 = adaptiveEnd(oh, g.H, g.OH);
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        const int64_t w0 = adaptiveStart(ow, g.W, g.OW), w1 = adaptiveEnd(ow, g.W, g.OW);
        float s = 0.0f;
        for (int64_t ih = h0; ih < h1; ++ih)
          for (int64_t iw = w0; iw < w1; ++iw) s += in[ih * g.W + iw];
        out[oh * g.OW + ow] = s / static_cast<float>((h1 - h0) * (w1 - w0));
      }
    }
  });
}

void adaptiveAvgPool2dBackward(const float* dy, const PoolGeometry& g, float* dx) {
  forPlanes(g, [&](int64_t plane) {
    float* out = dx + plane * g.H * g.W;
    std::memset(out, 0, static_cast<size_t>(g.H * g.W) * sizeof(float));
    const float* grad = dy + plane * g.OH * g.OW;
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      const int64_t h0 = adaptiveStart(oh, g.H, g.OH), h1 = adaptiveEnd(oh, g.H, g.OH);
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        const int64_t w0 = adaptiveStart(ow, g.W, g.OW), w1 = adaptiveEnd(ow, g.W, g.OW);
        const float share = grad[oh * g.OW + ow] / static_cast<float>((h1 - h0) * (w1 - w0));
        for (int64_t ih = h0; ih < h1; ++ih)
          for (int64_t iw = w0; iw < w1; ++iw) out[ih * g.W + iw] += share;
      }
    }
  });
}

}  // namespace steepest::cpu
