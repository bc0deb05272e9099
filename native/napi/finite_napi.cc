// Binding for the finiteness scan (native/cpu/finite.h), used by the training monitor to find
// the first parameter whose gradient went NaN/Inf.
#include "cpu/finite.h"

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

// firstNonFinite(a, aOff, n) -> index of the first NaN/Inf element, or -1.
Napi::Value FirstNonFinite(const Napi::CallbackInfo& info) {
  Args args(info, "firstNonFinite");
  args.count(3, 3);
  const int64_t n = args.integer(2, "n");
  const Device device = args.runOnDeviceOf(0, "input");
  const float* a = args.f32(0, "input", n);
  if (device == Device::Cuda) {
    int64_t index = -1;
    cudaCheck(args, cudaLibrary().first_non_finite(a, n, &index));
    return Napi::Number::New(info.Env(), static_cast<double>(index));
  }
  return Napi::Number::New(info.Env(), static_cast<double>(cpu::firstNonFinite(a, n)));
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("firstNonFinite", Napi::Function::New(env, FirstNonFinite, "firstNonFinite"));
}

}  // namespace

STEEPEST_REGISTER(finite, Init);

}  // namespace steepest::napi
