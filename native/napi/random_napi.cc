// Bindings for seeded random fills (native/cpu/random.h, generator in common/rng.h).
#include "cpu/random.h"

#include <cmath>

#include "napi/args.h"
#include "napi/cuda_library.h"
#include "napi/registry.h"

namespace steepest::napi {
namespace {

constexpr int64_t kMaxSafe = (int64_t{1} << 53) - 1;

// randomUniform(out, outOff, n, seed, streamOffset, low, high)
Napi::Value RandomUniform(const Napi::CallbackInfo& info) {
  Args args(info, "randomUniform");
  args.count(7, 7);
  const int64_t n = args.integer(2, "n");
  const auto seed = static_cast<uint64_t>(args.integer(3, "seed", 0, kMaxSafe));
  const auto offset = static_cast<uint64_t>(args.integer(4, "stream offset", 0, kMaxSafe));
  const double low = args.finite(5, "low");
  const double high = args.finite(6, "high");
  if (!(low <= high)) args.failRange("low must be <= high, got " + std::to_string(low) + " > " + std::to_string(high));
  const Device device = args.runOnDeviceOf(0, "out");
  float* out = args.f32(0, "out", n);
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().random_uniform(out, n, seed, offset, static_cast<float>(low), static_cast<float>(high)));
  } else {
    cpu::randomUniform(out, n, seed, offset, static_cast<float>(low), static_cast<float>(high));
  }
  return info.Env().Undefined();
}

// randomNormal(out, outOff, n, seed, streamOffset, mean, std)
Napi::Value RandomNormal(const Napi::CallbackInfo& info) {
  Args args(info, "randomNormal");
  args.count(7, 7);
  const int64_t n = args.integer(2, "n");
  const auto seed = static_cast<uint64_t>(args.integer(3, "seed", 0, kMaxSafe));
  const auto offset = static_cast<uint64_t>(args.integer(4, "stream offset", 0, kMaxSafe));
  const double mean = args.finite(5, "mean");
  const double std = args.finite(6, "std");
  if (std < 0) args.failRange("std must be >= 0, got " + std::to_string(std));
  const Device device = args.runOnDeviceOf(0, "out");
  float* out = args.f32(0, "out", n);
  if (device == Device::Cuda) {
    cudaCheck(args, cudaLibrary().random_normal(out, n, seed, offset, static_cast<float>(mean), static_cast<float>(std)));
  } else {
    cpu::randomNormal(out, n, seed, offset, static_cast<float>(mean), static_cast<float>(std));
  }
  return info.Env().Undefined();
}

void Init(Napi::Env env, Napi::Object exports) {
  exports.Set("randomUniform", Napi::Function::New(env, RandomUniform, "randomUniform"));
  exports.Set("randomNormal", Napi::Function::New(env, RandomNormal, "randomNormal"));
}

}  // namespace

STEEPEST_REGISTER(random, Init);

}  // namespace steepest::napi
