// Attention's fused softmax y = softmax(scale * x + mask), forward and backward (the CPU kernel
// is cpu/masked_softmax.cc), on common/masked_softmax.h's row passes and mask geometry: one
// warp per row, each lane taking every 32nd key; a lane's elements are its own through the
// three passes, and the shuffles that combine the partial max and sum join the lanes between
// passes, so y may be x and dx may be y or g, as on the CPU. The sums are float, as the CPU's,
// added in another order: results agree to float rounding.
#include "block_reduce.cuh"
#include "common/masked_softmax.h"

namespace steepest::cuda {
namespace {

__global__ void maskedSoftmaxKernel(const float* x, float* y, int64_t rows, int64_t cols, float scale,
                                    SoftmaxMask mask) {
  const int lane = laneIndex();
  for (int64_t r = gridWarp(); r < rows; r += gridWarps()) {
    float* yr = y + r * cols;
    const float top = warpReduce(maskedScores(x + r * cols, maskRow(mask, r), yr, cols, scale, lane, kWarp),
                                 [](float a, float b) { return softmaxMax(a, b); });
    const float sum = warpSum(maskedExp(yr, cols, top, lane, kWarp));
    maskedNormalize(yr, cols, sum, lane, kWarp);
  }
}

__global__ void maskedSoftmaxBackwardKernel(const float* y, const float* g, float* dx, int64_t rows, int64_t cols,
                                            float scale) {
  const int lane = laneIndex();
  for (int64_t r = gridWarp(); r < rows; r += gridWarps()) {
    const int64_t o = r * cols;
    const float dot = warpSum(maskedBackwardDot(y + o, g + o, cols, lane, kWarp));
    maskedBackwardWrite(y + o, g + o, dx + o, cols, scale, dot, lane, kWarp);
  }
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest;
using namespace steepest::cuda;

extern "C" int steepest_cuda_masked_softmax(const float* x, float* y, int64_t rows, int64_t cols, float scale,
                                            const float* mask, int64_t rows_per_group, int64_t groups_per_batch,
                                            int64_t batch_stride, int64_t row_stride) {
  if (rows == 0 || cols == 0) return STEEPEST_CUDA_OK;
  if (rows_per_group < 1 || groups_per_batch < 1) return fail("maskedSoftmax: mask geometry needs counts >= 1");
  const SoftmaxMask m{mask, rows_per_group, groups_per_batch, batch_stride, row_stride};
  maskedSoftmaxKernel<<<blocksForRows(rows), kThreads, 0, stream()>>>(x, y, rows, cols, scale, m);
  return checkLaunch("maskedSoftmax");
}

extern "C" int steepest_cuda_masked_softmax_backward(const float* y, const float* g, float* dx, int64_t rows,
                                                     int64_t cols, float scale) {
  if (rows == 0 || cols == 0) return STEEPEST_CUDA_OK;
  maskedSoftmaxBackwardKernel<<<blocksForRows(rows), kThreads, 0, stream()>>>(y, g, dx, rows, cols, scale);
  return checkLaunch("maskedSoftmaxBackward");
}
