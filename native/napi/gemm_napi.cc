// Binding for GEMM: on the device of C, the CPU's packed GEMM (native/cpu/gemm.h) or cuBLAS
// (native/cuda/gemm.cu).
#include "cpu/gemm.h"

#include <cstdint>
#include <string>
#include <vector>

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

// Elements a row-major rows x cols matrix with leading dimension ld spans. Saturates instead
// of wrapping (sizes up to 2^32 each would overflow int64), so the buffer check then fails.
int64_t span(int64_t rows, int64_t cols, int64_t ld) {
  if (rows == 0 || cols == 0) return 0;
  if (ld > 0 && rows - 1 > (INT64_MAX - cols) / ld) return INT64_MAX;
  return (rows - 1) * ld + cols;
}

void checkLd(const Args& args, const char* name, int64_t rows, int64_t cols, int64_t ld) {
  if (ld < cols || ld < 1) {
    args.failRange(std::string("leading dimension of ") + name + " (" + dims(rows, cols) + ") must be >= " +
                   std::to_string(cols > 1 ? cols : 1) + ", got " + std::to_string(ld));
  }
}

// The product's sizes: transA, transB, M, N, K at positions 0-4, the leading dimensions at
// ldaAt, ldbAt, ldcAt, each checked against the stored shape of its matrix.
struct Dims {
  bool transA, transB;
  int64_t M, N, K, lda, ldb, ldc;
  int64_t aRows, aCols, bRows, bCols;  // stored shapes: A is M x K (K x M transposed), B is K x N (N x K)
};

Dims readDims(const Args& args, size_t ldaAt, size_t ldbAt, size_t ldcAt) {
  Dims d{};
  d.transA = args.boolean(0, "transA");
  d.transB = args.boolean(1, "transB");
  d.M = args.integer(2, "M");
  d.N = args.integer(3, "N");
  d.K = args.integer(4, "K");
  d.lda = args.integer(ldaAt, "lda");
  d.ldb = args.integer(ldbAt, "ldb");
  d.ldc = args.integer(ldcAt, "ldc");
  d.aRows = d.transA ? d.K : d.M, d.aCols = d.transA ? d.M : d.K;
  d.bRows = d.transB ? d.N : d.K, d.bCols = d.transB ? d.K : d.N;
  checkLd(args, "A", d.aRows, d.aCols, d.lda);
  checkLd(args, "B", d.bRows, d.bCols, d.ldb);
  checkLd(args, "C", d.M, d.N, d.ldc);
  return d;
}

// gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc,
//      bias | null, biasOff, relu)
// cuBLAS takes int sizes and leading dimensions.
void checkCudaSizes(const Args& args, const Dims& d) {
  for (const int64_t v : {d.M, d.N, d.K, d.lda, d.ldb, d.ldc}) {
    if (v > INT32_MAX) args.failRange("sizes and leading dimensions must be < 2^31 on 'cuda', got " + std::to_string(v));
  }
}
int i32(int64_t v) { return static_cast<int>(v); }

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Args args(info, "gemm");
  args.count(19, 19);
  const Dims d = readDims(args, 8, 11, 15);
  const float alpha = static_cast<float>(args.number(5, "alpha"));
  const float beta = static_cast<float>(args.number(12, "beta"));
  const std::string aName = "A (" + dims(d.aRows, d.aCols) + ")";
  const std::string bName = "B (" + dims(d.bRows, d.bCols) + ")";
  const std::string cName = "C (" + dims(d.M, d.N) + ")";
  const Device device = args.runOnDeviceOf(13, cName.c_str());
  const float* A = args.f32(6, aName.c_str(), span(d.aRows, d.aCols, d.lda));
  const float* B = args.f32(9, bName.c_str(), span(d.bRows, d.bCols, d.ldb));
  float* C = args.f32(13, cName.c_str(), span(d.M, d.N, d.ldc));
  if (args.buffer(13, "C") == args.buffer(6, "A") || args.buffer(13, "C") == args.buffer(9, "B")) {
    args.fail("C must not share memory with A or B");
  }
  cpu::GemmEpilogue epi;
  if (!args.isNullish(16)) epi.bias = args.f32(16, "bias", d.N);
  epi.relu = args.boolean(18, "relu");
  if (device == Device::Cuda) {
    checkCudaSizes(args, d);
    cudaCheck(args, cudaLibrary().gemm(d.transA, d.transB, i32(d.M), i32(d.N), i32(d.K), alpha, A, i32(d.lda), B, i32(d.ldb),
                                       beta, C, i32(d.ldc), epi.bias, epi.relu));
  } else {
    cpu::gemm(d.transA, d.transB, d.M, d.N, d.K, alpha, A, d.lda, B, d.ldb, beta, C, d.ldc, epi);
  }
  return info.Env().Undefined();
}

