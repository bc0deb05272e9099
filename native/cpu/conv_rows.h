// The inner loops of im2col and col2im (conv2d.cc) for unit column stride:
//   copy: `rows` output rows of a col row, each reading one input row at columns [lo, hi) of
//         [0, width), zeros elsewhere:  dst[r][j] = lo <= j < hi ? src[r][j] : 0  (j < width);
//         dst rows are ldd floats apart, src rows lds; src[r][j] is only read for j in [lo, hi),
//         so src may point before or past its image row (a padded tap).
//   col2imPlane: one input plane = the sum of what every tap of its channel read from it,
//         plane[ih][iw] = sum over taps t of col_t[oh][ow] with ih = oh * sh + t.ih0,
//         iw = ow + t.iw0 (the adjoint of im2col), overwriting the plane.
//
// Why a module of its own: on the layers a CPU trains an output row is short (LeNet: 10 and 28
// floats), so the per-row cost decides im2col's speed, and AVX-512's masked moves do a row of up
// to 16 in one load and one store, padding included (masked-off lanes are not read). col2im on
// AVX-512 gathers each input row's taps in a register and stores it once: adding tap by tap
// into memory re-reads rows the previous tap has just written with masked stores, which the CPU
// cannot forward to the load (measured: slower than the 4-float portable adds). The AVX-512
// versions run when the GEMM runs AVX-512 kernels (gemmIsa(), so STEEPEST_GEMM_ISA forces the
// portable ones too); the portable ones use 4-float moves.
#pragma once
#include <cstdint>

#include "common/conv_geometry.h"

namespace steepest::cpu {

// Where kernel tap (kh, kw) reads: the output rows and columns whose input lies inside the image
// (the rest read padding zeros) and the input position of output (0, 0). The same for every
// channel and image, so conv2d.cc computes them once per call.
struct TapRange {
  int64_t ohLo, ohHi;  // output rows whose input row lies inside the image
  int64_t owLo, owHi;  // likewise for columns
  int64_t ih0, iw0;    // input row and column read by output (0, 0), possibly outside
};

struct RowMoves {
  void (*copy)(float* dst, int64_t ldd, const float* src, int64_t lds, int64_t rows, int64_t width, int64_t lo,
               int64_t hi);
  // col: the channel's KH * KW col rows, ldcol apart, each [OH, OW]; needs strideW == 1.
  void (*col2imPlane)(const float* col, int64_t ldcol, const TapRange* taps, const common::ConvGeometry& g,
                      float* plane);
};

// The moves for the CPU and the GEMM's ISA in use.
const RowMoves& rowMoves();

}  // namespace steepest::cpu
