// Gathers by index (the CPU kernels are cpu/layout.cc's gatherRows and indexSelect,
// cpu/batch_gather.cc and cpu/one_hot.cc): rows of a table, index_select along the middle axis
// of [outer, n, inner] (both move 4-byte elements: float32 or int32 alike), the DataLoader's
// batch (feature rows through the fitted scaler's affine map, and their labels), and one-hot.
// One thread per output element of a grid-stride loop, consecutive threads along a row, so the
// reads of a gathered row and the writes are coalesced.
//
// The indices are device memory, which the host cannot read without waiting for the stream. So
// each kernel checks its own with common/gather.h's indexInRange and records a bad one as a
// device error (runtime.cuh), which the next read from the device reports naming the op, as
// loss.cu does with labels; the rows of a bad index are written as zeros.
#include "common/gather.h"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

// out[o, i, :] = src[o, index[i], :]; gatherRows is outer 1.
__global__ void indexSelectKernel(const uint32_t* src, int64_t outer, int64_t n, int64_t inner, const int32_t* index,
                                  int64_t count, uint32_t* out, const char* op, DeviceError* error) {
  const int64_t total = outer * count * inner;
  for (int64_t e = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; e < total; e += int64_t(gridDim.x) * blockDim.x) {
    const int64_t c = e % inner, rest = e / inner, i = rest % count, o = rest / count;
    const int64_t r = index[i];
    if (indexInRange(r, n)) {
      out[e] = src[(o * n + r) * inner + c];
    } else {
      if (o == 0 && c == 0) recordDeviceError(error, kIndexOutOfRange, r, i, n, op);
      out[e] = 0u;
    }
  }
}

// The checks alone, for a gather that moves no element (inner or outer 0): the CPU refuses a bad
// index there too.
__global__ void checkIndexKernel(const int32_t* index, int64_t count, int64_t n, const char* op, DeviceError* error) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x) {
    if (!indexInRange(index[i], n)) recordDeviceError(error, kIndexOutOfRange, index[i], i, n, op);
  }
}

// xOut[i, j] = affine(x[index[i], j]) for i < count, j < L; yOut[i] = y[index[i]] (threads
// e < count also take the labels, so a batch of empty rows still gets them).
__global__ void batchKernel(const float* x, int64_t L, int64_t rows, const int32_t* y, const int32_t* index,
                            int64_t count, const float* scale, const float* shift, float* xOut, int32_t* yOut,
                            DeviceError* error) {
  const int64_t cells = count * L, total = cells > count ? cells : count;
  for (int64_t e = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; e < total; e += int64_t(gridDim.x) * blockDim.x) {
    if (e < cells) {
      const int64_t i = e / L, j = e - i * L;
      const int64_t r = index[i];
      if (indexInRange(r, rows)) {
        const float v = x[r * L + j];
        xOut[e] = scale != nullptr ? affineValue(v, scale[j], shift[j]) : v;
      } else {
        if (j == 0) recordDeviceError(error, kIndexOutOfRange, r, i, rows, "gatherBatch");
        xOut[e] = 0.f;
      }
    }
    if (e < count && (y != nullptr || cells == 0)) {
      const int64_t r = index[e];
      const bool ok = indexInRange(r, rows);
      if (!ok) recordDeviceError(error, kIndexOutOfRange, r, e, rows, "gatherBatch");
      if (y != nullptr) yOut[e] = ok ? y[r] : 0;
    }
  }
}

// out[i, c] = 1 where c = labels[i], else 0.
__global__ void oneHotKernel(const int32_t* labels, int64_t n, int64_t classes, float* out, DeviceError* error) {
  const int64_t total = n * classes;
  for (int64_t e = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; e < total; e += int64_t(gridDim.x) * blockDim.x) {
    const int64_t i = e / classes, c = e - i * classes;
    const int64_t label = labels[i];
    if (!indexInRange(label, classes) && c == 0) recordDeviceError(error, kLabelOutOfRange, label, i, classes, "oneHot");
    out[e] = c == label ? 1.f : 0.f;
  }
}

int indexSelect(const void* src, int64_t outer, int64_t n, int64_t inner, const int32_t* index, int64_t count,
                void* out, const char* op) {
  if (count <= 0) return STEEPEST_CUDA_OK;
  DeviceError* error = deviceErrorSlot();
  if (error == nullptr) return fail(std::string(op) + ": no device error slot");
  const int64_t total = outer * count * inner;
  if (total > 0) {
    indexSelectKernel<<<blocksFor(total), kThreads, 0, stream()>>>(static_cast<const uint32_t*>(src), outer, n, inner,
                                                                   index, count, static_cast<uint32_t*>(out), op,
                                                                   error);
  } else {
    checkIndexKernel<<<blocksFor(count), kThreads, 0, stream()>>>(index, count, n, op, error);
  }
  return checkLaunch(op);
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest;
using namespace steepest::cuda;

extern "C" int steepest_cuda_gather_rows(const void* src, int64_t row_length, int64_t src_rows, const int32_t* index,
                                         int64_t count, void* out) {
  return indexSelect(src, 1, src_rows, row_length, index, count, out, "gatherRows");
}

extern "C" int steepest_cuda_index_select(const void* src, int64_t outer, int64_t n, int64_t inner,
                                          const int32_t* index, int64_t count, void* out) {
  return indexSelect(src, outer, n, inner, index, count, out, "indexSelect");
}

extern "C" int steepest_cuda_gather_batch(const float* x, int64_t row_length, int64_t rows, const int32_t* y,
                                          const int32_t* index, int64_t count, const float* scale, const float* shift,
                                          float* x_out, int32_t* y_out) {
  if (count <= 0) return STEEPEST_CUDA_OK;
  DeviceError* error = deviceErrorSlot();
  if (error == nullptr) return fail("gatherBatch: no device error slot");
  const int64_t cells = count * row_length, total = cells > count ? cells : count;
  batchKernel<<<blocksFor(total), kThreads, 0, stream()>>>(x, row_length, rows, y, index, count, scale, shift, x_out,
                                                            y_out, error);
  return checkLaunch("gatherBatch");
}

extern "C" int steepest_cuda_one_hot(const int32_t* labels, int64_t n, int64_t classes, float* out) {
  if (n <= 0 || classes <= 0) return STEEPEST_CUDA_OK;
  DeviceError* error = deviceErrorSlot();
  if (error == nullptr) return fail("oneHot: no device error slot");
  oneHotKernel<<<blocksFor(n * classes), kThreads, 0, stream()>>>(labels, n, classes, out, error);
  return checkLaunch("oneHot");
}
