// Device memory through a caching allocator, and copies. A training step frees and allocates
// the same sizes every step; cudaMalloc/cudaFree synchronize the device and cost tens of
// microseconds, so freed blocks are kept in per-size free lists and handed out again (sizes
// rounded up to 512 bytes, as PyTorch's small-block granularity). Nothing is returned to the
// driver unless a cudaMalloc fails, when every cached block is released and the malloc retried.
#include <mutex>
#include <unordered_map>
#include <vector>

#include "runtime.cuh"

namespace steepest::cuda {
namespace {

constexpr size_t kGranule = 512;

struct Cache {
  std::mutex mutex;
  std::unordered_map<size_t, std::vector<void*>> free;  // rounded size -> cached blocks
  std::unordered_map<void*, size_t> live;               // block -> rounded size
  double allocatedBytes = 0;                            // held by live blocks
  double reservedBytes = 0;                             // live + cached
  double deviceMallocs = 0;                             // cudaMalloc calls so far
};

Cache& cache() {
  static Cache* c = new Cache();  // never destroyed: blocks may be freed during process exit
  return *c;
}

size_t rounded(size_t bytes) { return (bytes + kGranule - 1) / kGranule * kGranule; }

// Releases every cached block to the driver (caller holds the mutex).
void releaseCached(Cache& c) {
  for (auto& [size, blocks] : c.free) {
    for (void* p : blocks) {
      cudaFree(p);
      c.reservedBytes -= static_cast<double>(size);
    }
    blocks.clear();
  }
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

extern "C" int steepest_cuda_malloc(size_t bytes, void** ptr) {
  Cache& c = cache();
  const size_t size = rounded(bytes == 0 ? 1 : bytes);
  std::lock_guard<std::mutex> lock(c.mutex);
  auto& list = c.free[size];
  void* p = nullptr;
  if (!list.empty()) {
    p = list.back();
    list.pop_back();
  } else {
    cudaError_t err = cudaMalloc(&p, size);
    if (err == cudaErrorMemoryAllocation) {
      cudaGetLastError();  // clear it, then retry with the cache emptied
      releaseCached(c);
      err = cudaMalloc(&p, size);
    }
    if (err != cudaSuccess) {
      return fail("cudaMalloc of " + std::to_string(size) + " bytes: " + cudaGetErrorString(err));
    }
    c.deviceMallocs += 1;
    c.reservedBytes += static_cast<double>(size);
  }
  c.live[p] = size;
  c.allocatedBytes += static_cast<double>(size);
  *ptr = p;
  return STEEPEST_CUDA_OK;
}

// Back into the free list: the next kernel that gets this block runs on the same stream, after
// every kernel that used it, so no event is needed.
extern "C" int steepest_cuda_free(void* ptr) {
  if (ptr == nullptr) return STEEPEST_CUDA_OK;
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  const auto it = c.live.find(ptr);
  if (it == c.live.end()) return fail("free of a pointer this allocator did not hand out");
  c.allocatedBytes -= static_cast<double>(it->second);
  c.free[it->second].push_back(ptr);
  c.live.erase(it);
  return STEEPEST_CUDA_OK;
}

extern "C" int steepest_cuda_memory_stats(double* allocated, double* reserved, double* device_mallocs) {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  if (allocated) *allocated = c.allocatedBytes;
  if (reserved) *reserved = c.reservedBytes;
  if (device_mallocs) *device_mallocs = c.deviceMallocs;
  return STEEPEST_CUDA_OK;
}

extern "C" int steepest_cuda_empty_cache(void) {
  Cache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  const int status = check(cudaStreamSynchronize(stream()), "empty_cache");
  releaseCached(c);
  return status;
}

// Copies are ordered on the backend's stream. A copy to the host waits for it, since the host
// reads the data next; host-to-device and device-to-device copies do not wait.
extern "C" int steepest_cuda_copy(void* dst, const void* src, size_t bytes, int direction) {
  if (bytes == 0) return STEEPEST_CUDA_OK;
  switch (direction) {
    case STEEPEST_CUDA_HOST_TO_DEVICE:
      return check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, stream()), "copy to device");
    case STEEPEST_CUDA_DEVICE_TO_DEVICE:
      return check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream()), "copy on device");
    case STEEPEST_CUDA_DEVICE_TO_HOST: {
      int status = check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, stream()), "copy to host");
      if (status == STEEPEST_CUDA_OK) status = check(cudaStreamSynchronize(stream()), "copy to host");
      // The host is about to read results: an error a kernel found in the data surfaces here.
      return status != STEEPEST_CUDA_OK ? status : takeDeviceError();
    }
    default: return fail("copy: unknown direction " + std::to_string(direction));
  }
}
