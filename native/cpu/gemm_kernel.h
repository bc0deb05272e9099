// Internal interface between the GEMM driver (gemm.cc) and its per-ISA micro-kernels
// (gemm_avx512.cc, gemm_avx2.cc, gemm_generic.cc). Not part of the public API.
//
// A micro-kernel computes one MR x NR tile of C from a depth-k strip of op(A) and op(B):
//   C[i][j] = alpha * sum_k a(i,k) * b(k,j) + beta * C[i][j]  (+ bias[j], then ReLU),
// for i < m <= MR and j < n <= NR, keeping the MR x NR accumulators in registers and applying
// the whole epilogue before the single write-back of the tile.
#pragma once
#include <cstdint>

namespace steepest::cpu::gemm_detail {

// How the micro-kernel reads a(i, k):
//   kColumns: a[k * aStride + i] (packed A panels with aStride = MR, or op(A) = A^T read in place)
//   kRows:    a[i * aStride + k] (A read in place, row-major, no transpose)
enum class ALayout { kColumns, kRows };

struct MicroTile {
  int64_t k;              // depth
  const float* a;         // see ALayout
  int64_t aStride;
  const float* b;         // b(k, j) = b[k * bStride + j]; NR columns readable (packed or in place)
  int64_t bStride;
  float* c;               // tile origin in C
  int64_t ldc;
  int m, n;               // valid rows (<= MR) and columns (<= NR) of the tile
  float alpha, beta;      // beta == 0: C is not read (NaN in C does not propagate)
  const float* bias;      // bias for the tile's first column, or null
  bool relu;
  // B streams from L2 or memory rather than staying in L1 (order 2's micro-panels, or B read in
  // place): the AVX-512 kernels then prefetch it a few k steps ahead; the others ignore it.
  bool prefetchB;
};

using MicroKernelFn = void (*)(const MicroTile&);

// How a finished tile meets C. The two cases every training step repeats get a store loop of
// their own in each kernel (updateC): a fresh product (alpha 1, beta 0, no bias or ReLU: one
// store per vector) and gradient accumulation (alpha 1, beta 1: one load and one add). With
// one loop for every case the compiler re-tested beta and ReLU and re-read the tile's fields
// after each store (the stores may alias them): measured on the AVX-512 12 x 32 tile with C
// in L1, that cost 15 % of a depth-32 tile and 25 % of a depth-8 one.
enum class Update { kOverwrite, kAccumulate, kGeneral };

inline Update updateFor(const MicroTile& t) {
  if (t.alpha == 1.f && !t.bias && !t.relu) {
    if (t.beta == 0.f) return Update::kOverwrite;
    if (t.beta == 1.f) return Update::kAccumulate;
  }
  return Update::kGeneral;
}

// Writes dst[kk * width + r] = src[r * ld + kk] for r < rows, kk < k, and zeros for
// rows <= r < width: `rows` source lines that run along k become one interleaved panel.
using PanelFn = void (*)(const float* src, int64_t ld, int rows, int64_t k, int width, float* dst);

// One register-blocked kernel and the cache blocking chosen for it (see docs/gemm.md).
// Two loop orders share the kernel: the B micro-panel kept in L1 (blocks mc / kc / nc), used
// for the training shapes, and the A micro-panel kept in L1 with a KC x NC block of B in L2
// (blocks kcWide / ncWide), used when both operands are large.
struct KernelSet {
  const char* isa;  // "avx512" | "avx2" | "generic"
  int mr, nr;
  int64_t mc, kc, nc;
  int64_t kcWide, ncWide;
  MicroKernelFn columns;  // ALayout::kColumns
  MicroKernelFn rows;     // ALayout::kRows
  PanelFn transposePanel;
  // A set with another tile shape for products that read A in place row by row while packing
  // B (see gemm.cc, kernelsFor), or null.
  const KernelSet* rowsInPlace;
  // True for such a set: kernelsFor chose it because every thread reads A in place, so blocks
  // run with A unpacked whatever their width.
  bool aInPlace;
};

// Each returns null when the ISA is not compiled in (non-x86 builds); the caller also checks the
// running CPU before using it.
const KernelSet* avx512Kernels();
const KernelSet* avx2Kernels();
const KernelSet* genericKernels();

// Packing (gemm_pack.cc). Panels are zero-padded to full MR / NR so kernels never branch on
// edges while accumulating.
//   packA: rows [0, m) and depth [0, k) of op(A), origin `a`, into ceil(m / MR) panels of
//          k * MR floats, panel layout dst[kk * MR + i].
//   packB: depth [0, k) and columns [0, n) of op(B) into ceil(n / NR) panels of k * NR floats,
//          panel layout dst[kk * NR + j].
void packA(const KernelSet& ks, bool transA, const float* a, int64_t lda, int64_t m, int64_t k, float* dst);
void packB(const KernelSet& ks, bool transB, const float* b, int64_t ldb, int64_t k, int64_t n, float* dst);
// The plain C++ PanelFn (generic kernels; remainders of the vectorized ones).
void transposePanelPortable(const float* src, int64_t ld, int rows, int64_t k, int width, float* dst);
// The AVX2 PanelFn (8 x 8 register transposes), shared by the AVX2 and AVX-512 kernel sets;
// null when not compiled in.
extern const PanelFn transposePanelAvx2;

}  // namespace steepest::cpu::gemm_detail
