#include "cpu/strided.h"

#include <algorithm>
#include <cstring>

#include "cpu/threadpool.h"

namespace steepest::cpu {
namespace {

// Elements per task: below it an op runs on the calling thread (as elementwise.cc).
constexpr int64_t kGrain = 1 << 15;

// Runs body(offsets[], count) for runs of the innermost axis: offsets are each operand's element
// offset at the run's start, count the run's length. The outer index space is split over the
// pool; each task finds its start offsets from the flat outer index (common/strided.h's walk,
// one division per axis), then steps an odometer.
template <int Operands, typename Body>
void forRuns(const StridedPlan& p, Body body) {
  const int nd = p.rank;
  const int64_t inner = nd ? p.shape[nd - 1] : 1;
  int64_t outer = 1;
  for (int d = 0; d + 1 < nd; ++d) outer *= p.shape[d];
  if (inner == 0 || outer == 0) return;
  const int64_t grain = std::max<int64_t>(1, kGrain / inner);
  parallelFor(outer, grain, [&](int64_t b, int64_t e) {
    int64_t idx[kMaxStridedDims] = {0};
    int64_t off[Operands];
    stridedOffsets<Operands>(p, nd - 1, b, off, idx);
    for (int64_t o = b; o < e; ++o) {
      body(off, inner);
      // Odometer step over the outer axes.
      for (int d = nd - 2; d >= 0; --d) {
        for (int k = 0; k < Operands; ++k) off[k] += p.strides[k][d];
        if (++idx[d] < p.shape[d]) break;
        for (int k = 0; k < Operands; ++k) off[k] -= idx[d] * p.strides[k][d];
        idx[d] = 0;
      }
    }
  });
}

template <BinaryOp Op>
void binaryTyped(const float* a, const float* b, float* out, const StridedPlan& p) {
  const int last = p.rank - 1;
  const int64_t sa = last >= 0 ? p.strides[0][last] : 0, sb = last >= 0 ? p.strides[1][last] : 0;
  forRuns<3>(p, [&](const int64_t* off, int64_t n) {
    const float* x = a + off[0];
    const float* y = b + off[1];
    float* z = out + off[2];
    // The runs a broadcast meets: both operands stepping, or one of them held (a row or a column).
    if (sa == 1 && sb == 1) {
      for (int64_t i = 0; i < n; ++i) z[i] = applyBinary<Op>(x[i], y[i]);
    } else if (sa == 1 && sb == 0) {
      const float v = y[0];
      for (int64_t i = 0; i < n; ++i) z[i] = applyBinary<Op>(x[i], v);
    } else if (sa == 0 && sb == 1) {
      const float v = x[0];
      for (int64_t i = 0; i < n; ++i) z[i] = applyBinary<Op>(v, y[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) z[i] = applyBinary<Op>(x[i * sa], y[i * sb]);
    }
  });
}

}  // namespace

StridedPlan planStrided(const std::vector<int64_t>& shape, std::initializer_list<const std::vector<int64_t>*> strides) {
  StridedPlan p;
  p.operands = static_cast<int>(strides.size());
  // Axes of length 1 carry no stepping: drop them.
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    int k = 0;
    for (const auto* s : strides) p.strides[k++][p.rank] = (*s)[d];
    p.shape[p.rank++] = shape[d];
  }
  // Merge axis d into d + 1 when every operand's stride of d is its stride of d + 1 times the
  // length of d + 1: the pair is then one axis of their product.
  for (int d = p.rank - 2; d >= 0; --d) {
    bool merge = true;
    for (int o = 0; o < p.operands && merge; ++o) merge = p.strides[o][d] == p.strides[o][d + 1] * p.shape[d + 1];
    if (!merge) continue;
    p.shape[d + 1] *= p.shape[d];
    // Close the gap at d: axes d + 1.. move down one.
    for (int e = d; e + 1 < p.rank; ++e) {
      p.shape[e] = p.shape[e + 1];
      for (int o = 0; o < p.operands; ++o) p.strides[o][e] = p.strides[o][e + 1];
    }
    --p.rank;
  }
  return p;
}

void copyStrided(const void* src, void* dst, const StridedPlan& p) {
  const auto* s = static_cast<const uint32_t*>(src);
  auto* t = static_cast<uint32_t*>(dst);
  const int last = p.rank - 1;
  const int64_t ss = last >= 0 ? p.strides[0][last] : 0, ds = last >= 0 ? p.strides[1][last] : 0;
  forRuns<2>(p, [&](const int64_t* off, int64_t n) {
    const uint32_t* from = s + off[0];
    uint32_t* to = t + off[1];
    if (ss == 1 && ds == 1) {
      std::memcpy(to, from, static_cast<size_t>(n) * 4);
    } else {
      for (int64_t i = 0; i < n; ++i) to[i * ds] = from[i * ss];
    }
  });
}

void binaryStrided(BinaryOp op, const float* a, const float* b, float* out, const StridedPlan& p) {
  withBinaryOp(op, [&](auto tag) { binaryTyped<decltype(tag)::value>(a, b, out, p); });
}

template <typename T>
void whereStrided(const int32_t* cond, const T* a, const T* b, T* out, const StridedPlan& p) {
  const int last = p.rank - 1;
  const int64_t sc = last >= 0 ? p.strides[0][last] : 0;
  const int64_t sa = last >= 0 ? p.strides[1][last] : 0, sb = last >= 0 ? p.strides[2][last] : 0;
  forRuns<4>(p, [&](const int64_t* off, int64_t n) {
    const int32_t* c = cond + off[0];
    const T* x = a + off[1];
    const T* y = b + off[2];
    T* z = out + off[3];
    for (int64_t i = 0; i < n; ++i) z[i] = whereValue<T>(c[i * sc], x[i * sa], y[i * sb]);
  });
}

template void whereStrided<float>(const int32_t*, const float*, const float*, float*, const StridedPlan&);
template void whereStrided<int32_t>(const int32_t*, const int32_t*, const int32_t*, int32_t*, const StridedPlan&);

}  // namespace steepest::cpu
