#include "cpu/layout.h"

#include <algorithm>
#include <cstring>

#include "cpu/threadpool.h"

namespace steepest::cpu {

void transpose(const float* a, int64_t rows, int64_t cols, float* out) {
  // 32x32 tiles keep both the reads and the writes within a few cache lines.
  constexpr int64_t kTile = 32;
  const int64_t rowTiles = (rows + kTile - 1) / kTile;
  const int64_t grain = std::max<int64_t>(1, (1 << 15) / (kTile * std::max<int64_t>(cols, 1)));
  parallelFor(rowTiles, grain, [&](int64_t tb, int64_t te) {
    for (int64_t t = tb; t < te; ++t) {
      const int64_t r0 = t * kTile, r1 = std::min(rows, r0 + kTile);
      for (int64_t c0 = 0; c0 < cols; c0 += kTile) {
        const int64_t c1 = std::min(cols, c0 + kTile);
        for (int64_t r = r0; r < r1; ++r)
          for (int64_t c = c0; c < c1; ++c) out[c * rows + r] = a[r * cols + c];
      }
    }
  });
}

template <typename T>
void gatherRows(const T* src, int64_t rowLength, const int32_t* index, int64_t count, T* out) {
  const size_t bytes = static_cast<size_t>(rowLength) * sizeof(T);
  const int64_t grain = std::max<int64_t>(1, (1 << 16) / std::max<int64_t>(rowLength, 1));
  parallelFor(count, grain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) std::memcpy(out + i * rowLength, src + index[i] * rowLength, bytes);
  });
}

void scatterAddRows(const float* src, int64_t rowLength, const int32_t* index, int64_t count, float* out) {
  const int64_t grain = std::max<int64_t>(16, (1 << 14) / std::max<int64_t>(count, 1));
  parallelFor(rowLength, grain, [&](int64_t cb, int64_t ce) {
    for (int64_t i = 0; i < count; ++i) {
      const float* from = src + i * rowLength;
      float* to = out + static_cast<int64_t>(index[i]) * rowLength;
      for (int64_t c = cb; c < ce; ++c) to[c] += from[c];
    }
  });
}

template <typename T>
void indexSelect(const T* src, int64_t outer, int64_t n, int64_t inner, const int32_t* index, int64_t count, T* out) {
  for (int64_t o = 0; o < outer; ++o) gatherRows(src + o * n * inner, inner, index, count, out + o * count * inner);
}

void indexAdd(const float* src, int64_t outer, int64_t count, int64_t inner, const int32_t* index, int64_t n,
              float* out) {
  for (int64_t o = 0; o < outer; ++o) scatterAddRows(src + o * count * inner, inner, index, count, out + o * n * inner);
}

template void gatherRows<float>(const float*, int64_t, const int32_t*, int64_t, float*);
template void gatherRows<int32_t>(const int32_t*, int64_t, const int32_t*, int64_t, int32_t*);
template void indexSelect<float>(const float*, int64_t, int64_t, int64_t, const int32_t*, int64_t, float*);
template void indexSelect<int32_t>(const int32_t*, int64_t, int64_t, int64_t, const int32_t*, int64_t, int32_t*);

}  // namespace steepest::cpu
