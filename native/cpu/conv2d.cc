#include "cpu/conv2d.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "common/conv_taps.h"
#include "cpu/conv_rows.h"
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

// The taps of this geometry (conv_rows.h), by common/conv_taps.h's rule, in a table of the
// calling thread kept between calls (no allocation per call once warm); pool tasks read it.
const std::vector<TapRange>& tapRanges(const ConvGeometry& g) {
  thread_local std::vector<TapRange> callerTaps;
  std::vector<TapRange>& taps = callerTaps;
  taps.resize(static_cast<size_t>(g.KH * g.KW));
  for (int64_t kh = 0; kh < g.KH; ++kh) {
    for (int64_t kw = 0; kw < g.KW; ++kw) {
      TapRange& t = taps[static_cast<size_t>(kh * g.KW + kw)];
      common::tapOutputRange(g.H, g.OH, g.strideH, g.padH, kh * g.dilationH, t.ohLo, t.ohHi);
      common::tapOutputRange(g.W, g.OW, g.strideW, g.padW, kw * g.dilationW, t.owLo, t.owHi);
      t.ih0 = kh * g.dilationH - g.padH;
      t.iw0 = kw * g.dilationW - g.padW;
    }
  }
  return taps;
}

// The col rows of one image and group: row (c, kh, kw) holds what tap (kh, kw) of channel c reads
// at every output position, at col + row * ldcol (ldcol >= P: images of a batch can lie side by
// side in one col matrix).
void im2col(const float* image, const ConvGeometry& geometry, const Dims& d, const TapRange* taps, int64_t c0,
            float* col, int64_t ldcol) {
  const ConvGeometry g = geometry;  // a local copy: its sizes stay in registers across the stores
  const int64_t OW = g.OW, OH = g.OH, sw = g.strideW, rowStep = g.strideH * g.W, taps2 = g.KH * g.KW;
  const RowMoves& moves = rowMoves();
  for (int64_t c = 0; c < d.Cg; ++c) {
    const float* plane = image + (c0 + c) * g.H * g.W;
    for (int64_t k = 0; k < taps2; ++k) {
      const TapRange t = taps[k];
      float* out = col + (c * taps2 + k) * ldcol;
      std::fill(out, out + t.ohLo * OW, 0.0f);
      std::fill(out + t.ohHi * OW, out + OH * OW, 0.0f);
      const float* src = plane + (t.ohLo * g.strideH + t.ih0) * g.W + t.iw0;
      out += t.ohLo * OW;
      if (sw == 1) {
        moves.copy(out, OW, src, rowStep, t.ohHi - t.ohLo, OW, t.owLo, t.owHi);
        continue;
      }
      for (int64_t oh = t.ohLo; oh < t.ohHi; ++oh, out += OW, src += rowStep) {
        for (int64_t ow = 0; ow < OW; ++ow) out[ow] = ow >= t.owLo && ow < t.owHi ? src[ow * sw] : 0.0f;
      }
    }
  }
}

// The adjoint of im2col: the group's planes of image = col scattered back (overwritten).
void col2im(const float* col, const ConvGeometry& geometry, const Dims& d, const TapRange* taps, int64_t c0,
            float* image, int64_t ldcol) {
  const ConvGeometry g = geometry;  // a local copy, as in im2col
  const int64_t OW = g.OW, sw = g.strideW, rowStep = g.strideH * g.W, taps2 = g.KH * g.KW;
  const RowMoves& moves = rowMoves();
  for (int64_t c = 0; c < d.Cg; ++c) {
    float* plane = image + (c0 + c) * g.H * g.W;
    const float* channelCol = col + c * taps2 * ldcol;
    if (sw == 1) {
      moves.col2imPlane(channelCol, ldcol, taps, g, plane);
      continue;
    }
    std::memset(plane, 0, static_cast<size_t>(g.H * g.W) * sizeof(float));
    for (int64_t k = 0; k < taps2; ++k) {
      const TapRange t = taps[k];
      const float* in = channelCol + k * ldcol + t.ohLo * OW;
      float* dst = plane + (t.ohLo * g.strideH + t.ih0) * g.W + t.iw0;
      for (int64_t oh = t.ohLo; oh < t.ohHi; ++oh, in += OW, dst += rowStep) {
        for (int64_t ow = t.owLo; ow < t.owHi; ++ow) dst[ow * sw] += in[ow];
      }
    }
  }
}

