#include "cpu/finite.h"

#include <atomic>
#include <cstring>

#include "cpu/threadpool.h"

namespace steepest::cpu {
namespace {

// A float is non-finite exactly when its 8 exponent bits are all ones (IEEE 754 binary32).
// Testing bits keeps the scan branch-free and immune to -ffast-math style assumptions.
inline bool nonFinite(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return (bits & 0x7f800000u) == 0x7f800000u;
}

// Scans [b, e) in blocks: a block is tested with a reduction the compiler vectorizes, and
// only a block that contains a hit is walked element by element.
int64_t scan(const float* a, int64_t b, int64_t e) {
  constexpr int64_t kBlock = 256;
  for (int64_t start = b; start < e; start += kBlock) {
    const int64_t end = start + kBlock < e ? start + kBlock : e;
    uint32_t any = 0;
    for (int64_t i = start; i < end; ++i) {
      uint32_t bits;
      std::memcpy(&bits, a + i, sizeof bits);
      any |= static_cast<uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
    }
    if (any) {
      for (int64_t i = start; i < end; ++i) {
        if (nonFinite(a[i])) return i;
      }
    }
  }
  return -1;
}

constexpr int64_t kGrain = 1 << 16;

}  // namespace

int64_t firstNonFinite(const float* a, int64_t n) {
  std::atomic<int64_t> best{n};
  parallelFor(n, kGrain, [&](int64_t b, int64_t e) {
    // A chunk starting past an earlier hit cannot improve the answer.
    if (b >= best.load(std::memory_order_relaxed)) return;
    const int64_t hit = scan(a, b, e);
    if (hit < 0) return;
    int64_t current = best.load(std::memory_order_relaxed);
    while (hit < current && !best.compare_exchange_weak(current, hit, std::memory_order_relaxed)) {
    }
  });
  const int64_t result = best.load();
  return result == n ? -1 : result;
}

}  // namespace steepest::cpu
