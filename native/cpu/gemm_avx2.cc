// AVX2 + FMA micro-kernel: 6 x 16 tile (6 rows of two 8-float ymm vectors), 12 accumulators,
// 2 B vectors and 1 broadcast: 15 of the 16 ymm registers. Same structure as the AVX-512
// kernel (gemm_avx512.cc); selected at run time on CPUs without AVX-512 or when forced.
#include "cpu/gemm_kernel.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#define SP_AVX2 __attribute__((target("avx2,fma")))

namespace steepest::cpu::gemm_detail {
namespace {

constexpr int kVec = 8;

// Lanes [0, rem) set: the mask maskload / maskstore take for a partial vector.
SP_AVX2 inline __m256i laneMask(int rem) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(rem), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// C = epilogue(acc) for one tile, in the way updateFor (gemm_kernel.h) chose.
template <int MR, int NV, Update U>
SP_AVX2 __attribute__((always_inline)) inline void updateC(const MicroTile& t, const __m256 (&acc)[MR][NV]) {
  float* const c0 = t.c;
  const int64_t ldc = t.ldc;
  const int m = t.m;
  __m256i mask[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) mask[v] = laneMask(t.n - v * kVec);
  const __m256 alpha = _mm256_set1_ps(t.alpha), beta = _mm256_set1_ps(t.beta), zero = _mm256_setzero_ps();
  const bool readC = t.beta != 0.f, relu = t.relu;
  __m256 bias[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) bias[v] = t.bias ? _mm256_maskload_ps(t.bias + v * kVec, mask[v]) : zero;
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    if (i >= m) break;
    float* c = c0 + i * ldc;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      __m256 r = acc[i][v];
      if constexpr (U == Update::kAccumulate) {
        r = _mm256_add_ps(r, _mm256_maskload_ps(c + v * kVec, mask[v]));
      } else if constexpr (U == Update::kGeneral) {
        r = _mm256_mul_ps(alpha, r);
        if (readC) r = _mm256_fmadd_ps(beta, _mm256_maskload_ps(c + v * kVec, mask[v]), r);
        r = _mm256_add_ps(r, bias[v]);
        if (relu) r = _mm256_max_ps(zero, r);  // NaN in r survives (second operand wins)
      }
      _mm256_maskstore_ps(c + v * kVec, mask[v], r);
    }
  }
}

template <int MR, int NV>
SP_AVX2 __attribute__((always_inline)) inline void storeTile(const MicroTile& t, const __m256 (&acc)[MR][NV]) {
  switch (updateFor(t)) {
    case Update::kOverwrite: return updateC<MR, NV, Update::kOverwrite>(t, acc);
    case Update::kAccumulate: return updateC<MR, NV, Update::kAccumulate>(t, acc);
    case Update::kGeneral: return updateC<MR, NV, Update::kGeneral>(t, acc);
  }
}

template <int MR, int NV, ALayout L>
SP_AVX2 void kernel(const MicroTile& t) {
  __m256 acc[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_setzero_ps();
  }
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    if (i < t.m) _mm_prefetch(reinterpret_cast<const char*>(t.c + i * t.ldc), _MM_HINT_T0);
  }
  const float* a = t.a;
  const float* b = t.b;
  const int64_t as = t.aStride, bs = t.bStride;
  for (int64_t kk = 0; kk < t.k; ++kk) {
    __m256 bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = _mm256_loadu_ps(b + v * kVec);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      const __m256 x = _mm256_broadcast_ss(L == ALayout::kColumns ? a + i : a + i * as);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm256_fmadd_ps(x, bv[v], acc[i][v]);
    }
    a += L == ALayout::kColumns ? as : 1;
    b += bs;
  }

  storeTile<MR, NV>(t, acc);
}

