// 2-D convolution over NCHW float32 (PyTorch's Conv2d: cross-correlation, stride, zero padding,
// dilation, groups), on the packed GEMM through im2col:
//   col[(c, kh, kw), (oh, ow)] = x[n, c, oh*sh - ph + kh*dh, ow*sw - pw + kw*dw]   (0 outside)
//   y[n, group g] = W_g [OC/g, C/g*KH*KW] · col_g [C/g*KH*KW, OH*OW]  (+ bias per channel)
// Backward, per image, with the same col (recomputed: keeping every image's col from the forward
// would be read back from memory, which costs more than rebuilding it from the cached image):
//   dW_g^T += col_g · dY_g^T,   dcol_g = W_g^T · dY_g,   dx = col2im(dcol)  (the adjoint of
//   im2col: every col entry adds back into the input position it was read from),
//   db[oc] = sum dY[:, oc]
// Why im2col rather than a direct or implicit-GEMM loop: it reuses the packed AVX-512/AVX2 GEMM
// unchanged (the FLOPs run at GEMM speed), and the col buffer of one image is small for the
// layer sizes a CPU trains (LeNet: 150 x 576 floats). Images are spread over the thread pool,
// one im2col buffer per thread, kept between calls (no allocation per step once warm).
#pragma once
#include <cstdint>

#include "common/conv_geometry.h"

namespace steepest::cpu {

using common::ConvGeometry;

// y: [N, OC, OH, OW]; bias may be null. The epilogue y = max(y + bias, 0) when `relu` runs per
// image while its output is still in cache (a fused Conv2d + ReLU).
void conv2dForward(const float* x, const float* weight, const float* bias, const ConvGeometry& g, float* y,
                   bool relu = false);

// Any of dx, dW, db may be null. dW and db are overwritten (beta = 0) unless `accumulate`.
void conv2dBackward(const float* x, const float* weight, const float* dy, const ConvGeometry& g, float* dx,
                    float* dW, float* db, bool accumulate);

// The transposed convolution (PyTorch's ConvTranspose2d), the adjoint of conv2d with respect
// to its input: `g` is the geometry of the convolution whose input is y [N, C, H, W] and whose
// output is x [N, OC, OH, OW]; weight [OC, C / groups, KH, KW] as conv2d's. Per image and
// group, col = W_g^T x_g, then y = col2im(col) (+ bias [C]): conv2dBackward's input-gradient
// path. Its own backward is conv2dForward (for dx) and conv2dBackward's weight gradient.
void convTranspose2dForward(const float* x, const float* weight, const float* bias, const ConvGeometry& g, float* y);

}  // namespace steepest::cpu
