// What every CUDA source of the backend shares: the one stream (kernels and copies of the
// backend are ordered on it, so memory freed by the host can be reused by the next kernel
// without an event, as PyTorch's caching allocator reasons), the last error's message, and
// grid sizing for element-wise loops.
#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "steepest_cuda.h"

namespace steepest::cuda {

// The backend's stream on the current device (created on first use).
cudaStream_t stream();

// Records `message` as the last error and returns STEEPEST_CUDA_ERROR.
int fail(const std::string& message);
// STEEPEST_CUDA_OK, or the error of `err` recorded with `what`.
int check(cudaError_t err, const char* what);
// After a launch: the launch error, if any (kernels run asynchronously; their own faults show
// at the next synchronizing call, which reports them the same way).
int checkLaunch(const char* kernel);

// Errors a kernel finds in the data (a label out of range), reported asynchronously as PyTorch's
// device-side asserts are: the kernel records the first one in device memory, and the next copy
// to the host (reading the loss, say) fails with its message. No kernel waits for the host.
struct DeviceError {
  unsigned long long code;  // 0: none; kLabelOutOfRange
  long long value, position, limit;
  const char* op;  // the op that found it (a string literal of this library), or null: a loss
};
constexpr unsigned long long kLabelOutOfRange = 1;
constexpr unsigned long long kBadClassWeight = 2;  // position: the class
constexpr unsigned long long kIndexOutOfRange = 3;  // value: the index, position: its place, limit: the rows
// value: a max-pooling index, position: its output, limit: the plane's size
constexpr unsigned long long kPoolIndexOutsideWindow = 4;
// The device's error slot (zeroed once); kernels write it with recordDeviceError.
DeviceError* deviceErrorSlot();
// After a synchronization: STEEPEST_CUDA_OK, or the recorded error as the last error (then
// cleared).
int takeDeviceError();

__device__ __forceinline__ void recordDeviceError(DeviceError* slot, unsigned long long code, long long value,
                                                  long long position, long long limit, const char* op = nullptr) {
  if (atomicCAS(&slot->code, 0ull, code) == 0ull) {
    slot->value = value;
    slot->position = position;
    slot->limit = limit;
    slot->op = op;
  }
}

// Blocks of 256 threads covering n elements with a grid-stride loop, at most 8 per SM's worth.
constexpr int kThreads = 256;
inline unsigned blocksFor(int64_t n) {
  const int64_t blocks = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(blocks < 1 ? 1 : (blocks > 65535 ? 65535 : blocks));
}

}  // namespace steepest::cuda
