// Probing the machine for the CUDA backend (steepest_cuda.h). cudart is linked statically, so
// this library loads where no driver is installed; the driver itself (libcuda.so.1) and cuBLAS
// are looked for with dlopen first, so each missing piece gets its own reason instead of one
// opaque runtime error code.
#include <cuda_runtime_api.h>
#include <dlfcn.h>

#include <cstdio>
#include <cstring>

#include "steepest_cuda.h"

namespace {

int fail(int status, char* message, size_t size, const char* text) {
  if (message != nullptr && size > 0) std::snprintf(message, size, "%s", text);
  return status;
}

// The first of `names` that dlopen can open, kept open for the process (cuBLAS is called later).
void* openFirst(const char* const* names, int count) {
  for (int i = 0; i < count; ++i) {
    if (void* handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL)) return handle;
  }
  return nullptr;
}

}  // namespace

extern "C" int steepest_cuda_abi(void) { return STEEPEST_CUDA_ABI; }

extern "C" int steepest_cuda_probe(int* devices, char* message, size_t size) {
  if (devices != nullptr) *devices = 0;
  static const char* const driver[] = {"libcuda.so.1", "libcuda.so"};
  if (openFirst(driver, 2) == nullptr) return fail(STEEPEST_CUDA_NO_DRIVER, message, size, "no NVIDIA driver");
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err == cudaErrorInsufficientDriver) {
    return fail(STEEPEST_CUDA_OLD_DRIVER, message, size, "driver older than the CUDA runtime");
  }
  if (err == cudaErrorNoDevice || (err == cudaSuccess && count == 0)) {
    return fail(STEEPEST_CUDA_NO_DEVICE, message, size, "no NVIDIA GPU");
  }
  if (err != cudaSuccess) {
    char text[256];
    std::snprintf(text, sizeof text, "CUDA error %d: %s", static_cast<int>(err), cudaGetErrorString(err));
    return fail(STEEPEST_CUDA_ERROR, message, size, text);
  }
  static const char* const cublas[] = {"libcublas.so.13", "libcublas.so.12", "libcublas.so"};
  if (openFirst(cublas, 3) == nullptr) return fail(STEEPEST_CUDA_NO_CUBLAS, message, size, "cuBLAS not found");
  if (devices != nullptr) *devices = count;
  return STEEPEST_CUDA_OK;
}

extern "C" int steepest_cuda_device(int index, char* name, size_t size, double* total_bytes) {
  cudaDeviceProp prop;
  const cudaError_t err = cudaGetDeviceProperties(&prop, index);
  if (err != cudaSuccess) {
    return fail(STEEPEST_CUDA_ERROR, name, size, cudaGetErrorString(err));
  }
  if (name != nullptr && size > 0) std::snprintf(name, size, "%s", prop.name);
  if (total_bytes != nullptr) *total_bytes = static_cast<double>(prop.totalGlobalMem);
  return STEEPEST_CUDA_OK;
}
