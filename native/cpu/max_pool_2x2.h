// Max pooling with 2x2 windows at stride 2 (no padding, no dilation): the pooling of nearly every
// CNN (LeNet, VGG, the ResNet stem's successors), on one plane. Same results as the general
// kernels of pool2d.cc, bit for bit: PyTorch's rule (common/pool_windows.h: the first tap
// starts, a larger value or any NaN takes over) and its index h * W + w.
//
// Why a kernel of its own: the general loop spent ~25 cycles per output on LeNet's first
// pooling layer, more than the convolution before it (bench/cnn, perf). Several outputs at a
// time in vector registers (the window's even and odd columns de-interleaved by shuffles) bring
// it to a few cycles. (The backward, a memset and one add per output, runs at memory speed as it
// is: it stays in pool2d.cc.)
#pragma once
#include <cstdint>

#include "common/conv_geometry.h"

namespace steepest::cpu {

// Whether the geometry is the one these kernels handle.
bool isMaxPool2x2(const common::PoolGeometry& g);

// One plane: in [H, W] -> out, idx [OH, OW].
using MaxPool2x2Plane = void (*)(const float* in, const common::PoolGeometry& g, float* out, int32_t* idx);
// The kernel for this CPU: AVX-512 (16 windows per step) when the GEMM runs AVX-512 kernels
// (gemmIsa(), so STEEPEST_GEMM_ISA forces the other one too), otherwise SSE (4 per step) or
// scalar.
MaxPool2x2Plane maxPool2x2Kernel();

}  // namespace steepest::cpu
