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

// gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc,
//      bias | null, biasOff, relu)
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Args args(info, "gemm");
  args.count(19, 19);
  const bool transA = args.boolean(0, "transA");
  const bool transB = args.boolean(1, "transB");
  const int64_t M = args.integer(2, "M");
  const int64_t N = args.integer(3, "N");
  const int64_t K = args.integer(4, "K");
  const float alpha = static_cast<float>(args.number(5, "alpha"));
  const int64_t lda = args.integer(8, "lda");
  const int64_t ldb = args.integer(11, "ldb");
  const float beta = static_cast<float>(args.number(12, "beta"));
  const int64_t ldc = args.integer(15, "ldc");
  // Stored shapes: A is M x K (K x M when transposed), B is K x N (N x K when transposed).
  const int64_t aRows = transA ? K : M, aCols = transA ? M : K;
  const int64_t bRows = transB ? N : K, bCols = transB ? K : N;
  checkLd(args, "A", aRows, aCols, lda);
  checkLd(args, "B", bRows, bCols, ldb);
  checkLd(args, "C", M, N, ldc);
  const std::string aName = "A (" + dims(aRows, aCols) + ")";
  const std::string bName = "B (" + dims(bRows, bCols) + ")";
  const std::string cName = "C (" + dims(M, N) + ")";
  const Device device = args.runOnDeviceOf(13, cName.c_str());
  const float* A = args.f32(6, aName.c_str(), span(aRows, aCols, lda));
  const float* B = args.f32(9, bName.c_str(), span(bRows, bCols, ldb));
  float* C = args.f32(13, cName.c_str(), span(M, N, ldc));
  if (args.buffer(13, "C") == args.buffer(6, "A") || args.buffer(13, "C") == args.buffer(9, "B")) {
    args.fail("C must not share memory with A or B");
  }
  cpu::GemmEpilogue epi;
  if (!args.isNullish(16)) epi.bias = args.f32(16, "bias", N);
  epi.relu = args.boolean(18, "relu");
  if (device == Device::Cuda) {
    // cuBLAS takes int sizes.
    for (const int64_t v : {M, N, K, lda, ldb, ldc}) {
      if (v > INT32_MAX) args.failRange("sizes and leading dimensions must be < 2^31 on 'cuda', got " + std::to_string(v));
    }
    const auto i = [](int64_t v) { return static_cast<int>(v); };
    cudaCheck(args, cudaLibrary().gemm(transA, transB, i(M), i(N), i(K), alpha, A, i(lda), B, i(ldb), beta, C, i(ldc),
                                       epi.bias, epi.relu));
  } else {
    cpu::gemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, epi);
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
  exports.Set("gemmIsa", Napi::Function::New(env, GemmIsa, "gemmIsa"));
  exports.Set("gemmIsas", Napi::Function::New(env, GemmIsas, "gemmIsas"));
  exports.Set("gemmSetIsa", Napi::Function::New(env, GemmSetIsa, "gemmSetIsa"));
}

}  // namespace

STEEPEST_REGISTER(gemm, Init);

}  // namespace steepest::napi
