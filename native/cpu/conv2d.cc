#include "cpu/conv2d.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "cpu/gemm.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {
namespace {

struct Dims {
  int64_t Cg, OCg, Kc, P;  // channels and output channels per group, col rows, output positions
};
Dims dims(const ConvGeometry& g) {
  const int64_t Cg = g.C / g.groups;
  return {Cg, g.OC / g.groups, Cg * g.KH * g.KW, g.OH * g.OW};
}

// A 1x1 kernel with unit stride and no padding reads the input as it lies: col_g is the group's
// channel slice of the image, [Cg, H*W], and im2col / col2im are skipped.
bool isPointwise(const ConvGeometry& g) {
  return g.KH == 1 && g.KW == 1 && g.strideH == 1 && g.strideW == 1 && g.padH == 0 && g.padW == 0;
}

// The output columns ow whose input column ow*sw - pw + off lies in [0, W): [lo, hi).
void validRange(int64_t W, int64_t OW, int64_t stride, int64_t pad, int64_t off, int64_t& lo, int64_t& hi) {
  const int64_t start = pad - off;  // ow * stride >= start
  lo = start <= 0 ? 0 : (start + stride - 1) / stride;
  const int64_t end = W + pad - off;  // ow * stride < end
  hi = end <= 0 ? 0 : std::min<int64_t>(OW, (end + stride - 1) / stride);
  lo = std::min(lo, hi);
}

// Visits every (col row, output row) pair of one image and group with the input row it maps to:
// f(dst row pointer into col, input row pointer or null for padding, ow range, input column of
// ow = 0). im2col copies along it, col2im adds back along it.
template <typename F>
void forEachColRow(const ConvGeometry& g, const Dims& d, int64_t c0, F f) {
  for (int64_t c = 0; c < d.Cg; ++c) {
    for (int64_t kh = 0; kh < g.KH; ++kh) {
      for (int64_t kw = 0; kw < g.KW; ++kw) {
        const int64_t row = (c * g.KH + kh) * g.KW + kw;
        const int64_t colOff = kw * g.dilationW - g.padW;
        int64_t lo, hi;
        validRange(g.W, g.OW, g.strideW, g.padW, kw * g.dilationW, lo, hi);
        for (int64_t oh = 0; oh < g.OH; ++oh) {
          const int64_t ih = oh * g.strideH - g.padH + kh * g.dilationH;
          const int64_t input = (ih < 0 || ih >= g.H) ? -1 : ((c0 + c) * g.H + ih) * g.W;
          f(row * d.P + oh * g.OW, input, lo, hi, colOff);
        }
      }
    }
  }
}

void im2col(const float* image, const ConvGeometry& g, const Dims& d, int64_t c0, float* col) {
  forEachColRow(g, d, c0, [&](int64_t dst, int64_t input, int64_t lo, int64_t hi, int64_t colOff) {
    float* out = col + dst;
    if (input < 0) {
      std::memset(out, 0, static_cast<size_t>(g.OW) * sizeof(float));
      return;
    }
    const float* src = image + input + colOff;
    for (int64_t ow = 0; ow < lo; ++ow) out[ow] = 0.0f;
    if (g.strideW == 1) std::memcpy(out + lo, src + lo, static_cast<size_t>(hi - lo) * sizeof(float));
    else for (int64_t ow = lo; ow < hi; ++ow) out[ow] = src[ow * g.strideW];
    for (int64_t ow = hi; ow < g.OW; ++ow) out[ow] = 0.0f;
  });
}

// The adjoint of im2col: image (zeroed by the caller) += col scattered back.
void col2im(const float* col, const ConvGeometry& g, const Dims& d, int64_t c0, float* image) {
  forEachColRow(g, d, c0, [&](int64_t dst, int64_t input, int64_t lo, int64_t hi, int64_t colOff) {
    if (input < 0) return;
    const float* in = col + dst;
    float* out = image + input + colOff;
    for (int64_t ow = lo; ow < hi; ++ow) out[ow * g.strideW] += in[ow];
  });
}

// Chunks of images in the backward pass (see conv2dBackward).
constexpr int64_t kChunks = 8;

// The im2col buffer of the thread running a task: grown once, reused by every later call.
float* colBuffer(int64_t size) {
  thread_local std::vector<float> col;
  if (static_cast<int64_t>(col.size()) < size) col.resize(static_cast<size_t>(size));
  return col.data();
}

// planes[c][p] += bias[c] for `channels` planes of `size` values.
void addBias(float* planes, const float* bias, int64_t channels, int64_t size) {
  for (int64_t c = 0; c < channels; ++c) {
    float* plane = planes + c * size;
    for (int64_t p = 0; p < size; ++p) plane[p] += bias[c];
  }
}

}  // namespace

void conv2dForward(const float* x, const float* weight, const float* bias, const ConvGeometry& g, float* y,
                   bool relu) {
  const Dims d = dims(g);
  const bool pointwise = isPointwise(g);
  parallelFor(g.N, 1, [&](int64_t nb, int64_t ne) {
    float* col = pointwise ? nullptr : colBuffer(d.Kc * d.P);
    for (int64_t n = nb; n < ne; ++n) {
      const float* image = x + n * g.C * g.H * g.W;
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        const float* B = pointwise ? image + grp * d.Cg * g.H * g.W : col;
        if (!pointwise) im2col(image, g, d, grp * d.Cg, col);
        float* out = y + (n * g.OC + grp * d.OCg) * d.P;
        gemm(false, false, d.OCg, d.P, d.Kc, 1.0f, weight + grp * d.OCg * d.Kc, d.Kc, B, d.P, 0.0f, out, d.P);
        if (bias != nullptr || relu) {
          // The epilogue, on the group's [OCg, P] block while it is hot: + bias, then max(., 0).
          for (int64_t oc = 0; oc < d.OCg; ++oc) {
            const float b = bias != nullptr ? bias[grp * d.OCg + oc] : 0.0f;
            float* row = out + oc * d.P;
            if (relu) for (int64_t p = 0; p < d.P; ++p) row[p] = std::max(row[p] + b, 0.0f);
            else for (int64_t p = 0; p < d.P; ++p) row[p] += b;
          }
        }
      }
    }
  });
}

