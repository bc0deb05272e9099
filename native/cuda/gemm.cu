// GEMM through cuBLAS, opened at run time (libcublas.so.13, then .12: the machines that build
// the package have no cuBLAS, and the CPU package must never need it), with the bias and ReLU
// epilogue of the CPU GEMM as one kernel of ours after it. Row-major C = op(A) op(B) is the
// column-major C^T = op(B)^T op(A)^T, so cuBLAS is called with the operands swapped.
// TF32 is off by default (full float32 products, as the CPU computes) and opt-in.
#include <dlfcn.h>

#include <mutex>

#include "runtime.cuh"

namespace steepest::cuda {
namespace {

// The few cuBLAS declarations used, with their documented values (cublas_api.h is not needed
// to build: the handle is opaque and the enums are plain ints).
using Handle = void*;
constexpr int kOpN = 0, kOpT = 1;                   // cublasOperation_t
constexpr int kR32F = 0;                            // cudaDataType CUDA_R_32F
constexpr int kCompute32F = 68;                     // CUBLAS_COMPUTE_32F
constexpr int kCompute32FFastTF32 = 77;             // CUBLAS_COMPUTE_32F_FAST_TF32
constexpr int kGemmDefault = -1;                    // CUBLAS_GEMM_DEFAULT
using CreateFn = int (*)(Handle*);
using SetStreamFn = int (*)(Handle, cudaStream_t);
using GemmExFn = int (*)(Handle, int, int, int, int, int, const void*, const void*, int, int, const void*, int, int,
                         const void*, void*, int, int, int, int);
using GemmBatchedFn = int (*)(Handle, int, int, int, int, int, const void*, const void*, int, int, long long,
                              const void*, int, int, long long, const void*, void*, int, int, long long, int, int, int);

struct Cublas {
  void* library = nullptr;
  Handle handle = nullptr;
  GemmExFn gemmEx = nullptr;
  GemmBatchedFn gemmBatched = nullptr;
  std::string error;
};

bool tf32 = false;

const Cublas& cublas() {
  static Cublas c;
  static std::once_flag once;
  std::call_once(once, [] {
    for (const char* name : {"libcublas.so.13", "libcublas.so.12", "libcublas.so"}) {
      if ((c.library = dlopen(name, RTLD_NOW | RTLD_LOCAL)) != nullptr) break;
    }
    if (c.library == nullptr) {
      c.error = "cuBLAS not found (libcublas.so.13 or .12)";
      return;
    }
    auto create = reinterpret_cast<CreateFn>(dlsym(c.library, "cublasCreate_v2"));
    auto setStream = reinterpret_cast<SetStreamFn>(dlsym(c.library, "cublasSetStream_v2"));
    c.gemmEx = reinterpret_cast<GemmExFn>(dlsym(c.library, "cublasGemmEx"));
    c.gemmBatched = reinterpret_cast<GemmBatchedFn>(dlsym(c.library, "cublasGemmStridedBatchedEx"));
    if (!create || !setStream || !c.gemmEx || !c.gemmBatched) {
      c.error = "cuBLAS lacks cublasCreate_v2/cublasSetStream_v2/cublasGemmEx/cublasGemmStridedBatchedEx";
      return;
    }
    int status = create(&c.handle);
    if (status == 0) status = setStream(c.handle, stream());
    if (status != 0) {
      c.error = "cuBLAS initialization failed with status " + std::to_string(status);
      c.handle = nullptr;
    }
  });
  return c;
}

// C[r, c] = relu?(C[r, c] + bias[c]) over an M x N row-major C with leading dimension ldc.
__global__ void epilogueKernel(float* C, int M, int N, int ldc, const float* bias, bool relu) {
  const int64_t n = int64_t(M) * N;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t r = i / N, col = i - r * N;
    float v = C[r * ldc + col];
    if (bias != nullptr) v += bias[col];
    if (relu) v = v > 0.f ? v : 0.f;
    C[r * ldc + col] = v;
  }
}

int gemmStatus(int status, const char* what) {
  return status == 0 ? STEEPEST_CUDA_OK : fail(std::string(what) + ": cuBLAS status " + std::to_string(status));
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

extern "C" int steepest_cuda_set_tf32(int on) {
  tf32 = on != 0;
  return STEEPEST_CUDA_OK;
}

// Row-major C = alpha op(A) op(B) + beta C, then C = relu?(C + bias).
extern "C" int steepest_cuda_gemm(int transA, int transB, int M, int N, int K, float alpha, const float* A, int lda,
                                  const float* B, int ldb, float beta, float* C, int ldc, const float* bias, int relu) {
  const Cublas& c = cublas();
  if (c.handle == nullptr) return fail(c.error);
  if (M == 0 || N == 0) return STEEPEST_CUDA_OK;
  const int status = c.gemmEx(c.handle, transB ? kOpT : kOpN, transA ? kOpT : kOpN, N, M, K, &alpha, B, kR32F, ldb, A,
                              kR32F, lda, &beta, C, kR32F, ldc, tf32 ? kCompute32FFastTF32 : kCompute32F, kGemmDefault);
  if (status != 0) return gemmStatus(status, "gemm");
  if (bias == nullptr && !relu) return STEEPEST_CUDA_OK;
  epilogueKernel<<<blocksFor(int64_t(M) * N), kThreads, 0, stream()>>>(C, M, N, ldc, bias, relu != 0);
  return checkLaunch("gemm epilogue");
}

// `batch` products C_i = alpha op(A_i) op(B_i) + beta C_i, the operands `stride*` elements apart
// (a stride of 0 broadcasts one operand over the batch).
extern "C" int steepest_cuda_gemm_strided_batched(int transA, int transB, int M, int N, int K, float alpha,
                                                  const float* A, int lda, long long strideA, const float* B, int ldb,
                                                  long long strideB, float beta, float* C, int ldc, long long strideC,
                                                  int batch) {
  const Cublas& c = cublas();
  if (c.handle == nullptr) return fail(c.error);
  if (M == 0 || N == 0 || batch == 0) return STEEPEST_CUDA_OK;
  return gemmStatus(c.gemmBatched(c.handle, transB ? kOpT : kOpN, transA ? kOpT : kOpN, N, M, K, &alpha, B, kR32F, ldb,
                                  strideB, A, kR32F, lda, strideA, &beta, C, kR32F, ldc, strideC, batch,
                                  tf32 ? kCompute32FFastTF32 : kCompute32F, kGemmDefault),
                    "gemm strided batched");
}

namespace steepest::cuda {
namespace {

// g *= [y > 0]: the ReLU's backward, in place.
__global__ void reluMaskKernel(float* g, const float* y, int64_t n) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    g[i] = y[i] > 0.f ? g[i] : 0.f;
  }
}

// db[c] = beta db[c] + sum_r g[r, c]: one thread per column (a warp reads consecutive columns).
__global__ void columnSumKernel(const float* g, int64_t M, int64_t N, float* db, float beta) {
  for (int64_t c = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; c < N; c += int64_t(gridDim.x) * blockDim.x) {
    float s = 0.f;
    for (int64_t r = 0; r < M; ++r) s += g[r * N + c];
    db[c] = beta == 0.f ? s : beta * db[c] + s;
  }
}

}  // namespace
}  // namespace steepest::cuda

