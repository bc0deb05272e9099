// The geometry of a 2-D convolution or pooling window over NCHW data, shared by the CPU and
// CUDA kernels (and by the TS layer's shape checks, which compute the same formula):
//   out = floor((in + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1     (PyTorch's Conv2d)
// Output position (oh, ow) reads input row  ih = oh * strideH - padH + kh * dilationH  for kernel
// row kh (and likewise for columns); positions outside the input read zero (padding).
#pragma once
#include <cstdint>

#include "common/hostdevice.h"

namespace steepest::common {

struct ConvGeometry {
  int64_t N, C, H, W;            // input
  int64_t OC, KH, KW;            // output channels, kernel
  int64_t strideH, strideW, padH, padW, dilationH, dilationW;
  int64_t groups;
  int64_t OH, OW;                // output, from convOutputSize
};

// Pooling windows over NCHW planes (one plane per (n, c)): the same output-size rule, padding
// read as -inf by max pooling and as zeros by average pooling.
struct PoolGeometry {
  int64_t N, C, H, W;
  int64_t KH, KW, strideH, strideW, padH, padW, dilationH, dilationW;
  int64_t OH, OW;
};

SP_HD int64_t convOutputSize(int64_t in, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation) {
  const int64_t span = dilation * (kernel - 1) + 1;
  return in + 2 * pad < span ? 0 : (in + 2 * pad - span) / stride + 1;
}

}  // namespace steepest::common
