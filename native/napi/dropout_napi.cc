// Binding for inverted dropout (native/cpu/dropout.h).
#include "cpu/dropout.h"

#include <string>

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

constexpr int64_t kMaxSafe = (int64_t{1} << 53) - 1;

// dropout(x, xOff, out, outOff, n, p, seed, streamOffset): also the backward, applied to the
// upstream gradient with the same (seed, streamOffset).
Napi::Value Dropout(const Napi::CallbackInfo& info) {
  Args args(info, "dropout");
  args.count(8, 8);
  const int64_t n = args.integer(4, "n");
  const double p = args.finite(5, "p");
  if (p < 0 || p > 1) args.failRange("p must be in [0, 1], got " + std::to_string(p));
  const auto seed = static_cast<uint64_t>(args.integer(6, "seed", 0, kMaxSafe));
  const auto offset = static_cast<uint64_t>(args.integer(7, "stream offset", 0, kMaxSafe));
  const Device device = args.runOnDeviceOf(2, "out");
  const float* x = args.f32(0, "x", n);
  float* out = args.f32(2, "out", n);
  // In place (out == x) is exact; a shifted overlap would race between threads.
  if (out != x && overlaps(x, n, out, n)) args.fail("out must be x itself or not share memory with it");
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().dropout(x, out, n, static_cast<float>(p), seed, offset));
  } else {
    cpu::dropout(x, out, n, static_cast<float>(p), seed, offset);
  }
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) { exports.Set("dropout", Napi::Function::New(env, Dropout, "dropout")); }

}  // namespace

STEEPEST_REGISTER(dropout, Init);

}  // namespace steepest::napi
