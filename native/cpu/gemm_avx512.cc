// AVX-512 micro-kernel: MR x 32 tile (MR rows of two 16-float zmm vectors), 2 * MR accumulators
// in registers. Each step over k loads one 32-float row of packed B and broadcasts MR values of
// A; the FMAs outnumber the loads, so the two FMA ports stay busy. Compiled with per-function
// target attributes, so the rest of the addon stays baseline x86-64 and this code only runs
// after the driver has checked the CPU (docs/gemm.md).
#include "cpu/gemm_kernel.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

// GCC 12's _mm512_max_ps passes _mm512_undefined_ps() as the pass-through operand and then
// warns that it "may be used uninitialized"; the value is never used (no mask).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#define SP_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")))

namespace steepest::cpu::gemm_detail {
namespace {

constexpr int kVec = 16;

// How many k steps ahead a streaming B is prefetched (MicroTile::prefetchB): 8 steps of a
// 32-column panel are 1 KiB, about the L2 latency's worth of kernel time.
constexpr int64_t kPrefetchBSteps = 8;

// C = epilogue(acc) for one tile, in the way updateFor (gemm_kernel.h) chose.
template <int MR, int NV, Update U>
SP_AVX512 __attribute__((always_inline)) inline void updateC(const MicroTile& t, const __m512 (&acc)[MR][NV]) {
  float* const c0 = t.c;
  const int64_t ldc = t.ldc;
  const int m = t.m;
  __mmask16 mask[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    const int rem = t.n - v * kVec;
    mask[v] = rem >= kVec ? __mmask16(0xFFFF) : rem <= 0 ? __mmask16(0) : __mmask16((1u << rem) - 1);
  }
  const __m512 alpha = _mm512_set1_ps(t.alpha), beta = _mm512_set1_ps(t.beta), zero = _mm512_setzero_ps();
  const bool readC = t.beta != 0.f, relu = t.relu;
  __m512 bias[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) bias[v] = t.bias ? _mm512_maskz_loadu_ps(mask[v], t.bias + v * kVec) : zero;
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    if (i >= m) break;
    float* c = c0 + i * ldc;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      __m512 r = acc[i][v];
      if constexpr (U == Update::kAccumulate) {
        r = _mm512_add_ps(r, _mm512_maskz_loadu_ps(mask[v], c + v * kVec));
      } else if constexpr (U == Update::kGeneral) {
        r = _mm512_mul_ps(alpha, r);
        if (readC) r = _mm512_fmadd_ps(beta, _mm512_maskz_loadu_ps(mask[v], c + v * kVec), r);
        r = _mm512_add_ps(r, bias[v]);
        // max(0, r) keeps a NaN in r (the second operand wins on NaN), as torch.relu does.
        if (relu) r = _mm512_max_ps(zero, r);
      }
      _mm512_mask_storeu_ps(c + v * kVec, mask[v], r);
    }
  }
}

// Epilogue on the registers: alpha, beta * C, bias, ReLU, then one masked store per vector.
template <int MR, int NV>
SP_AVX512 __attribute__((always_inline)) inline void storeTile(const MicroTile& t, const __m512 (&acc)[MR][NV]) {
  switch (updateFor(t)) {
    case Update::kOverwrite: return updateC<MR, NV, Update::kOverwrite>(t, acc);
    case Update::kAccumulate: return updateC<MR, NV, Update::kAccumulate>(t, acc);
    case Update::kGeneral: return updateC<MR, NV, Update::kGeneral>(t, acc);
  }
}

template <int MR, int NV, ALayout L, bool PrefetchB>
SP_AVX512 void kernel(const MicroTile& t) {
  __m512 acc[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_setzero_ps();
  }
  // The tile's rows of C are needed at the end; start fetching them now.
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    if (i < t.m) _mm_prefetch(reinterpret_cast<const char*>(t.c + i * t.ldc), _MM_HINT_T0);
  }
  const float* a = t.a;
  const float* b = t.b;
  const int64_t as = t.aStride, bs = t.bStride;
  for (int64_t kk = 0; kk < t.k; ++kk) {
    if constexpr (PrefetchB) {
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) {
        _mm_prefetch(reinterpret_cast<const char*>(b + kPrefetchBSteps * bs + v * kVec), _MM_HINT_T0);
      }
    }
    __m512 bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_ps(b + v * kVec);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      const __m512 x = _mm512_set1_ps(L == ALayout::kColumns ? a[i] : a[i * as]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[i][v] = _mm512_fmadd_ps(x, bv[v], acc[i][v]);
    }
    a += L == ALayout::kColumns ? as : 1;
    b += bs;
  }

  storeTile<MR, NV>(t, acc);
}

