// A correct, simple GEMM: each thread owns a band of rows of C; the inner loop streams a row of
// B so the compiler vectorizes it. The fast packed kernels replace this body (issue 3).
#include "cpu/gemm.h"

#include <algorithm>
#include <vector>

#include "cpu/threadpool.h"

namespace steepest::cpu {

void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc,
          GemmEpilogue epilogue) {
  if (M == 0 || N == 0) return;
  const int64_t grain = std::max<int64_t>(1, (1 << 16) / std::max<int64_t>(1, N * std::max<int64_t>(K, 1)));
  parallelFor(M, grain, [&](int64_t m0, int64_t m1) {
    std::vector<float> bRow(transB ? static_cast<size_t>(N) : 0);
    for (int64_t i = m0; i < m1; ++i) {
      float* c = C + i * ldc;
      if (beta == 0.f) {
        std::fill(c, c + N, 0.f);
      } else if (beta != 1.f) {
        for (int64_t j = 0; j < N; ++j) c[j] *= beta;
      }
      for (int64_t k = 0; k < K; ++k) {
        const float a = alpha * (transA ? A[k * lda + i] : A[i * lda + k]);
        const float* b = B + k * ldb;
        if (transB) {
          for (int64_t j = 0; j < N; ++j) bRow[j] = B[j * ldb + k];
          b = bRow.data();
        }
        for (int64_t j = 0; j < N; ++j) c[j] += a * b[j];
      }
      if (epilogue.bias) {
        for (int64_t j = 0; j < N; ++j) c[j] += epilogue.bias[j];
      }
      if (epilogue.relu) {
        for (int64_t j = 0; j < N; ++j) c[j] = c[j] > 0.f ? c[j] : 0.f;
      }
    }
  });
}

}  // namespace steepest::cpu
