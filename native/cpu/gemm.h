// Single-precision GEMM, row-major:  C = alpha * op(A) * op(B) + beta * C, then the epilogue
// C += bias (broadcast over rows) and optionally C = max(C, 0).
// op(A) is M x K (A is K x M when transA), op(B) is K x N (B is N x K when transB).
// beta == 0 ignores C's previous contents (NaN included), as BLAS does.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace steepest::cpu {

struct GemmEpilogue {
  const float* bias = nullptr;  // length N, or null
  bool relu = false;
};

void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc,
          GemmEpilogue epilogue = {});

// `batch` independent products C_i = alpha op(A_i) op(B_i) + beta C_i with X_i = X + i * strideX
// (a stride of 0 shares one matrix across the batch: a broadcast batch dimension). Products too
// small to thread on their own are spread over the threads whole; C_i must not overlap.
void gemmStridedBatched(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
                        int64_t lda, int64_t strideA, const float* B, int64_t ldb, int64_t strideB, float beta,
                        float* C, int64_t ldc, int64_t strideC, int64_t batch);

// The micro-kernel family in use: "avx512", "avx2" or "generic". Chosen at load time from the
// CPU (or the STEEPEST_GEMM_ISA environment variable when it names a supported one).
const char* gemmIsa();
// Forces a family ("auto" re-detects). Returns an empty string, or why the name was refused
// (unknown, or not supported by this CPU).
std::string gemmSetIsa(const std::string& name);
// The families this build and CPU can run, fastest first.
std::vector<std::string> gemmIsas();

}  // namespace steepest::cpu
