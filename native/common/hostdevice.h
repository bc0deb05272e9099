// SP_HD marks math that must be identical on the CPU and on the GPU: the CPU kernels and the
// CUDA kernels call the same inline function, so CPU tests cover the GPU arithmetic too.
#pragma once

#if defined(__CUDACC__)
#define SP_HD __host__ __device__ __forceinline__
#else
#define SP_HD inline
#endif
