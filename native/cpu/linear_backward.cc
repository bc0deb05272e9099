#include "cpu/linear_backward.h"

#include "cpu/gemm.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {

void linearBackward(float* g, const float* y, bool relu, const float* x, const float* W, int64_t M, int64_t N,
                    int64_t K, LinearGrads out) {
  if (relu) {
    parallelFor(M * N, 1 << 15, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) g[i] = y[i] > 0.f ? g[i] : 0.f;
    });
  }
  if (out.db) {
    // Column sums, accumulated row by row so the inner loop is contiguous (and vectorizes).
    parallelFor(N, 256, [&](int64_t nb, int64_t ne) {
      for (int64_t j = nb; j < ne; ++j) out.db[j] = out.dbBeta == 0.f ? 0.f : out.db[j] * out.dbBeta;
      for (int64_t i = 0; i < M; ++i) {
        const float* gi = g + i * N;
        for (int64_t j = nb; j < ne; ++j) out.db[j] += gi[j];
      }
    });
  }
  if (out.dW) gemm(true, false, N, K, M, 1.f, g, N, x, K, out.dwBeta, out.dW, K);
  if (out.dx) gemm(false, false, M, K, N, 1.f, g, N, W, K, 0.f, out.dx, K);
}

}  // namespace steepest::cpu
