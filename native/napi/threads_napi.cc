// Bindings for the thread pool size (native/cpu/threadpool.h).
#include "cpu/threadpool.h"

#include "napi/args.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

Napi::Value NumThreads(const Napi::CallbackInfo& info) {
  Args(info, "numThreads").count(0, 0);
  return Napi::Number::New(info.Env(), cpu::numThreads());
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  Args args(info, "setNumThreads");
  args.count(1, 1);
  cpu::setNumThreads(static_cast<int>(args.integer(0, "threads", 1, 256)));
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("numThreads", Napi::Function::New(env, NumThreads, "numThreads"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
}

}  // namespace

STEEPEST_REGISTER(threads, Init);

}  // namespace steepest::napi