// Elements `batch` matrices of `one` elements each, `stride` apart, span (saturating as span).
int64_t batchSpan(int64_t one, int64_t stride, int64_t batch) {
  if (batch == 0 || one == 0) return 0;
  if (stride > 0 && batch - 1 > (INT64_MAX - one) / stride) return INT64_MAX;
  return (batch - 1) * stride + one;
}

// gemmBatched(transA, transB, M, N, K, alpha, A, aOff, lda, strideA, B, bOff, ldb, strideB,
//             beta, C, cOff, ldc, strideC, batch)
Napi::Value GemmBatched(const Napi::CallbackInfo& info) {
  Args args(info, "gemmBatched");
  args.count(20, 20);
  const Dims d = readDims(args, 8, 12, 17);
  const float alpha = static_cast<float>(args.number(5, "alpha"));
  const float beta = static_cast<float>(args.number(14, "beta"));
  const int64_t strideA = args.integer(9, "strideA"), strideB = args.integer(13, "strideB");
  const int64_t strideC = args.integer(18, "strideC"), batch = args.integer(19, "batch");
  const int64_t cOne = span(d.M, d.N, d.ldc);
  // Threads write different C_i at once: they must not overlap.
  if (batch > 1 && cOne > 0 && strideC < cOne) {
    args.failRange("strideC (" + std::to_string(strideC) + ") must be >= the " + std::to_string(cOne) + " elements of one C");
  }
  const Device device = args.runOnDeviceOf(15, "C");
  const float* A = args.f32(6, "A", batchSpan(span(d.aRows, d.aCols, d.lda), strideA, batch));
  const float* B = args.f32(10, "B", batchSpan(span(d.bRows, d.bCols, d.ldb), strideB, batch));
  float* C = args.f32(15, "C", batchSpan(cOne, strideC, batch));
  if (args.buffer(15, "C") == args.buffer(6, "A") || args.buffer(15, "C") == args.buffer(10, "B")) {
    args.fail("C must not share memory with A or B");
  }
  if (device == Device::Cuda) {
    checkCudaSizes(args, d);
    if (batch > INT32_MAX) args.failRange("batch must be < 2^31 on 'cuda', got " + std::to_string(batch));
    cudaCheck(args, cudaLibrary().gemm_strided_batched(d.transA, d.transB, i32(d.M), i32(d.N), i32(d.K), alpha, A, i32(d.lda),
                                                       strideA, B, i32(d.ldb), strideB, beta, C, i32(d.ldc), strideC,
                                                       i32(batch)));
  } else {
    cpu::gemmStridedBatched(d.transA, d.transB, d.M, d.N, d.K, alpha, A, d.lda, strideA, B, d.ldb, strideB, beta, C, d.ldc,
                            strideC, batch);
  }
  return info.Env().Undefined();
}

// gemmIsa() -> "avx512" | "avx2" | "generic"
Napi::Value GemmIsa(const Napi::CallbackInfo& info) {
  Args(info, "gemmIsa").count(0, 0);
  return Napi::String::New(info.Env(), cpu::gemmIsa());
}

// gemmIsas() -> the families this CPU can run, fastest first.
Napi::Value GemmIsas(const Napi::CallbackInfo& info) {
  Args(info, "gemmIsas").count(0, 0);
  const std::vector<std::string> names = cpu::gemmIsas();
  Napi::Array out = Napi::Array::New(info.Env(), names.size());
  for (size_t i = 0; i < names.size(); ++i) out.Set(static_cast<uint32_t>(i), names[i]);
  return out;
}

// gemmSetIsa(name): forces a micro-kernel family ("auto" re-detects); throws when refused.
Napi::Value GemmSetIsa(const Napi::CallbackInfo& info) {
  Args args(info, "gemmSetIsa");
  args.count(1, 1);
  if (!info[0].IsString()) args.failType("name must be a string, got " + std::string(info[0].IsNumber() ? "a number" : "a non-string"));
  const std::string error = cpu::gemmSetIsa(info[0].As<Napi::String>().Utf8Value());
  if (!error.empty()) args.fail(error);
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, Gemm, "gemm"));
  exports.Set("gemmBatched", Napi::Function::New(env, GemmBatched, "gemmBatched"));
  exports.Set("gemmIsa", Napi::Function::New(env, GemmIsa, "gemmIsa"));
  exports.Set("gemmIsas", Napi::Function::New(env, GemmIsas, "gemmIsas"));
  exports.Set("gemmSetIsa", Napi::Function::New(env, GemmSetIsa, "gemmSetIsa"));
}

}  // namespace

STEEPEST_REGISTER(gemm, Init);

}  // namespace steepest::napi
