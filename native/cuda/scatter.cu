// index_add and the embedding backward (the CPU kernels are cpu/layout.cc's indexAdd and
// scatterAddRows): out[o, index[i], :] += src[o, i, :] for src [outer, count, inner] and out
// [outer, n, inner]; scatterAddRows is outer 1.
//
// Deterministic, in the CPU's order: the (index, position) pairs are sorted by index with CUB's
// radix sort, which is stable, so equal indices keep increasing positions; then the first thread
// of each run of equal indices adds the run's rows in that order. Repeated indices thus sum to
// the same bits as the CPU's loop, on every run. (PyTorch's index_add_ on CUDA uses atomicAdd,
// whose order, hence whose rounding, varies between runs; its embedding backward sorts, as here.)
// Three steps on the stream, no synchronization, workspace from the caching allocator:
//   1. keys: each index checked with common/gather.h's indexInRange (a bad one is recorded as a
//      device error and given a key past every row, so it sorts last and adds nothing), and the
//      positions 0..count-1;
//   2. CUB's sort of the pairs, over the key's significant bits only (fewer radix passes);
//   3. the run sums: one thread per (o, sorted position, column); a thread that does not start a
//      run returns at once, so a row repeated k times costs one thread k additions per column,
//      as on the CPU.
#include <cub/device/device_radix_sort.cuh>

#include "common/gather.h"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

__global__ void keysKernel(const int32_t* index, int64_t count, int64_t n, uint32_t pastRows, uint32_t* keys,
                           uint32_t* positions, const char* op, DeviceError* error) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x) {
    const int64_t r = index[i];
    const bool ok = indexInRange(r, n);
    if (!ok) recordDeviceError(error, kIndexOutOfRange, r, i, n, op);
    keys[i] = ok ? static_cast<uint32_t>(r) : pastRows;
    positions[i] = static_cast<uint32_t>(i);
  }
}

// For each run key[p..q) of one valid row k: out[o, k, c] += src[o, pos[p], c] + ... in order.
__global__ void runSumKernel(const float* src, int64_t outer, int64_t count, int64_t inner, const uint32_t* key,
                             const uint32_t* pos, uint32_t pastRows, float* out, int64_t n) {
  const int64_t total = outer * count * inner;
  for (int64_t e = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; e < total; e += int64_t(gridDim.x) * blockDim.x) {
    const int64_t c = e % inner, rest = e / inner, p = rest % count, o = rest / count;
    const uint32_t k = key[p];
    if (k == pastRows || (p > 0 && key[p - 1] == k)) continue;
    float* to = out + (o * n + k) * inner + c;
    const float* from = src + o * count * inner + c;
    float acc = *to;
    for (int64_t q = p; q < count && key[q] == k; ++q) acc += from[static_cast<int64_t>(pos[q]) * inner];
    *to = acc;
  }
}

// Bytes rounded up so each workspace array starts 256-byte aligned, as cudaMalloc's blocks do.
size_t aligned(size_t bytes) { return (bytes + 255) / 256 * 256; }

int indexAdd(const float* src, int64_t outer, int64_t count, int64_t inner, const int32_t* index, float* out,
             int64_t n, const char* op) {
  if (count <= 0) return STEEPEST_CUDA_OK;
  DeviceError* error = deviceErrorSlot();
  if (error == nullptr) return fail(std::string(op) + ": no device error slot");
  // Valid keys are < min(n, 2^31) (int32 indices), so pastRows sorts after all of them.
  const uint32_t pastRows = n < 0xFFFFFFFFll ? static_cast<uint32_t>(n) : 0xFFFFFFFFu;
  int endBit = 1;
  while (endBit < 32 && (pastRows >> endBit) != 0) ++endBit;
  const size_t array = aligned(sizeof(uint32_t) * static_cast<size_t>(count));
  size_t sortBytes = 0;
  int status = check(cub::DeviceRadixSort::SortPairs(nullptr, sortBytes, static_cast<const uint32_t*>(nullptr),
                                                     static_cast<uint32_t*>(nullptr),
                                                     static_cast<const uint32_t*>(nullptr),
                                                     static_cast<uint32_t*>(nullptr), count, 0, endBit, stream()),
                     op);
  if (status != STEEPEST_CUDA_OK) return status;
  void* workspace = nullptr;
  status = steepest_cuda_malloc(4 * array + sortBytes, &workspace);
  if (status != STEEPEST_CUDA_OK) return status;
  char* base = static_cast<char*>(workspace);
  auto* keys = reinterpret_cast<uint32_t*>(base);
  auto* positions = reinterpret_cast<uint32_t*>(base + array);
  auto* sortedKeys = reinterpret_cast<uint32_t*>(base + 2 * array);
  auto* sortedPositions = reinterpret_cast<uint32_t*>(base + 3 * array);
  keysKernel<<<blocksFor(count), kThreads, 0, stream()>>>(index, count, n, pastRows, keys, positions, op, error);
  status = checkLaunch(op);
  const int64_t total = outer * count * inner;
  if (status == STEEPEST_CUDA_OK && total > 0) {
    status = check(cub::DeviceRadixSort::SortPairs(base + 4 * array, sortBytes, keys, sortedKeys, positions,
                                                   sortedPositions, count, 0, endBit, stream()),
                   op);
    if (status == STEEPEST_CUDA_OK) {
      runSumKernel<<<blocksFor(total), kThreads, 0, stream()>>>(src, outer, count, inner, sortedKeys, sortedPositions,
                                                                 pastRows, out, n);
      status = checkLaunch(op);
    }
  }
  // Back to the cache: a later kernel that gets this block runs after these on the stream.
  steepest_cuda_free(workspace);
  return status;
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest::cuda;

extern "C" int steepest_cuda_scatter_add_rows(const float* src, int64_t row_length, const int32_t* index,
                                              int64_t count, float* out, int64_t out_rows) {
  return indexAdd(src, 1, count, row_length, index, out, out_rows, "scatterAddRows");
}

extern "C" int steepest_cuda_index_add(const float* src, int64_t outer, int64_t count, int64_t inner,
                                       const int32_t* index, float* out, int64_t n) {
  return indexAdd(src, outer, count, inner, index, out, n, "indexAdd");
}
