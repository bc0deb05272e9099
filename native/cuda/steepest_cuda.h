/* The C interface of libsteepest_cuda.so, the CUDA backend: a plain shared library that the
 * addon opens at run time from its own folder (native/napi/cuda_napi.cc), so the CPU package
 * never needs CUDA and a machine without a GPU loads the addon as usual. Every function returns
 * 0 on success or a negative steepest_cuda_status code; messages go into caller buffers. */
#ifndef STEEPEST_CUDA_H
#define STEEPEST_CUDA_H

#include <stddef.h>

#if defined(STEEPEST_CUDA_BUILD)
#define STEEPEST_CUDA_API __attribute__((visibility("default")))
#else
#define STEEPEST_CUDA_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Why the backend cannot run, in the order they are checked. */
enum steepest_cuda_status {
  STEEPEST_CUDA_OK = 0,
  STEEPEST_CUDA_NO_DRIVER = -1,      /* libcuda.so.1 cannot be opened */
  STEEPEST_CUDA_OLD_DRIVER = -2,     /* the driver is older than the CUDA runtime built in */
  STEEPEST_CUDA_NO_DEVICE = -3,      /* a driver, but no usable NVIDIA GPU */
  STEEPEST_CUDA_NO_CUBLAS = -4,      /* libcublas.so.13 / .12 cannot be opened */
  STEEPEST_CUDA_ERROR = -5           /* any other CUDA error (message says which) */
};

/* The version of this interface; the addon refuses a library with another. */
#define STEEPEST_CUDA_ABI 1
STEEPEST_CUDA_API int steepest_cuda_abi(void);

/* Probes the driver, the devices and cuBLAS. Returns a status; `message` (of `size` bytes)
 * receives a one-line reason when it is not OK, and `devices` the number of GPUs. */
STEEPEST_CUDA_API int steepest_cuda_probe(int* devices, char* message, size_t size);

/* Name and total memory (bytes) of device `index`. */
STEEPEST_CUDA_API int steepest_cuda_device(int index, char* name, size_t size, double* total_bytes);

#ifdef __cplusplus
}
#endif

#endif