// The backward of y = relu?(x W^T + b), as cpu/linear_backward.h: gz = g [y > 0] in place,
// db = dbBeta db + colsum gz, dW = dwBeta dW + gz^T x, dx = gz W.
extern "C" int steepest_cuda_linear_backward(float* g, const float* y, int relu, const float* x, const float* W, int M,
                                             int N, int K, float* dx, float* dW, float dw_beta, float* db,
                                             float db_beta) {
  const int64_t MN = int64_t(M) * N;
  if (relu && MN > 0) reluMaskKernel<<<blocksFor(MN), kThreads, 0, stream()>>>(g, y, MN);
  if (db != nullptr && N > 0) columnSumKernel<<<blocksFor(N), kThreads, 0, stream()>>>(g, M, N, db, db_beta);
  int status = checkLaunch("linear backward");
  if (status == STEEPEST_CUDA_OK && dW != nullptr) {
    status = steepest_cuda_gemm(1, 0, N, K, M, 1.f, g, N, x, K, dw_beta, dW, K, nullptr, 0);
  }
  if (status == STEEPEST_CUDA_OK && dx != nullptr) {
    status = steepest_cuda_gemm(0, 0, M, K, N, 1.f, g, N, W, K, 0.f, dx, K, nullptr, 0);
  }
  return status;
}
