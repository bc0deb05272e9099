// The device a buffer's memory lives on. The N-API layer reads it from each buffer argument and
// dispatches a call to that device's kernels; every NativeBuffer is host memory today, and the
// CUDA backend's buffers will carry their own tag, so a host kernel can never be handed device
// memory (Args::f32 and Args::i32 refuse a buffer that is not on the CPU).
#pragma once

namespace steepest::napi {

enum class Device : int { Cpu = 0, Count };

inline const char* deviceName(Device d) { return d == Device::Cpu ? "cpu" : "unknown"; }

}  // namespace steepest::napi
