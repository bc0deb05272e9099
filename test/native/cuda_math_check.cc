// The CUDA kernels' per-thread math run on the CPU (compiled and run by cuda_math.test.ts), so
// the machines without a GPU test it too:
//   pooling (common/pool_values.h): every output and every gathered input gradient against the
//     CPU kernels of cpu/pool2d.cc, to the bit (ties, NaNs, padding, dilation, overlapping and
//     gapped windows, both countIncludePad rules, adaptive sizes that do not divide);
//   convolution (common/conv_taps.h): im2col followed by the grouped GEMM against a direct
//     convolution, col2im against the adjoint of im2col (integer data, so sums are exact), and
//     the bias / ReLU epilogue's NaN and sign rules.
// Prints "ok <checks>" or the first mismatch, and exits non-zero on one.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "common/conv_taps.h"
#include "common/pool_values.h"
#include "cpu/pool2d.h"

using namespace steepest;
using common::ConvGeometry;
using common::PoolGeometry;

namespace {

long checks = 0;
std::mt19937 rng(7);

bool sameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool fail(const char* what, int64_t at, double got, double want) {
  std::printf("%s: element %lld is %.9g, expected %.9g\n", what, static_cast<long long>(at), got, want);
  return false;
}

// Quarters in [-1, 1] (ties, and sums that are exact in any order), with NaNs when asked.
std::vector<float> data(int64_t n, bool nans) {
  std::uniform_int_distribution<int> v(-4, 4), nan(0, 40);
  std::vector<float> out(static_cast<size_t>(n));
  for (auto& x : out) x = nans && nan(rng) == 0 ? NAN : static_cast<float>(v(rng)) * 0.25f;
  return out;
}

// Normal draws: sums whose rounding depends on their order, so equal bits mean the same order.
std::vector<float> normal(int64_t n) {
  std::normal_distribution<float> v;
  std::vector<float> out(static_cast<size_t>(n));
  for (auto& x : out) x = v(rng);
  return out;
}

bool checkMax(const PoolGeometry& g, bool nans) {
  const int64_t plane = g.H * g.W, P = g.OH * g.OW, planes = g.N * g.C;
  const auto x = data(planes * plane, nans), dy = normal(planes * P);
  std::vector<float> y(planes * P), dx(planes * plane);
  std::vector<int32_t> idx(planes * P);
  cpu::maxPool2dForward(x.data(), g, y.data(), idx.data());
  cpu::maxPool2dBackward(dy.data(), idx.data(), g, dx.data());
  for (int64_t i = 0; i < planes * P; ++i) {
    int64_t at;
    const float v = common::maxPoolValue(x.data() + (i / P) * plane, g, (i % P) / g.OW, i % g.OW, at);
    if (!sameBits(v, y[i]) || at != idx[i]) return fail("maxPool2d forward (value or index)", i, v, y[i]);
    if (!common::maxPoolIndexFits(idx[i], g, (i % P) / g.OW, i % g.OW)) return fail("maxPool2d index check", i, idx[i], idx[i]);
  }
  for (int64_t i = 0; i < planes * plane; ++i) {
    const int64_t first = (i / plane) * P;
    const float v = common::maxPoolGradValue(dy.data() + first, idx.data() + first, g, (i % plane) / g.W, i % g.W);
    if (!sameBits(v, dx[i])) return fail("maxPool2d backward", i, v, dx[i]);
  }
  // Indices the gather cannot deliver are refused: outside the plane, or in it but outside the
  // window (the plane's last position is outside the first output's window in every case here).
  if (common::maxPoolIndexFits(plane, g, 0, 0) || common::maxPoolIndexFits(plane - 1, g, 0, 0)) {
    return fail("maxPool2d index check (an index outside the window)", 0, 1, 0);
  }
  checks += 1;
  return true;
}

template <class Rule, class Forward, class Backward>
bool checkAverage(const PoolGeometry& g, const Rule& rule, Forward cpuForward, Backward cpuBackward, const char* what) {
  const int64_t plane = g.H * g.W, P = g.OH * g.OW, planes = g.N * g.C;
  const auto x = normal(planes * plane), dy = normal(planes * P);
  std::vector<float> y(planes * P), dx(planes * plane);
  cpuForward(x.data(), y.data());
  cpuBackward(dy.data(), dx.data());
  for (int64_t i = 0; i < planes * P; ++i) {
    const float v = common::windowMean(x.data() + (i / P) * plane, g.W, rule.window(g, (i % P) / g.OW, i % g.OW));
    if (!sameBits(v, y[i])) return fail(what, i, v, y[i]);
  }
  for (int64_t i = 0; i < planes * plane; ++i) {
    const float v = common::averageGradValue(dy.data() + (i / plane) * P, g, rule, (i % plane) / g.W, i % g.W);
    if (!sameBits(v, dx[i])) return fail(what, i, v, dx[i]);
  }
  checks += 1;
  return true;
}

PoolGeometry pool(int64_t H, int64_t W, int64_t KH, int64_t KW, int64_t sh, int64_t sw, int64_t ph, int64_t pw, int64_t dh,
                  int64_t dw) {
  return {2, 3, H, W, KH, KW, sh, sw, ph, pw, dh, dw, common::convOutputSize(H, KH, sh, ph, dh),
          common::convOutputSize(W, KW, sw, pw, dw)};
}

bool checkPooling() {
  const PoolGeometry windows[] = {
      pool(8, 8, 2, 2, 2, 2, 0, 0, 1, 1),  // LeNet's
      pool(7, 9, 3, 3, 2, 2, 1, 1, 1, 1),  // overlapping, padded
      pool(9, 7, 3, 2, 1, 2, 1, 0, 2, 1),  // dilated rows
      pool(10, 6, 2, 3, 3, 1, 1, 1, 2, 2), // gaps between windows, dilated, padded
      pool(5, 5, 5, 5, 1, 1, 2, 2, 1, 1),  // windows mostly padding
  };
  for (const PoolGeometry& g : windows) {
    for (bool nans : {false, true}) {
      if (!checkMax(g, nans)) return false;
    }
    if (g.dilationH != 1 || g.dilationW != 1) continue;  // AvgPool2d has no dilation
    for (bool include : {true, false}) {
      const common::AverageRule rule{include};
      if (!checkAverage(g, rule, [&](const float* x, float* y) { cpu::avgPool2dForward(x, g, include, y); },
                        [&](const float* dy, float* dx) { cpu::avgPool2dBackward(dy, g, include, dx); }, "avgPool2d")) {
        return false;
      }
    }
  }
  const int64_t adaptive[][4] = {{7, 9, 3, 4}, {6, 6, 6, 1}, {5, 11, 2, 11}, {13, 4, 5, 3}};
  for (const auto& a : adaptive) {
    const PoolGeometry g{2, 3, a[0], a[1], 1, 1, 1, 1, 0, 0, 1, 1, a[2], a[3]};
    if (!checkAverage(g, common::AdaptiveRule{}, [&](const float* x, float* y) { cpu::adaptiveAvgPool2dForward(x, g, y); },
                      [&](const float* dy, float* dx) { cpu::adaptiveAvgPool2dBackward(dy, g, dx); }, "adaptiveAvgPool2d")) {
      return false;
    }
  }
  return true;
}

ConvGeometry conv(int64_t C, int64_t H, int64_t W, int64_t OC, int64_t KH, int64_t KW, int64_t sh, int64_t sw, int64_t ph,
                  int64_t pw, int64_t dh, int64_t dw, int64_t groups) {
  return {2, C, H, W, OC, KH, KW, sh, sw, ph, pw, dh, dw, groups, common::convOutputSize(H, KH, sh, ph, dh),
          common::convOutputSize(W, KW, sw, pw, dw)};
}

// y by the GPU's decomposition (im2col, then W_g col_g per group, then the epilogue) against the
// definition y[n, oc, oh, ow] = b[oc] + sum over c in oc's group, kh, kw of w x.
bool checkConv(const ConvGeometry& g) {
  const int64_t Cg = g.C / g.groups, OCg = g.OC / g.groups, Kc = Cg * g.KH * g.KW, rows = g.C * g.KH * g.KW, P = g.OH * g.OW;
  const auto x = data(g.N * g.C * g.H * g.W, false), w = data(g.OC * Kc, false), b = data(g.OC, false);
  for (int64_t n = 0; n < g.N; ++n) {
    const float* image = x.data() + n * g.C * g.H * g.W;
    std::vector<float> col(rows * P);
    for (int64_t i = 0; i < rows * P; ++i) col[i] = common::im2colValue(image, g, i / P, i % P);
    for (int64_t oc = 0; oc < g.OC; ++oc) {
      const int64_t grp = oc / OCg;
      for (int64_t p = 0; p < P; ++p) {
        double viaCol = 0, direct = b[oc];
        for (int64_t k = 0; k < Kc; ++k) viaCol += double(w[oc * Kc + k]) * col[(grp * Kc + k) * P + p];
        for (int64_t c = 0; c < Cg; ++c)
          for (int64_t kh = 0; kh < g.KH; ++kh)
            for (int64_t kw = 0; kw < g.KW; ++kw) {
              const int64_t ih = (p / g.OW) * g.strideH - g.padH + kh * g.dilationH;
              const int64_t iw = (p % g.OW) * g.strideW - g.padW + kw * g.dilationW;
              if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
              direct += double(w[(oc * Cg + c) * g.KH * g.KW + kh * g.KW + kw]) * image[((grp * Cg + c) * g.H + ih) * g.W + iw];
            }
        const float y = common::convEpilogue(static_cast<float>(viaCol), b[oc], false);
        if (y != static_cast<float>(direct)) return fail("conv2d forward via im2col", (n * g.OC + oc) * P + p, y, direct);
      }
    }
    // col2im is im2col's adjoint: <col2im(d), x> = <d, im2col(x)> for any d (exact: small integers).
    const auto d = data(rows * P, false);
    double left = 0, right = 0;
    for (int64_t i = 0; i < rows * P; ++i) right += double(d[i]) * col[i];
    for (int64_t i = 0; i < g.C * g.H * g.W; ++i) {
      left += double(image[i]) * common::col2imValue(d.data(), g, i / (g.H * g.W), (i / g.W) % g.H, i % g.W);
    }
    if (left != right) return fail("col2im as the adjoint of im2col", n, left, right);
  }
  checks += 1;
  return true;
}

bool checkEpilogue() {
  const float nan = NAN;
  const bool ok = std::isnan(common::convEpilogue(nan, 1.f, true)) && common::convEpilogue(-3.f, 1.f, true) == 0.f &&
                  common::convEpilogue(-3.f, 1.f, false) == -2.f && common::convEpilogue(2.f, 0.5f, true) == 2.5f;
  checks += 1;
  return ok || fail("conv epilogue (NaN kept, negatives to 0 under ReLU, bias added)", 0, 0, 0);
}

}  // namespace

int main() {
  const ConvGeometry convs[] = {
      conv(3, 6, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1),  // 3x3 padding 1
      conv(4, 9, 8, 6, 3, 2, 2, 1, 1, 0, 2, 1, 2),  // stride, dilation, groups
      conv(4, 5, 5, 4, 1, 1, 1, 1, 0, 0, 1, 1, 4),  // depthwise 1x1
      conv(2, 7, 7, 3, 5, 5, 3, 3, 2, 2, 1, 1, 1),  // gaps between windows
  };
  bool ok = checkPooling() && checkEpilogue();
  for (const ConvGeometry& g : convs) ok = ok && checkConv(g);
  if (!ok) return 1;
  std::printf("ok %ld\n", checks);
  return 0;
}
