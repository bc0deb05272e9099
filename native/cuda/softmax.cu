// Softmax and log-softmax over rows, forward and backward (the CPU kernel is
// cpu/softmax_xent.cc), on common/softmax.h's row passes: one warp per row, each lane taking
// every 32nd element, the lanes' partial max and double sum combined by shuffles. A row's
// reads all come before its writes (the shuffles join the lanes), so y may be x and dx may be
// y or g, as on the CPU.
#include "block_reduce.cuh"
#include "common/softmax.h"

namespace steepest::cuda {
namespace {

__global__ void softmaxKernel(const float* x, float* y, int64_t rows, int64_t cols, bool isLog) {
  const int lane = laneIndex();
  for (int64_t r = gridWarp(); r < rows; r += gridWarps()) {
    const float* xr = x + r * cols;
    const float m = warpReduce(softmaxRowMax(xr, cols, lane, kWarp), [](float a, float b) { return softmaxMax(a, b); });
    const double s = warpSum(softmaxRowExpSum(xr, cols, m, lane, kWarp));
    softmaxRowWrite(xr, y + r * cols, cols, m, s, isLog, lane, kWarp);
  }
}

__global__ void softmaxBackwardKernel(const float* y, const float* g, float* dx, int64_t rows, int64_t cols,
                                      bool isLog) {
  const int lane = laneIndex();
  for (int64_t r = gridWarp(); r < rows; r += gridWarps()) {
    const int64_t o = r * cols;
    const double s = warpSum(softmaxRowBackwardSum(y + o, g + o, cols, isLog, lane, kWarp));
    softmaxRowBackwardWrite(y + o, g + o, dx + o, cols, s, isLog, lane, kWarp);
  }
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

extern "C" int steepest_cuda_softmax(const float* x, float* y, int64_t rows, int64_t cols, int log) {
  if (rows == 0 || cols == 0) return STEEPEST_CUDA_OK;
  softmaxKernel<<<blocksForRows(rows), kThreads, 0, stream()>>>(x, y, rows, cols, log != 0);
  return checkLaunch("softmax");
}

extern "C" int steepest_cuda_softmax_backward(const float* y, const float* g, float* dx, int64_t rows, int64_t cols,
                                              int log) {
  if (rows == 0 || cols == 0) return STEEPEST_CUDA_OK;
  softmaxBackwardKernel<<<blocksForRows(rows), kThreads, 0, stream()>>>(y, g, dx, rows, cols, log != 0);
  return checkLaunch("softmaxBackward");
}
