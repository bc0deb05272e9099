// Transpose of a row-major [rows, cols] matrix, out[c, r] = a[r, c] (the CPU kernel is
// cpu/layout.cc's). Each block moves 32x32 tiles through shared memory: it reads rows of the tile
// from a and writes rows of the transposed tile to out, so both sides are coalesced, and the
// padding column keeps the column-wise reads of the tile free of bank conflicts (the tiled
// transpose of NVIDIA's "An Efficient Matrix Transpose in CUDA C/C++"). Pure data movement: there
// is no arithmetic to share with the CPU, whose tests cover the index mapping.
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

constexpr int kTile = 32;
constexpr int kTileRowsPerPass = 8;  // a block of 32 x 8 threads covers a tile in 4 passes

__global__ void transposeKernel(const float* a, int64_t rows, int64_t cols, float* out) {
  __shared__ float tile[kTile][kTile + 1];
  const int64_t tileCols = (cols + kTile - 1) / kTile;
  const int64_t tiles = tileCols * ((rows + kTile - 1) / kTile);
  for (int64_t t = blockIdx.x; t < tiles; t += gridDim.x) {
    const int64_t r0 = t / tileCols * kTile, c0 = t % tileCols * kTile;
    // tile[k][x] = a[r0 + k, c0 + x]
    for (int k = threadIdx.y; k < kTile; k += kTileRowsPerPass) {
      const int64_t r = r0 + k, c = c0 + threadIdx.x;
      if (r < rows && c < cols) tile[k][threadIdx.x] = a[r * cols + c];
    }
    __syncthreads();
    // out[c0 + k, r0 + x] = a[r0 + x, c0 + k] = tile[x][k]
    for (int k = threadIdx.y; k < kTile; k += kTileRowsPerPass) {
      const int64_t c = c0 + k, r = r0 + threadIdx.x;
      if (c < cols && r < rows) out[c * rows + r] = tile[threadIdx.x][k];
    }
    __syncthreads();  // the tile is refilled by the next iteration
  }
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

extern "C" int steepest_cuda_transpose(const float* a, int64_t rows, int64_t cols, float* out) {
  if (rows <= 0 || cols <= 0) return STEEPEST_CUDA_OK;
  const int64_t tiles = ((rows + kTile - 1) / kTile) * ((cols + kTile - 1) / kTile);
  const unsigned blocks = static_cast<unsigned>(tiles < 65535 ? tiles : 65535);
  transposeKernel<<<blocks, dim3(kTile, kTileRowsPerPass), 0, stream()>>>(a, rows, cols, out);
  return checkLaunch("transpose");
}