// One tile shape, with or without the B prefetch the tile asks for.
template <int MR, int NV, ALayout L>
SP_AVX512 void tile(const MicroTile& t) {
  return t.prefetchB ? kernel<MR, NV, L, true>(t) : kernel<MR, NV, L, false>(t);
}

// Edge tiles run a smaller instantiation: rows are covered by 12-, 8- or 4-row kernels and a
// tile of at most 16 columns by a one-vector kernel, so a 32-row batch costs 12 + 12 + 8 rows
// of FMAs instead of 36, and N = 784 wastes no half tile at its right edge. (Packed panels
// keep their full 12 / 32 width; a smaller kernel just reads less of each.)
template <ALayout L>
SP_AVX512 void edgeAware(const MicroTile& t) {
  if (t.n > kVec) {
    if (t.m > 8) return tile<12, 2, L>(t);
    if (t.m > 4) return tile<8, 2, L>(t);
    return tile<4, 2, L>(t);
  }
  if (t.m > 8) return tile<12, 1, L>(t);
  if (t.m > 4) return tile<8, 1, L>(t);
  return tile<4, 1, L>(t);
}

// The 6 x 64 tile (6 rows of four vectors; edges: 3 rows, 1-3 vectors) for A read in place
// row by row while B is packed (gemm.cc, kernelsFor: the forward passes and the input
// gradient at batch 64 and more). Per k step it
// broadcasts from 6 rows of A instead of 12 and loads 4 B vectors: 10 loads per 24 FMAs
// instead of 14, and half as many A row streams for the prefetchers. Measured against 12 x 32
// on 128/256 x 784 x 128 (NN and NT), alternating in one process: 1.08-1.15x at 1 thread,
// 1.05-1.13x at 2; at batch 32 (where 12 x 32 reads B in place too) it lost 5 %.
template <ALayout L>
SP_AVX512 void edgeAwareWide(const MicroTile& t) {
  if (t.n > 3 * kVec) return t.m > 3 ? tile<6, 4, L>(t) : tile<3, 4, L>(t);
  if (t.n > 2 * kVec) return t.m > 3 ? tile<6, 3, L>(t) : tile<3, 3, L>(t);
  if (t.n > kVec) return t.m > 3 ? tile<6, 2, L>(t) : tile<3, 2, L>(t);
  return t.m > 3 ? tile<6, 1, L>(t) : tile<3, 1, L>(t);
}

const KernelSet kRowsSet = {
    "avx512", 6, 4 * kVec,
    /*mc=*/6 * 64, /*kc=*/128, /*nc=*/4096,
    /*kcWide=*/448, /*ncWide=*/512,
    &edgeAwareWide<ALayout::kColumns>, &edgeAwareWide<ALayout::kRows>, nullptr, nullptr,
    /*aInPlace=*/true,
};

constexpr int kMR = 12, kNV = 2;

const KernelSet kSet = {
    "avx512", kMR, kNV * kVec,
    /*mc=*/kMR * 32, /*kc=*/128, /*nc=*/4096,
    /*kcWide=*/448, /*ncWide=*/512,
    &edgeAware<ALayout::kColumns>, &edgeAware<ALayout::kRows>, nullptr, nullptr, false,
};

}  // namespace

const KernelSet* avx512Kernels() {
  // Packing transposes use the AVX2 8 x 8 version (every AVX-512 CPU has AVX2); set on first use
  // because that pointer lives in another translation unit.
  static const KernelSet rows = [] {
    KernelSet s = kRowsSet;
    s.transposePanel = transposePanelAvx2;
    return s;
  }();
  static const KernelSet set = [] {
    KernelSet s = kSet;
    s.transposePanel = transposePanelAvx2;
    s.rowsInPlace = &rows;
    return s;
  }();
  return &set;
}

}  // namespace steepest::cpu::gemm_detail

#else

namespace steepest::cpu::gemm_detail {
const KernelSet* avx512Kernels() { return nullptr; }
}  // namespace steepest::cpu::gemm_detail

#endif
