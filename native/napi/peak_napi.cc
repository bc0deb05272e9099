// Bindings of the machine-peak probes (native/cpu/fma_peak.h), for the GEMM benchmark:
//   fmaPeak(threads, iters) -> { gflops, isa }
//   clockGHz(iters) -> GHz, or 0 where no clock loop exists
#include "cpu/fma_peak.h"

#include "napi/args.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

// 1e9 iterations of the AVX-512 loop are ~3 s on one core: enough for any measurement.
constexpr int64_t kMaxIters = 1000000000;

Napi::Value FmaPeakFn(const Napi::CallbackInfo& info) {
  Args args(info, "fmaPeak");
  args.count(2, 2);
  const int threads = static_cast<int>(args.integer(0, "threads", 1, 256));
  const int64_t iters = args.integer(1, "iters", 1, kMaxIters);
  const cpu::FmaPeak p = cpu::fmaPeak(threads, iters);
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("gflops", p.gflops);
  out.Set("isa", p.isa);
  return out;
}

Napi::Value ClockGHz(const Napi::CallbackInfo& info) {
  Args args(info, "clockGHz");
  args.count(1, 1);
  return Napi::Number::New(info.Env(), cpu::clockGHz(args.integer(0, "iters", 1, kMaxIters)));
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("fmaPeak", Napi::Function::New(env, FmaPeakFn, "fmaPeak"));
  exports.Set("clockGHz", Napi::Function::New(env, ClockGHz, "clockGHz"));
}

}  // namespace

STEEPEST_REGISTER(peak, Init);

}  // namespace steepest::napi