// sum(row[0..n)) in 8 interleaved partial sums: one running sum would chain every add on the
// previous one (4 cycles each), 8 let the compiler keep a vector of them.
float rowSum(const float* row, int64_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t p = 0;
  for (; p + 8 <= n; p += 8)
    for (int j = 0; j < 8; ++j) acc[j] += row[p + j];
  float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
  for (; p < n; ++p) s += row[p];
  return s;
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
  const std::vector<TapRange>& taps = tapRanges(g);
  parallelFor(g.N, 1, [&](int64_t nb, int64_t ne) {
    float* col = pointwise ? nullptr : colBuffer(d.Kc * d.P);
    for (int64_t n = nb; n < ne; ++n) {
      const float* image = x + n * g.C * g.H * g.W;
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        const float* B = pointwise ? image + grp * d.Cg * g.H * g.W : col;
        if (!pointwise) im2col(image, g, d, taps.data(), grp * d.Cg, col, d.P);
        float* out = y + (n * g.OC + grp * d.OCg) * d.P;
        gemm(false, false, d.OCg, d.P, d.Kc, 1.0f, weight + grp * d.OCg * d.Kc, d.Kc, B, d.P, 0.0f, out, d.P);
        if (bias != nullptr || relu) {
          // The epilogue, on the group's [OCg, P] block while it is hot: + bias, then max(., 0).
          for (int64_t oc = 0; oc < d.OCg; ++oc) {
            const float b = bias != nullptr ? bias[grp * d.OCg + oc] : 0.0f;
            float* row = out + oc * d.P;
            if (relu) for (int64_t p = 0; p < d.P; ++p) row[p] = common::convEpilogue(row[p], b, true);
            else for (int64_t p = 0; p < d.P; ++p) row[p] = common::convEpilogue(row[p], b, false);
          }
        }
      }
    }
  });
}

void convTranspose2dForward(const float* x, const float* weight, const float* bias, const ConvGeometry& g, float* y) {
  const Dims d = dims(g);
  const bool pointwise = isPointwise(g);
  const std::vector<TapRange>& taps = tapRanges(g);
  parallelFor(g.N, 1, [&](int64_t nb, int64_t ne) {
    float* col = pointwise ? nullptr : colBuffer(d.Kc * d.P);
    for (int64_t n = nb; n < ne; ++n) {
      float* image = y + n * g.C * g.H * g.W;
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        float* dcol = pointwise ? image + grp * d.Cg * g.H * g.W : col;
        gemm(true, false, d.Kc, d.P, d.OCg, 1.0f, weight + grp * d.OCg * d.Kc, d.Kc, x + (n * g.OC + grp * d.OCg) * d.P, d.P, 0.0f, dcol, d.P);
        if (!pointwise) col2im(dcol, g, d, taps.data(), grp * d.Cg, image, d.P);
      }
      if (bias != nullptr) addBias(image, bias, g.C, g.H * g.W);
    }
  });
}

