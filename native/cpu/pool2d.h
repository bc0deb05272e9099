// 2-D pooling over NCHW float32 planes, as PyTorch's MaxPool2d, AvgPool2d and
// AdaptiveAvgPool2d (ceil_mode false):
//   max:      y = max over the window (padding never wins: it is -inf); indices[o] = h * W + w of
//             the first maximum, PyTorch's return_indices; backward dx[indices[o]] += dy[o]
//   average:  window [oh*sh - ph, +KH) clipped to [-ph, H + ph) gives the divisor when
//             countIncludePad (PyTorch's default), then clipped to the input for the sum;
//             backward spreads dy[o] / divisor over the window
//   adaptive: output row o averages input rows [floor(o H / OH), ceil((o + 1) H / OH))
// The window rules are common/pool_windows.h's (the CUDA kernels use them too). Planes are
// spread over the thread pool.
#pragma once
#include <cstdint>

#include "common/conv_geometry.h"

namespace steepest::cpu {

using common::PoolGeometry;

void maxPool2dForward(const float* x, const PoolGeometry& g, float* y, int32_t* indices);
// dx is overwritten.
void maxPool2dBackward(const float* dy, const int32_t* indices, const PoolGeometry& g, float* dx);

void avgPool2dForward(const float* x, const PoolGeometry& g, bool countIncludePad, float* y);
void avgPool2dBackward(const float* dy, const PoolGeometry& g, bool countIncludePad, float* dx);

// Uses N, C, H, W, OH, OW of g.
void adaptiveAvgPool2dForward(const float* x, const PoolGeometry& g, float* y);
void adaptiveAvgPool2dBackward(const float* dy, const PoolGeometry& g, float* dx);

}  // namespace steepest::cpu
