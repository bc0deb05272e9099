// The backend's stream and error reporting (runtime.cuh).
#include <cstdio>
#include <cstring>
#include <mutex>

#include "runtime.cuh"

namespace steepest::cuda {
namespace {

thread_local std::string lastError;

}  // namespace

cudaStream_t stream() {
  static cudaStream_t s = nullptr;
  static std::once_flag once;
  std::call_once(once, [] { cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking); });
  return s;
}

int fail(const std::string& message) {
  lastError = message;
  return STEEPEST_CUDA_ERROR;
}

int check(cudaError_t err, const char* what) {
  if (err == cudaSuccess) return STEEPEST_CUDA_OK;
  return fail(std::string(what) + ": " + cudaGetErrorString(err));
}

int checkLaunch(const char* kernel) { return check(cudaGetLastError(), kernel); }

DeviceError* deviceErrorSlot() {
  static DeviceError* slot = nullptr;
  static std::once_flag once;
  std::call_once(once, [] {
    void* p = nullptr;
    if (steepest_cuda_malloc(sizeof(DeviceError), &p) == STEEPEST_CUDA_OK) {
      cudaMemsetAsync(p, 0, sizeof(DeviceError), stream());
      slot = static_cast<DeviceError*>(p);
    }
  });
  return slot;
}

int takeDeviceError() {
  DeviceError* slot = deviceErrorSlot();
  if (slot == nullptr) return STEEPEST_CUDA_OK;
  DeviceError e{};
  if (cudaMemcpy(&e, slot, sizeof e, cudaMemcpyDeviceToHost) != cudaSuccess || e.code == 0) return STEEPEST_CUDA_OK;
  cudaMemset(slot, 0, sizeof e);
  const std::string by = std::string(" (found on the GPU by an earlier ") + (e.op ? e.op : "loss") + ")";
  if (e.code == kLabelOutOfRange) {
    return fail(std::string(e.op ? "label " : "target label ") + std::to_string(e.value) + " at position " +
                std::to_string(e.position) + " is out of range for " + std::to_string(e.limit) + " classes" + by);
  }
  if (e.code == kIndexOutOfRange) {
    return fail("index " + std::to_string(e.value) + " at position " + std::to_string(e.position) +
                " is out of range for " + std::to_string(e.limit) + " rows" + by);
  }
  if (e.code == kBadClassWeight) {
    return fail("class weight " + std::to_string(e.position) + " is negative or not finite (found on the GPU by an earlier loss)");
  }
  if (e.code == kPoolIndexOutsideWindow) {
    return fail("maxPool2d backward: indices[" + std::to_string(e.position) + "] = " + std::to_string(e.value) +
                " is not a position of its pooling window in a plane of " + std::to_string(e.limit) +
                " (found on the GPU by an earlier maxPool2d backward)");
  }
  return fail("a kernel reported error " + std::to_string(e.code));
}

}  // namespace steepest::cuda

extern "C" const char* steepest_cuda_last_error(void) { return steepest::cuda::lastError.c_str(); }

extern "C" int steepest_cuda_synchronize(void) {
  const int status = steepest::cuda::check(cudaStreamSynchronize(steepest::cuda::stream()), "synchronize");
  return status != STEEPEST_CUDA_OK ? status : steepest::cuda::takeDeviceError();
}