void conv2dBackward(const float* x, const float* weight, const float* dy, const ConvGeometry& g, float* dx,
                    float* dW, float* db, bool accumulate) {
  const Dims d = dims(g);
  const bool pointwise = isPointwise(g);
  const std::vector<TapRange>& taps = tapRanges(g);
  const int64_t wSize = g.OC * d.Kc;
  // Both products are arranged so that the small dimension (OC/g, a few dozen) is the GEMM's
  // column count and the large one (C/g*KH*KW) its row count, which the GEMM reads in place:
  //   dcol_g = W_g^T dY_g  with W_g^T transposed once per call here (not packed per image),
  //   dW_g^T += col_g dY_g^T   ([Kc, OCg] partials, transposed into dW once at the end).
  // (dW_g += dY_g col_g^T would transpose the whole col buffer into packed panels per image.)
  thread_local std::vector<float> callerWeightT;
  std::vector<float>& weightT = callerWeightT;  // a named reference: see partials below
  if (dx) {
    if (weightT.size() < static_cast<size_t>(wSize)) weightT.resize(static_cast<size_t>(wSize));
    for (int64_t grp = 0; grp < g.groups; ++grp) {
      const float* wg = weight + grp * d.OCg * d.Kc;
      float* wt = weightT.data() + grp * d.OCg * d.Kc;
      for (int64_t oc = 0; oc < d.OCg; ++oc)
        for (int64_t k = 0; k < d.Kc; ++k) wt[k * d.OCg + oc] = wg[oc * d.Kc + k];
    }
  }
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
    float* pdWt = dW ? partials[static_cast<size_t>(chunk)].data() : nullptr;
    float* pdb = db ? partials[static_cast<size_t>(chunk)].data() + (dW ? wSize : 0) : nullptr;
    float* col = pointwise ? nullptr : colBuffer(d.Kc * d.P);
    for (int64_t n = nb; n < ne; ++n) {
      const float* image = x + n * g.C * g.H * g.W;
      float* dimage = dx ? dx + n * g.C * g.H * g.W : nullptr;
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        const float* dyg = dy + (n * g.OC + grp * d.OCg) * d.P;
        if (pdWt) {
          const float* B = pointwise ? image + grp * d.Cg * g.H * g.W : col;
          if (!pointwise) im2col(image, g, d, taps.data(), grp * d.Cg, col, d.P);
          gemm(false, true, d.Kc, d.OCg, d.P, 1.0f, B, d.P, dyg, d.P, 1.0f, pdWt + grp * d.OCg * d.Kc, d.OCg);
        }
        if (dimage) {
          float* dcol = pointwise ? dimage + grp * d.Cg * g.H * g.W : col;
          gemm(false, false, d.Kc, d.P, d.OCg, 1.0f, weightT.data() + grp * d.OCg * d.Kc, d.OCg, dyg, d.P, 0.0f, dcol, d.P);
          if (!pointwise) col2im(dcol, g, d, taps.data(), grp * d.Cg, dimage, d.P);
        }
        if (pdb) {
          for (int64_t oc = 0; oc < d.OCg; ++oc) pdb[grp * d.OCg + oc] += rowSum(dyg + oc * d.P, d.P);
        }
      }
    }
  };
  parallelFor(chunks, 1, [&](int64_t cb, int64_t ce) {
    for (int64_t chunk = cb; chunk < ce; ++chunk) runChunk(chunk);
  });
  // Sum the partials in chunk order, so the result does not depend on which thread ran what;
  // dW's partials are per group [Kc, OCg] (dW^T) and land transposed.
  auto partialSum = [&](int64_t at, float start) {
    float s = start;
    for (int64_t t = 0; t < chunks; ++t) s += partials[static_cast<size_t>(t)][static_cast<size_t>(at)];
    return s;
  };
  if (dW) {
    for (int64_t grp = 0; grp < g.groups; ++grp)
      for (int64_t oc = 0; oc < d.OCg; ++oc)
        for (int64_t k = 0; k < d.Kc; ++k) {
          float& out = dW[(grp * d.OCg + oc) * d.Kc + k];
          out = partialSum(grp * d.OCg * d.Kc + k * d.OCg + oc, accumulate ? out : 0.0f);
        }
  }
  if (db) {
    for (int64_t oc = 0; oc < g.OC; ++oc) db[oc] = partialSum((dW ? wSize : 0) + oc, accumulate ? db[oc] : 0.0f);
  }
}

}  // namespace steepest::cpu
