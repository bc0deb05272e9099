// libsteepest_cuda.so as the addon sees it: opened once from the addon's own folder (prebuildify
// ships *.so next to the .node), every function of its C interface (cuda/steepest_cuda.h)
// resolved at open, so a library that lacks one is refused with its name instead of failing
// at the first call. Nothing here links CUDA.
#pragma once
#include <string>

#include "cuda/steepest_cuda.h"

// Every function of the interface: X(name as in the header without the prefix).
#define SP_CUDA_FUNCTIONS(X)                                                                              \
  X(abi) X(probe) X(device) X(last_error) X(synchronize) X(malloc) X(free) X(memory_stats) X(empty_cache) \
  X(copy) X(fill) X(binary) X(binary_scalar) X(unary) X(unary_backward) X(set_tf32) X(gemm)              \
  X(gemm_strided_batched) X(linear_backward) X(class_loss) X(reduce) X(argmax) X(first_non_finite) X(optim_step) \
  X(time_gemm) X(time_copy) X(random_uniform) X(random_normal) X(dropout)                                     \
  X(softmax) X(softmax_backward) X(masked_softmax) X(masked_softmax_backward) X(batchnorm_forward)             \
  X(batchnorm_backward) X(pointwise_loss)                                                                     \
  X(transpose) X(copy_strided) X(binary_strided) X(where) X(gather_rows) X(index_select) X(gather_batch)      \
  X(one_hot) X(scatter_add_rows) X(index_add)                                                                 \
  X(conv2d_forward) X(conv2d_backward) X(conv_transpose2d_forward) X(max_pool2d_forward) X(max_pool2d_backward) \
  X(avg_pool2d_forward) X(avg_pool2d_backward) X(adaptive_avg_pool2d_forward) X(adaptive_avg_pool2d_backward)   \
  X(recurrent_forward) X(recurrent_backward)

namespace steepest::napi {

struct CudaLibrary {
  std::string path;       // where it was looked for
  void* handle = nullptr;
  std::string openError;  // why it could not be opened or used; empty when usable
#define SP_CUDA_POINTER(name) decltype(&steepest_cuda_##name) name = nullptr;
  SP_CUDA_FUNCTIONS(SP_CUDA_POINTER)
#undef SP_CUDA_POINTER
};

// The library, opened on first use (thread-safe); `handle` is null when it is not there.
const CudaLibrary& cudaLibrary();

// Why 'cuda' cannot be used here ('backend not built', 'no NVIDIA driver', ...), or "" when it
// can; probed once per process.
const std::string& cudaUnavailableReason();

// Throws the library's last error, naming the op, when a call did not return OK.
void cudaCheck(const class Args& args, int status);

// The library after a failed call: its last error message.
inline std::string cudaLastError() {
  const CudaLibrary& lib = cudaLibrary();
  return lib.last_error != nullptr ? lib.last_error() : "CUDA backend library unavailable";
}

}  // namespace steepest::napi
