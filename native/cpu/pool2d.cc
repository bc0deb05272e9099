#include "cpu/pool2d.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "common/pool_values.h"
#include "common/pool_windows.h"
#include "cpu/max_pool_2x2.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {
namespace {

using common::AvgWindow;

// Planes per task: about 16K input values.
int64_t planeGrain(const PoolGeometry& g) { return std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(g.H * g.W, 1)); }

// Runs f(plane) for every plane. The kernels copy the geometry into a local first, so its sizes
// can stay in registers across the float stores (node-gyp builds with -fno-strict-aliasing).
template <typename F>
void forPlanes(const PoolGeometry& g, F f) {
  parallelFor(g.N * g.C, planeGrain(g), [&](int64_t b, int64_t e) {
    for (int64_t plane = b; plane < e; ++plane) f(plane);
  });
}

// Average pooling under any window rule of common/pool_windows.h (window(g, oh, ow) ->
// AvgWindow): each output is its window's mean (common/pool_values.h, as the CUDA kernel); the
// backward spreads each gradient over the same window.
template <typename Window>
void averageForward(const float* x, const PoolGeometry& geometry, float* y, Window window) {
  forPlanes(geometry, [&](int64_t plane) {
    const PoolGeometry g = geometry;  // a local copy: see forPlanes
    const float* in = x + plane * g.H * g.W;
    float* out = y + plane * g.OH * g.OW;
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        out[oh * g.OW + ow] = common::windowMean(in, g.W, window(g, oh, ow));
      }
    }
  });
}

template <typename Window>
void averageBackward(const float* dy, const PoolGeometry& geometry, float* dx, Window window) {
  forPlanes(geometry, [&](int64_t plane) {
    const PoolGeometry g = geometry;  // a local copy: see forPlanes
    float* out = dx + plane * g.H * g.W;
    std::memset(out, 0, static_cast<size_t>(g.H * g.W) * sizeof(float));
    const float* grad = dy + plane * g.OH * g.OW;
    for (int64_t oh = 0; oh < g.OH; ++oh) {
      for (int64_t ow = 0; ow < g.OW; ++ow) {
        const AvgWindow w = window(g, oh, ow);
        const float share = grad[oh * g.OW + ow] / w.divisor;
        for (int64_t ih = w.h0; ih < w.h1; ++ih)
          for (int64_t iw = w.w0; iw < w.w1; ++iw) out[ih * g.W + iw] += share;
      }
    }
  });
}


// best, at = v, i when `take`, by masks instead of a branch: on real data the comparison is a
// coin flip, and g++ turns a plain ?: here into a jump (measured on random data: about 4x slower).
inline void takeIf(bool take, float v, int64_t i, float& best, int64_t& at) {
  const uint32_t mask = 0u - static_cast<uint32_t>(take);
  uint32_t vb, bb;
  std::memcpy(&vb, &v, 4);
  std::memcpy(&bb, &best, 4);
  bb = (vb & mask) | (bb & ~mask);
  std::memcpy(&best, &bb, 4);
  const int64_t wide = -static_cast<int64_t>(take);
  at = (i & wide) | (at & ~wide);
}

// Max pooling of one plane, by common/pool_windows.h's rule (maxPoolTakes). Without
// padding every tap is inside the input (the output-size rule guarantees it), so the common case
// runs without bounds checks. Values are kept in locals and written once per output: stores
// through `out` could alias `in` for the compiler, which would then reload on every tap.
template <bool kPadded>
void maxPlane(const float* in, const PoolGeometry& g, float* out, int32_t* idx) {
  // Every size in a local: they then live in registers across the stores to out and idx.
  const int64_t H = g.H, W = g.W, OH = g.OH, OW = g.OW, KH = g.KH, KW = g.KW;
  const int64_t sh = g.strideH, sw = g.strideW, ph = g.padH, pw = g.padW, dh = g.dilationH, dw = g.dilationW;
  for (int64_t oh = 0; oh < OH; ++oh) {
    for (int64_t ow = 0; ow < OW; ++ow) {
      const int64_t h0 = oh * sh - ph, w0 = ow * sw - pw;
      float best = -std::numeric_limits<float>::infinity();
      int64_t at = -1;
      for (int64_t kh = 0; kh < KH; ++kh) {
        const int64_t ih = h0 + kh * dh;
        if (kPadded && (ih < 0 || ih >= H)) continue;
        for (int64_t kw = 0; kw < KW; ++kw) {
          const int64_t iw = w0 + kw * dw;
          if (kPadded && (iw < 0 || iw >= W)) continue;
          const float v = in[ih * W + iw];
          takeIf(common::maxPoolTakes(v, best, at < 0), v, ih * W + iw, best, at);
        }
      }
      out[oh * OW + ow] = best;
      idx[oh * OW + ow] = static_cast<int32_t>(at);
    }
  }
}

