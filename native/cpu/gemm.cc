// A correct, simple GEMM: each thread owns a band of rows of C. Row i of op(A) is copied to a
// contiguous buffer; with B untransposed the inner loop streams rows of B (axpy), with B
// transposed it takes dot products with rows of B, so every inner loop is contiguous.
// The fast packed kernels replace this body (issue 3).
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
    std::vector<float> aRow(static_cast<size_t>(K));
    for (int64_t i = m0; i < m1; ++i) {
      for (int64_t k = 0; k < K; ++k) aRow[k] = alpha * (transA ? A[k * lda + i] : A[i * lda + k]);
      float* c = C + i * ldc;
      if (beta == 0.f) {
        std::fill(c, c + N, 0.f);
      } else if (beta != 1.f) {
        for (int64_t j = 0; j < N; ++j) c[j] *= beta;
      }
      if (transB) {
        for (int64_t j = 0; j < N; ++j) {
          const float* b = B + j * ldb;
          float acc = 0.f;
          for (int64_t k = 0; k < K; ++k) acc += aRow[k] * b[k];
          c[j] += acc;
        }
      } else {
        for (int64_t k = 0; k < K; ++k) {
          const float a = aRow[k];
          const float* b = B + k * ldb;
          for (int64_t j = 0; j < N; ++j) c[j] += a * b[j];
        }
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