void convTranspose2dForward(const float* x, const float* weight, const float* bias, const ConvGeometry& g, float* y) {
  const Dims d = dims(g);
  const bool pointwise = isPointwise(g);
  parallelFor(g.N, 1, [&](int64_t nb, int64_t ne) {
    float* col = pointwise ? nullptr : colBuffer(d.Kc * d.P);
    for (int64_t n = nb; n < ne; ++n) {
      float* image = y + n * g.C * g.H * g.W;
      if (!pointwise) std::memset(image, 0, static_cast<size_t>(g.C * g.H * g.W) * sizeof(float));
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        float* dcol = pointwise ? image + grp * d.Cg * g.H * g.W : col;
        gemm(true, false, d.Kc, d.P, d.OCg, 1.0f, weight + grp * d.OCg * d.Kc, d.Kc, x + (n * g.OC + grp * d.OCg) * d.P, d.P, 0.0f, dcol, d.P);
        if (!pointwise) col2im(dcol, g, d, grp * d.Cg, image);
      }
      if (bias != nullptr) addBias(image, bias, g.C, g.H * g.W);
    }
  });
}

void conv2dBackward(const float* x, const float* weight, const float* dy, const ConvGeometry& g, float* dx,
                    float* dW, float* db, bool accumulate) {
  const Dims d = dims(g);
  const bool pointwise = isPointwise(g);
  const int64_t wSize = g.OC * d.Kc;
  // The images are cut into a fixed number of chunks, whatever the thread count, each with its
  // own partial dW and db, summed in chunk order: the gradients are the same bits on 1 or 16
  // threads. (Partials are owned by the calling thread and kept between calls.)
  const int64_t chunks = std::min<int64_t>(g.N, kChunks);
  thread_local std::vector<std::vector<float>> callerPartials;
  // A named reference: the tasks below run on pool threads, where the name of a thread_local
  // would mean that thread's own (empty) copy.
  std::vector<std::vector<float>>& partials = callerPartials;
  if (static_cast<int64_t>(partials.size()) < chunks) partials.resize(static_cast<size_t>(chunks));
  const int64_t partialSize = (dW ? wSize : 0) + (db ? g.OC : 0);
  for (int64_t t = 0; t < chunks; ++t) {
    auto& p = partials[static_cast<size_t>(t)];
    if (static_cast<int64_t>(p.size()) < partialSize) p.resize(static_cast<size_t>(partialSize));
    std::fill(p.begin(), p.begin() + partialSize, 0.0f);
  }
  auto runChunk = [&](int64_t chunk) {
    const int64_t nb = g.N * chunk / chunks, ne = g.N * (chunk + 1) / chunks;
    float* pdW = dW ? partials[static_cast<size_t>(chunk)].data() : nullptr;
    float* pdb = db ? partials[static_cast<size_t>(chunk)].data() + (dW ? wSize : 0) : nullptr;
    float* col = pointwise ? nullptr : colBuffer(d.Kc * d.P);
    for (int64_t n = nb; n < ne; ++n) {
      const float* image = x + n * g.C * g.H * g.W;
      float* dimage = dx ? dx + n * g.C * g.H * g.W : nullptr;
      if (dimage && !pointwise) std::memset(dimage, 0, static_cast<size_t>(g.C * g.H * g.W) * sizeof(float));
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        const float* dyg = dy + (n * g.OC + grp * d.OCg) * d.P;
        const float* wg = weight + grp * d.OCg * d.Kc;
        if (pdW) {
          const float* B = pointwise ? image + grp * d.Cg * g.H * g.W : col;
          if (!pointwise) im2col(image, g, d, grp * d.Cg, col);
          gemm(false, true, d.OCg, d.Kc, d.P, 1.0f, dyg, d.P, B, d.P, 1.0f, pdW + grp * d.OCg * d.Kc, d.Kc);
        }
        if (dimage) {
          float* dcol = pointwise ? dimage + grp * d.Cg * g.H * g.W : col;
          gemm(true, false, d.Kc, d.P, d.OCg, 1.0f, wg, d.Kc, dyg, d.P, 0.0f, dcol, d.P);
          if (!pointwise) col2im(dcol, g, d, grp * d.Cg, dimage);
        }
        if (pdb) {
          for (int64_t oc = 0; oc < d.OCg; ++oc) {
            const float* row = dyg + oc * d.P;
            float s = 0.0f;
            for (int64_t p = 0; p < d.P; ++p) s += row[p];
            pdb[grp * d.OCg + oc] += s;
          }
        }
      }
    }
  };
  parallelFor(chunks, 1, [&](int64_t cb, int64_t ce) {
    for (int64_t chunk = cb; chunk < ce; ++chunk) runChunk(chunk);
  });
  // Sum the partials in task order, so the result does not depend on which thread ran what.
  auto reduce = [&](float* out, int64_t offset, int64_t size) {
    for (int64_t i = 0; i < size; ++i) {
      float s = accumulate ? out[i] : 0.0f;
      for (int64_t t = 0; t < chunks; ++t) s += partials[static_cast<size_t>(t)][static_cast<size_t>(offset + i)];
      out[i] = s;
    }
  };
  if (dW) reduce(dW, 0, wSize);
  if (db) reduce(db, dW ? wSize : 0, g.OC);
}

}  // namespace steepest::cpu
