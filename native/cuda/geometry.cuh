// The window geometries as they cross the C interface (steepest_cuda.h): arrays of the fields of
// common/conv_geometry.h's structs in declaration order (16 for a convolution, 14 for pooling),
// OH and OW included, as the N-API layer computed and checked them.
#pragma once
#include <cstdint>

#include "common/conv_geometry.h"

namespace steepest::cuda {

static_assert(sizeof(common::ConvGeometry) == 16 * sizeof(int64_t), "ConvGeometry crosses as 16 integers");
static_assert(sizeof(common::PoolGeometry) == 14 * sizeof(int64_t), "PoolGeometry crosses as 14 integers");

inline common::ConvGeometry convGeometryOf(const int64_t* v) {
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]};
}

inline common::PoolGeometry poolGeometryOf(const int64_t* v) {
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]};
}

}  // namespace steepest::cuda
