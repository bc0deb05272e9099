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

}  // namespace steepest::cuda

extern "C" const char* steepest_cuda_last_error(void) { return steepest::cuda::lastError.c_str(); }

extern "C" int steepest_cuda_synchronize(void) {
  return steepest::cuda::check(cudaStreamSynchronize(steepest::cuda::stream()), "synchronize");
}
