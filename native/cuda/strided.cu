// N-D strided kernels (the CPU kernels are cpu/strided.cc's): copies (permute, expand, cat and
// split slices), broadcasting binary ops and where, each operand read at its own element strides
// over a common shape (a stride of 0 repeats it: broadcasting). The bindings plan the shape as
// the CPU does (length-1 axes dropped, axes every operand steps through as one merged); the plan
// reaches each kernel by value, as a kernel parameter (common/strided.h's fixed-size struct), so
// no copy to the device precedes a launch. One thread per element of a grid-stride loop finds
// its operands' offsets from its flat index with common/strided.h's walk, the one the CPU takes
// at the start of each run; the element rules are common/elementwise.h's binaryValue and
// common/strided.h's whereValue. The outputs of binary and where are contiguous: element i is
// written at i.
#include <initializer_list>

#include "common/elementwise.h"
#include "common/strided.h"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

__global__ void copyStridedKernel(const uint32_t* src, uint32_t* dst, StridedPlan p, int64_t n) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    int64_t off[2];
    stridedOffsets<2>(p, p.rank, i, off);
    dst[off[1]] = src[off[0]];
  }
}

template <BinaryOp Op>
__global__ void binaryStridedKernel(const float* a, const float* b, float* out, StridedPlan p, int64_t n) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    int64_t off[2];
    stridedOffsets<2>(p, p.rank, i, off);
    out[i] = binaryValue<Op>(a[off[0]], b[off[1]]);
  }
}

__global__ void whereKernel(const int32_t* cond, const float* a, const float* b, float* out, StridedPlan p, int64_t n) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    int64_t off[3];
    stridedOffsets<3>(p, p.rank, i, off);
    out[i] = whereValue(cond[off[0]], a[off[1]], b[off[2]]);
  }
}

// The plan of `rank` axes from the host arrays of the C interface; false past the rank limit.
bool planOf(int rank, const int64_t* shape, std::initializer_list<const int64_t*> strides, StridedPlan& p) {
  if (rank < 0 || rank > kMaxStridedDims) return false;
  p.rank = rank;
  p.operands = static_cast<int>(strides.size());
  for (int d = 0; d < rank; ++d) p.shape[d] = shape[d];
  int k = 0;
  for (const int64_t* s : strides) {
    for (int d = 0; d < rank; ++d) p.strides[k][d] = s[d];
    ++k;
  }
  return true;
}

int badRank(const char* op, int rank) {
  return fail(std::string(op) + ": rank must be in [0, " + std::to_string(kMaxStridedDims) + "], got " +
              std::to_string(rank));
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest;
using namespace steepest::cuda;

extern "C" int steepest_cuda_copy_strided(const void* src, void* dst, int rank, const int64_t* shape,
                                          const int64_t* src_strides, const int64_t* dst_strides) {
  StridedPlan p;
  if (!planOf(rank, shape, {src_strides, dst_strides}, p)) return badRank("copyStrided", rank);
  const int64_t n = p.size();
  if (n <= 0) return STEEPEST_CUDA_OK;
  copyStridedKernel<<<blocksFor(n), kThreads, 0, stream()>>>(static_cast<const uint32_t*>(src),
                                                              static_cast<uint32_t*>(dst), p, n);
  return checkLaunch("copyStrided");
}

extern "C" int steepest_cuda_binary_strided(int op, const float* a, const float* b, float* out, int rank,
                                            const int64_t* shape, const int64_t* a_strides, const int64_t* b_strides) {
  StridedPlan p;
  if (!planOf(rank, shape, {a_strides, b_strides}, p)) return badRank("binaryStrided", rank);
  const int64_t n = p.size();
  if (n <= 0) return STEEPEST_CUDA_OK;
  const bool known = withBinaryOp(static_cast<BinaryOp>(op), [&](auto o) {
    binaryStridedKernel<decltype(o)::value><<<blocksFor(n), kThreads, 0, stream()>>>(a, b, out, p, n);
  });
  if (!known) return fail("binaryStrided: unknown op code " + std::to_string(op));
  return checkLaunch("binaryStrided");
}

extern "C" int steepest_cuda_where(const int32_t* cond, const float* a, const float* b, float* out, int rank,
                                   const int64_t* shape, const int64_t* cond_strides, const int64_t* a_strides,
                                   const int64_t* b_strides) {
  StridedPlan p;
  if (!planOf(rank, shape, {cond_strides, a_strides, b_strides}, p)) return badRank("where", rank);
  const int64_t n = p.size();
  if (n <= 0) return STEEPEST_CUDA_OK;
  whereKernel<<<blocksFor(n), kThreads, 0, stream()>>>(cond, a, b, out, p, n);
  return checkLaunch("where");
}
