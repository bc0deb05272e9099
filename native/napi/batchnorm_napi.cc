// Bindings for batch normalization (native/cpu/batchnorm.h), run on the CPU or with CUDA
// (native/cuda/batchnorm.cu).
#include "cpu/batchnorm.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <utility>

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

cpu::BatchNormShape shapeOf(const Args& args, size_t i) {
  const cpu::BatchNormShape s{args.integer(i, "N"), args.integer(i + 1, "C", 1), args.integer(i + 2, "L")};
  args.product("input", s.N, s.C, s.L);
  return s;
}

struct Range {
  const float* p;
  int64_t n;
};

// Channels run on several threads, each writing its outputs while reading the inputs: no output
// may share memory with another tensor argument, except that the first output (y or gradInput)
// may be exactly one of `inPlace` (each element is read before it is written).
void checkDisjoint(const Args& args, std::initializer_list<std::pair<const char*, Range>> outputs,
                   std::initializer_list<Range> inputs, std::initializer_list<const float*> inPlace) {
  int i = 0;
  for (const auto& output : outputs) {
    // Named members rather than a structured binding: clang < 16 cannot capture a binding.
    const char* name = output.first;
    const Range& o = output.second;
    auto clash = [&](Range r, bool mayBeSame) {
      if (mayBeSame && r.p == o.p && r.n == o.n) return false;
      return overlaps(o.p, o.n, r.p, r.n);
    };
    for (const Range& r : inputs) {
      const bool mayBeSame = i == 0 && std::find(inPlace.begin(), inPlace.end(), r.p) != inPlace.end();
      if (clash(r, mayBeSame)) args.fail(std::string(name) + " must not share memory with an input");
    }
    int j = 0;
    for (const auto& [other, r] : outputs) {
      if (j++ != i && clash(r, false)) args.fail(std::string(name) + " must not share memory with " + other);
    }
    ++i;
  }
}

const float* optionalF32(const Args& args, size_t i, const char* name, int64_t n) {
  return args.isNullish(i) ? nullptr : args.f32(i, name, n);
}

// batchNormForward(x, xOff, N, C, L, gamma|null, gOff, beta|null, bOff, runMean|null, rmOff,
//                  runVar|null, rvOff, training, momentum, eps, y, yOff, saveMean, smOff,
//                  saveInvstd, siOff)
Napi::Value Forward(const Napi::CallbackInfo& info) {
  Args args(info, "batchNorm");
  args.count(22, 22);
  const cpu::BatchNormShape s = shapeOf(args, 2);
  const int64_t n = s.N * s.C * s.L;
  const bool training = args.boolean(13, "training");
  const double momentum = args.finite(14, "momentum");
  const double eps = args.finite(15, "eps");
  if (momentum < 0 || momentum > 1) args.failRange("momentum must be in [0, 1], got " + std::to_string(momentum));
  if (!(eps > 0)) args.failRange("eps must be > 0, got " + std::to_string(eps));
  if (training && s.N * s.L < 2) {
    args.failRange("expected more than 1 value per channel when training, got input of " + std::to_string(s.N) +
                   " x " + std::to_string(s.C) + " x " + std::to_string(s.L));
  }
  const Device device = args.runOnDeviceOf(16, "y");
  const float* x = args.f32(0, "x", n);
  const float* gamma = optionalF32(args, 5, "weight", s.C);
  const float* beta = optionalF32(args, 7, "bias", s.C);
  float* runMean = args.isNullish(9) ? nullptr : args.f32(9, "runningMean", s.C);
  float* runVar = args.isNullish(11) ? nullptr : args.f32(11, "runningVar", s.C);
  if (!training && (!runMean || !runVar)) args.fail("eval mode needs running statistics");
  float* y = args.f32(16, "y", n);
  float* saveMean = args.f32(18, "saveMean", s.C);
  float* saveInvstd = args.f32(20, "saveInvstd", s.C);
  // runMean and runVar are read and written per channel; only y may be x itself.
  checkDisjoint(args,
                {{"y", {y, n}}, {"saveMean", {saveMean, s.C}}, {"saveInvstd", {saveInvstd, s.C}},
                 {"runningMean", {runMean, s.C}}, {"runningVar", {runVar, s.C}}},
                {{x, n}, {gamma, s.C}, {beta, s.C}}, {x});
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().batchnorm_forward(x, s.N, s.C, s.L, gamma, beta, runMean, runVar, training,
                                                    static_cast<float>(momentum), static_cast<float>(eps), y, saveMean,
                                                    saveInvstd));
    return info.Env().Undefined();
  }
  cpu::batchNormForward(x, s, gamma, beta, runMean, runVar, training, static_cast<float>(momentum),
                        static_cast<float>(eps), y, saveMean, saveInvstd);
  return info.Env().Undefined();
}

// batchNormBackward(x, xOff, g, gOff, N, C, L, gamma|null, gmOff, saveMean, smOff, saveInvstd,
//                   siOff, training, dx|null, dxOff, dgamma|null, dgOff, dbeta|null, dbOff)
Napi::Value Backward(const Napi::CallbackInfo& info) {
  Args args(info, "batchNorm backward");
  args.count(20, 20);
  const cpu::BatchNormShape s = shapeOf(args, 4);
  const int64_t n = s.N * s.C * s.L;
  // Every output is optional: the call runs on the device of x.
  const Device device = args.runOnDeviceOf(0, "x");
  const float* x = args.f32(0, "x", n);
  const float* g = args.f32(2, "gradOut", n);
  const float* gamma = optionalF32(args, 7, "weight", s.C);
  const float* saveMean = args.f32(9, "saveMean", s.C);
  const float* saveInvstd = args.f32(11, "saveInvstd", s.C);
  const bool training = args.boolean(13, "training");
  float* dx = args.isNullish(14) ? nullptr : args.f32(14, "gradInput", n);
  float* dgamma = args.isNullish(16) ? nullptr : args.f32(16, "gradWeight", s.C);
  float* dbeta = args.isNullish(18) ? nullptr : args.f32(18, "gradBias", s.C);
  checkDisjoint(args, {{"gradInput", {dx, n}}, {"gradWeight", {dgamma, s.C}}, {"gradBias", {dbeta, s.C}}},
                {{x, n}, {g, n}, {gamma, s.C}, {saveMean, s.C}, {saveInvstd, s.C}}, {x, g});
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().batchnorm_backward(x, g, s.N, s.C, s.L, gamma, saveMean, saveInvstd, training, dx,
                                                     dgamma, dbeta));
    return info.Env().Undefined();
  }
  cpu::batchNormBackward(x, g, s, gamma, saveMean, saveInvstd, training, dx, dgamma, dbeta);
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNormForward", Napi::Function::New(env, Forward, "batchNormForward"));
  exports.Set("batchNormBackward", Napi::Function::New(env, Backward, "batchNormBackward"));
}

}  // namespace

STEEPEST_REGISTER(batchnorm, Init);

}  // namespace steepest::napi