// dst[kk * width + r] = src[r * ld + kk] (see PanelFn), 8 lines x 8 k per step: eight row
// loads, the classic unpack / shuffle / permute 8 x 8 transpose in registers, eight stores.
SP_AVX2 void transposePanel(const float* src, int64_t ld, int rows, int64_t k, int width, float* dst) {
  const int rows8 = rows / 8 * 8;
  const int64_t k8 = k / 8 * 8;
  for (int r0 = 0; r0 < rows8; r0 += 8) {
    const float* s = src + r0 * ld;
    for (int64_t kk = 0; kk < k8; kk += 8) {
      __m256 r[8], t[8];
      for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(s + i * ld + kk);
      for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
      }
      for (int h = 0; h < 8; h += 4) {
        r[h] = _mm256_shuffle_ps(t[h], t[h + 2], 0x44);
        r[h + 1] = _mm256_shuffle_ps(t[h], t[h + 2], 0xEE);
        r[h + 2] = _mm256_shuffle_ps(t[h + 1], t[h + 3], 0x44);
        r[h + 3] = _mm256_shuffle_ps(t[h + 1], t[h + 3], 0xEE);
      }
      float* out = dst + kk * width + r0;
      for (int i = 0; i < 4; ++i) {
        _mm256_storeu_ps(out + i * width, _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
        _mm256_storeu_ps(out + (i + 4) * width, _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
      }
    }
    for (int64_t kk = k8; kk < k; ++kk) {
      for (int i = 0; i < 8; ++i) dst[kk * width + r0 + i] = s[i * ld + kk];
    }
  }
  // Four more lines, if there are: the same transpose on 4 x 8 (two unpack / shuffle stages;
  // each 256-bit result holds k and k + 4 of the four lines). A 12-row AVX-512 panel is 8 + 4
  // lines and a 6-row AVX2 one 4 + 2, so this keeps most of their packing vectorized.
  int done = rows8;
  if (rows - done >= 4) {
    const float* s = src + done * ld;
    for (int64_t kk = 0; kk < k8; kk += 8) {
      __m256 r[4];
      for (int i = 0; i < 4; ++i) r[i] = _mm256_loadu_ps(s + i * ld + kk);
      const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
      const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
      const __m256 u[4] = {_mm256_shuffle_ps(t0, t2, 0x44), _mm256_shuffle_ps(t0, t2, 0xEE),
                           _mm256_shuffle_ps(t1, t3, 0x44), _mm256_shuffle_ps(t1, t3, 0xEE)};
      float* out = dst + kk * width + done;
      for (int i = 0; i < 4; ++i) {
        _mm_storeu_ps(out + i * width, _mm256_castps256_ps128(u[i]));
        _mm_storeu_ps(out + (i + 4) * width, _mm256_extractf128_ps(u[i], 1));
      }
    }
    for (int64_t kk = k8; kk < k; ++kk) {
      for (int i = 0; i < 4; ++i) dst[kk * width + done + i] = s[i * ld + kk];
    }
    done += 4;
  }
  // Leftover lines (fewer than 4) one by one, then the zero padding.
  for (int r = done; r < rows; ++r) {
    const float* s = src + r * ld;
    for (int64_t kk = 0; kk < k; ++kk) dst[kk * width + r] = s[kk];
  }
  if (rows < width) {
    for (int64_t kk = 0; kk < k; ++kk) {
      for (int r = rows; r < width; ++r) dst[kk * width + r] = 0.f;
    }
  }
}

// Edge tiles run a smaller instantiation (3 rows, one vector), as in gemm_avx512.cc.
template <ALayout L>
SP_AVX2 void edgeAware(const MicroTile& t) {
  if (t.n > kVec) return t.m > 3 ? kernel<6, 2, L>(t) : kernel<3, 2, L>(t);
  return t.m > 3 ? kernel<6, 1, L>(t) : kernel<3, 1, L>(t);
}

constexpr int kMR = 6, kNV = 2;

// Cache blocks sized for a typical AVX2 core (32 KiB L1d, 256 KiB-1 MiB L2).
const KernelSet kSet = {
    "avx2", kMR, kNV * kVec,
    /*mc=*/kMR * 32, /*kc=*/256, /*nc=*/4096,
    /*kcWide=*/256, /*ncWide=*/256,
    &edgeAware<ALayout::kColumns>, &edgeAware<ALayout::kRows>, &transposePanel, nullptr, false,
};

}  // namespace

const KernelSet* avx2Kernels() { return &kSet; }
const PanelFn transposePanelAvx2 = &transposePanel;

}  // namespace steepest::cpu::gemm_detail

#else

namespace steepest::cpu::gemm_detail {
const KernelSet* avx2Kernels() { return nullptr; }
const PanelFn transposePanelAvx2 = nullptr;
}  // namespace steepest::cpu::gemm_detail

#endif
