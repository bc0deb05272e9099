// The pointwise losses (MSE, L1, Huber, BCE with logits and pos_weight), their gradient and the
// none/mean/sum reductions (the CPU kernel is cpu/pointwise_loss.cc), on common/losses.h's
// per-element value and derivative. Two launches and no synchronization:
//   1. a grid-stride pass: each element's loss (kept for 'none'), its gradient scaled by 1 / n
//      for 'mean', and for a reduction each block's double sum of its losses;
//   2. for a reduction, one block adds the blocks' sums into out[0].
#include "block_reduce.cuh"
#include "common/losses.h"

namespace steepest::cuda {
namespace {

constexpr int kReductionNone = 0, kReductionMean = 1;

struct LossArgs {
  PointwiseLoss op;
  const float* x;
  const float* t;
  const float* posWeight;
  int64_t n, cols;
  float param, gradScale;
  bool reduce;
};

__global__ void elementKernel(LossArgs a, float* out, float* grad, double* blockTotals) {
  double acc = 0;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < a.n; i += int64_t(gridDim.x) * blockDim.x) {
    const float p = pointwiseParamAt(a.posWeight, i, a.cols, a.param);
    const float l = pointwiseLoss(a.op, a.x[i], a.t[i], p);
    if (a.reduce) acc += l;
    else out[i] = l;
    if (grad) grad[i] = a.gradScale * pointwiseLossGrad(a.op, a.x[i], a.t[i], p);
  }
  if (!a.reduce) return;
  acc = blockSum(acc);
  if (threadIdx.x == 0) blockTotals[blockIdx.x] = acc;
}

__global__ void totalKernel(const double* blockTotals, unsigned blocks, bool mean, int64_t n, float* out) {
  double s = 0;
  for (unsigned b = threadIdx.x; b < blocks; b += blockDim.x) s += blockTotals[b];
  s = blockSum(s);
  if (threadIdx.x == 0) out[0] = pointwiseReduced(s, mean, n);
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest;
using namespace steepest::cuda;

extern "C" int steepest_cuda_pointwise_loss(int op, const float* x, const float* t, const float* pos_weight, int64_t n,
                                            int64_t cols, float param, int reduction, float* out, float* grad) {
  if (op < 0 || op >= static_cast<int>(PointwiseLoss::Count)) {
    return fail("pointwiseLoss: unknown op code " + std::to_string(op));
  }
  if (cols < 1) return fail("pointwiseLoss: cols must be >= 1, got " + std::to_string(cols));
  const bool reduce = reduction != kReductionNone;
  if (n == 0 && !reduce) return STEEPEST_CUDA_OK;
  const LossArgs a{static_cast<PointwiseLoss>(op), x, t, pos_weight, n, cols, param,
                   pointwiseGradScale(reduction == kReductionMean, n), reduce};
  const unsigned blocks = blocksFor(n);
  // The blocks' sums, from the caching allocator: freed at once, reused by later kernels on the stream.
  void* scratch = nullptr;
  if (reduce) {
    const int status = steepest_cuda_malloc(sizeof(double) * blocks, &scratch);
    if (status != STEEPEST_CUDA_OK) return status;
  }
  auto* blockTotals = static_cast<double*>(scratch);
  elementKernel<<<blocks, kThreads, 0, stream()>>>(a, out, grad, blockTotals);
  if (reduce) totalKernel<<<1, kThreads, 0, stream()>>>(blockTotals, blocks, reduction == kReductionMean, n, out);
  const int status = checkLaunch("pointwiseLoss");
  steepest_cuda_free(scratch);
  return status;
}
