#include "cpu/pointwise_loss.h"

#include <vector>

#include "cpu/threadpool.h"

namespace steepest::cpu {

const char* const kPointwiseLossNames[] = {"mse", "l1", "huber", "bceWithLogits"};

void pointwiseLoss(PointwiseLoss op, const float* x, const float* t, const float* posWeight, int64_t n,
                   int64_t cols, float param, Reduction reduction, float* out, float* grad) {
  const float scale = pointwiseGradScale(reduction == Reduction::Mean, n);
  constexpr int64_t kChunk = 1 << 14;
  const int64_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<double> partial(static_cast<size_t>(chunks), 0.0);
  parallelFor(chunks, 1, [&](int64_t cb, int64_t ce) {
    for (int64_t chunk = cb; chunk < ce; ++chunk) {
      const int64_t end = std::min(n, (chunk + 1) * kChunk);
      double acc = 0;
      for (int64_t i = chunk * kChunk; i < end; ++i) {
        const float pw = pointwiseParamAt(posWeight, i, cols, param);
        const float l = steepest::pointwiseLoss(op, x[i], t[i], pw);
        if (reduction == Reduction::None) out[i] = l;
        else acc += l;
        if (grad) grad[i] = scale * pointwiseLossGrad(op, x[i], t[i], pw);
      }
      partial[static_cast<size_t>(chunk)] = acc;
    }
  });
  if (reduction == Reduction::None) return;
  double total = 0;
  for (double v : partial) total += v;
  out[0] = pointwiseReduced(total, reduction == Reduction::Mean, n);
}

}  // namespace steepest::cpu
