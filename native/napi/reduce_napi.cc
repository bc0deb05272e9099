// Bindings for reductions (native/cpu/reduce.h).
#include "cpu/reduce.h"

#include <cstdint>
#include <string>

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

struct Axis {
  int64_t outer, n, inner;
};

Axis axisArgs(const Args& args, size_t i) {
  Axis a{args.integer(i, "outer"), args.integer(i + 1, "axis length"), args.integer(i + 2, "inner")};
  args.product("input", a.outer, a.n, a.inner);
  args.product("out", a.outer, a.inner);
  return a;
}

// reduce(op, a, aOff, outer, n, inner, out, outOff)
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  Args args(info, "reduce");
  args.count(8, 8);
  const auto op = static_cast<cpu::ReduceOp>(
      args.integer(0, "op", 0, static_cast<int>(cpu::ReduceOp::Count) - 1));
  Args named(info, cpu::kReduceOpNames[static_cast<int>(op)]);
  const Axis ax = axisArgs(named, 3);
  if (ax.n == 0 && (op == cpu::ReduceOp::Max || op == cpu::ReduceOp::Min)) {
    named.failRange("cannot reduce an empty axis");
  }
  const Device device = named.runOnDeviceOf(6, "out");
  const float* a = named.f32(1, "input", ax.outer * ax.n * ax.inner);
  float* out = named.f32(6, "out", ax.outer * ax.inner);
  if (device == Device::Cuda) {
    cudaCheck(named, cudaLibrary().reduce(static_cast<int>(op), a, ax.outer, ax.n, ax.inner, out));
  } else {
    cpu::reduce(op, a, ax.outer, ax.n, ax.inner, out);
  }
  return info.Env().Undefined();
}

// argmax(a, aOff, outer, n, inner, out:int32, outOff)
Napi::Value Argmax(const Napi::CallbackInfo& info) {
  Args args(info, "argmax");
  args.count(7, 7);
  const Axis ax = axisArgs(args, 2);
  if (ax.n == 0) args.failRange("cannot take argmax over an empty axis");
  // Positions are returned as int32.
  if (ax.n > INT32_MAX) args.failRange("axis length " + std::to_string(ax.n) + " does not fit int32 positions");
  const Device device = args.runOnDeviceOf(5, "out");
  const float* a = args.f32(0, "input", ax.outer * ax.n * ax.inner);
  int32_t* out = args.i32(5, "out", ax.outer * ax.inner);
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().argmax(a, ax.outer, ax.n, ax.inner, out));
  } else {
    cpu::argmax(a, ax.outer, ax.n, ax.inner, out);
  }
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("reduce", Napi::Function::New(env, Reduce, "reduce"));
  exports.Set("argmax", Napi::Function::New(env, Argmax, "argmax"));
  exports.Set("reduceOps", enumObject(env, cpu::kReduceOpNames, static_cast<int>(cpu::ReduceOp::Count)));
}

}  // namespace

STEEPEST_REGISTER(reduce, Init);

}  // namespace steepest::napi
