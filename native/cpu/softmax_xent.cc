#include "cpu/softmax_xent.h"

#include <algorithm>
#include <vector>

#include "common/softmax.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {

const char* const kReductionNames[] = {"none", "mean", "sum"};

namespace {
// Rows per task: about 16K elements, so small batches run inline on the caller.
int64_t rowGrain(int64_t cols) { return std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(cols, 1)); }
}  // namespace

void classLoss(const float* z, const int32_t* labels, int64_t N, const ClassLossParams& p, int64_t ignoreIndex,
               Reduction reduction, float* out, float* grad) {
  const int64_t C = p.classes;
  // The mean's denominator: total weight of the kept rows (PyTorch's nll_loss normalization).
  double denom = 0;
  for (int64_t i = 0; i < N; ++i) {
    if (labels[i] != ignoreIndex) denom += p.weight ? p.weight[labels[i]] : 1.0;
  }
  const double scale = reduction == Reduction::Mean ? 1.0 / denom : 1.0;
  std::vector<double> rowLoss(reduction == Reduction::None ? 0 : static_cast<size_t>(N));
  parallelFor(N, rowGrain(C), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      float* g = grad ? grad + i * C : nullptr;
      double loss = 0;
      if (labels[i] == ignoreIndex) {
        if (g) std::fill(g, g + C, 0.f);
      } else {
        loss = classLossRow(z + i * C, labels[i], p, g);
        if (g && scale != 1.0) {
          for (int64_t c = 0; c < C; ++c) g[c] = static_cast<float>(g[c] * scale);
        }
      }
      if (reduction == Reduction::None) out[i] = static_cast<float>(loss);
      else rowLoss[static_cast<size_t>(i)] = loss;
    }
  });
  if (reduction == Reduction::None) return;
  double total = 0;
  for (double v : rowLoss) total += v;
  // 0 / 0 gives NaN when every row is ignored, as PyTorch does.
  out[0] = static_cast<float>(reduction == Reduction::Mean ? total / denom : total);
}

void softmax(const float* x, float* y, int64_t rows, int64_t cols, bool log) {
  parallelFor(rows, rowGrain(cols), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const float* xr = x + r * cols;
      const float m = softmaxRowMax(xr, cols, 0, 1);
      softmaxRowWrite(xr, y + r * cols, cols, m, softmaxRowExpSum(xr, cols, m, 0, 1), log, 0, 1);
    }
  });
}

void softmaxBackward(const float* y, const float* g, float* dx, int64_t rows, int64_t cols, bool log) {
  parallelFor(rows, rowGrain(cols), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const int64_t o = r * cols;
      softmaxRowBackwardWrite(y + o, g + o, dx + o, cols, softmaxRowBackwardSum(y + o, g + o, cols, log, 0, 1), log, 0, 1);
    }
  });
}

}  // namespace steepest::cpu
