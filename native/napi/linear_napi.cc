// Binding for the fused linear-layer backward (native/cpu/linear_backward.h).
#include "cpu/linear_backward.h"

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

// linearBackward(g, gOff, y|null, yOff, relu, x, xOff, W, wOff, M, N, K,
//                dx|null, dxOff, dW|null, dwOff, dwBeta, db|null, dbOff, dbBeta)
// g is overwritten with the gradient before the activation when relu is true.
Napi::Value LinearBackward(const Napi::CallbackInfo& info) {
  Args args(info, "linear backward");
  args.count(20, 20);
  const int64_t M = args.integer(9, "M");
  const int64_t N = args.integer(10, "N");
  const int64_t K = args.integer(11, "K");
  const int64_t MN = args.product("gradOut", M, N);
  const int64_t MK = args.product("input", M, K);
  const int64_t NK = args.product("weight", N, K);
  const bool relu = args.boolean(4, "relu");
  const Device device = args.runOnDeviceOf(0, "gradOut");
  float* g = args.f32(0, "gradOut", MN);
  const float* y = relu ? args.f32(2, "output", MN) : nullptr;
  const float* x = args.f32(5, "input", MK);
  const float* W = args.f32(7, "weight", NK);
  cpu::LinearGrads out;
  out.dx = args.isNullish(12) ? nullptr : args.f32(12, "gradInput", MK);
  out.dW = args.isNullish(14) ? nullptr : args.f32(14, "gradWeight", NK);
  out.dwBeta = static_cast<float>(args.finite(16, "dwBeta"));
  out.db = args.isNullish(17) ? nullptr : args.f32(17, "gradBias", N);
  out.dbBeta = static_cast<float>(args.finite(19, "dbBeta"));
  NativeBuffer* gb = args.buffer(0, "gradOut");
  for (size_t i : {12u, 14u, 17u}) {
    if (!args.isNullish(i) && (args.buffer(i, "gradient") == gb || args.buffer(i, "gradient") == args.buffer(5, "input") ||
                               args.buffer(i, "gradient") == args.buffer(7, "weight"))) {
      args.fail("gradient outputs must not share memory with gradOut, input or weight");
    }
  }
  // The three gradients are written by separate kernels, each reading g, x and W only.
  if (overlaps(out.dx, MK, out.dW, NK) || overlaps(out.dx, MK, out.db, N) || overlaps(out.dW, NK, out.db, N)) {
    args.fail("gradInput, gradWeight and gradBias must not share memory");
  }
  if (device == Device::Cuda) {
    for (const int64_t v : {M, N, K}) {
      if (v > INT32_MAX) args.failRange("sizes must be < 2^31 on 'cuda', got " + std::to_string(v));
    }
    cudaCheck(args, cudaLibrary().linear_backward(g, y, relu, x, W, static_cast<int>(M), static_cast<int>(N),
                                                  static_cast<int>(K), out.dx, out.dW, out.dwBeta, out.db, out.dbBeta));
  } else {
    cpu::linearBackward(g, y, relu, x, W, M, N, K, out);
  }
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("linearBackward", Napi::Function::New(env, LinearBackward, "linearBackward"));
}

}  // namespace

STEEPEST_REGISTER(linear, Init);

}  // namespace steepest::napi
