// The device a buffer's memory lives on. The N-API layer reads it from each buffer argument and
// dispatches a call to that device's kernels (Args::device, Args::deviceF32); a host kernel can
// never be handed device memory (Args::f32 and Args::i32 refuse a buffer that is not on the CPU).
#pragma once

namespace steepest::napi {

enum class Device : int { Cpu = 0, Cuda, Count };

inline const char* deviceName(Device d) {
  switch (d) {
    case Device::Cpu: return "cpu";
    case Device::Cuda: return "cuda";
    default: return "unknown";
  }
}

}  // namespace steepest::napi
