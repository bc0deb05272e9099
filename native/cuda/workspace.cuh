// Scratch device memory for one call, from the caching allocator (memory.cu): taken at the
// start of an entry point and handed back when it returns. The kernels that use it are queued
// on the backend's one stream, so the next call that gets the same block runs after them.
#pragma once
#include <cstddef>

#include "runtime.cuh"

namespace steepest::cuda {

class Workspace {
 public:
  Workspace() = default;
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;
  ~Workspace() { steepest_cuda_free(block_); }

  // `floats` floats (none: no block); STEEPEST_CUDA_OK or the allocator's error.
  int take(size_t floats) {
    if (floats == 0) return STEEPEST_CUDA_OK;
    return steepest_cuda_malloc(floats * sizeof(float), &block_);
  }
  float* data() const { return static_cast<float*>(block_); }

 private:
  void* block_ = nullptr;
};

}  // namespace steepest::cuda