// The common windows (2x2 and 3x3, no padding, no dilation) with the window size known to the
// compiler, so the taps unroll (measured standalone on LeNet's first pooling layer: 1.4 ms ->
// 0.5-0.8 ms).
template <int K>
void maxPlaneSquare(const float* in, const PoolGeometry& g, float* out, int32_t* idx) {
  const int64_t W = g.W, OH = g.OH, OW = g.OW, sh = g.strideH, sw = g.strideW;
  for (int64_t oh = 0; oh < OH; ++oh) {
    for (int64_t ow = 0; ow < OW; ++ow) {
      const int64_t h0 = oh * sh, w0 = ow * sw;
      float best = in[h0 * W + w0];
      int64_t at = h0 * W + w0;
      for (int kh = 0; kh < K; ++kh) {
        for (int kw = 0; kw < K; ++kw) {
          const int64_t i = (h0 + kh) * W + w0 + kw;
          const float v = in[i];
          takeIf(common::maxPoolTakes(v, best, false), v, i, best, at);
        }
      }
      out[oh * OW + ow] = best;
      idx[oh * OW + ow] = static_cast<int32_t>(at);
    }
  }
}

}  // namespace

void maxPool2dForward(const float* x, const PoolGeometry& geometry, float* y, int32_t* indices) {
  const bool padded = geometry.padH != 0 || geometry.padW != 0;
  const bool plain = !padded && geometry.dilationH == 1 && geometry.dilationW == 1 && geometry.KH == geometry.KW;
  const int64_t square = plain && (geometry.KH == 2 || geometry.KH == 3) ? geometry.KH : 0;
  const MaxPool2x2Plane pairs = isMaxPool2x2(geometry) ? maxPool2x2Kernel() : nullptr;
  forPlanes(geometry, [&](int64_t plane) {
    const PoolGeometry g = geometry;  // a local copy: see forPlanes
    const float* in = x + plane * g.H * g.W;
    float* out = y + plane * g.OH * g.OW;
    int32_t* idx = indices + plane * g.OH * g.OW;
    if (pairs) pairs(in, g, out, idx);
    else if (square == 2) maxPlaneSquare<2>(in, g, out, idx);
    else if (square == 3) maxPlaneSquare<3>(in, g, out, idx);
    else if (padded) maxPlane<true>(in, g, out, idx);
    else maxPlane<false>(in, g, out, idx);
  });
}

void maxPool2dBackward(const float* dy, const int32_t* indices, const PoolGeometry& geometry, float* dx) {
  forPlanes(geometry, [&](int64_t plane) {
    const PoolGeometry g = geometry;  // a local copy: see forPlanes
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
  averageForward(x, g, y, [countIncludePad](const PoolGeometry& l, int64_t oh, int64_t ow) { return common::avgPoolWindow(l, oh, ow, countIncludePad); });
}

void avgPool2dBackward(const float* dy, const PoolGeometry& g, bool countIncludePad, float* dx) {
  averageBackward(dy, g, dx, [countIncludePad](const PoolGeometry& l, int64_t oh, int64_t ow) { return common::avgPoolWindow(l, oh, ow, countIncludePad); });
}

void adaptiveAvgPool2dForward(const float* x, const PoolGeometry& g, float* y) { averageForward(x, g, y, common::adaptivePoolWindow); }

void adaptiveAvgPool2dBackward(const float* dy, const PoolGeometry& g, float* dx) { averageBackward(dy, g, dx, common::adaptivePoolWindow); }

}  // namespace steepest::cpu
