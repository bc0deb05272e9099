// im2col and col2im over a run of images (common/conv_taps.h has the index math), for conv.cu.
// col holds `count` images, each [C KH KW, OH OW]; every launch covers all of them.
#pragma once
#include <cstdint>

#include "common/conv_geometry.h"

namespace steepest::cuda {

// col = im2col of images x[0 .. count) (x points at the first image).
int im2col(const float* x, const common::ConvGeometry& g, int64_t count, float* col);
// dx[0 .. count) = col2im(col), overwritten.
int col2im(const float* col, const common::ConvGeometry& g, int64_t count, float* dx);

}  // namespace steepest::cuda
