// Portable micro-kernel in plain C++ for CPUs without AVX2 (and arm64): a 4 x 16 tile of
// accumulators in a local array that the compiler keeps in vector registers (SSE2 / NEON) and
// vectorizes along j. Also the reference path that tests force on x86.
#include "cpu/gemm_kernel.h"

namespace steepest::cpu::gemm_detail {
namespace {

template <int MR, int NR, ALayout L>
void kernel(const MicroTile& t) {
  float acc[MR][NR] = {};
  const float* a = t.a;
  const float* b = t.b;
  for (int64_t kk = 0; kk < t.k; ++kk) {
    for (int i = 0; i < MR; ++i) {
      const float x = L == ALayout::kColumns ? a[i] : a[i * t.aStride];
      for (int j = 0; j < NR; ++j) acc[i][j] += x * b[j];
    }
    a += L == ALayout::kColumns ? t.aStride : 1;
    b += t.bStride;
  }
  const bool readC = t.beta != 0.f;
  for (int i = 0; i < t.m; ++i) {
    float* c = t.c + i * t.ldc;
    for (int j = 0; j < t.n; ++j) {
      float r = t.alpha * acc[i][j];
      if (readC) r += t.beta * c[j];
      if (t.bias) r += t.bias[j];
      if (t.relu && r < 0.f) r = 0.f;  // NaN stays NaN, as torch.relu
      c[j] = r;
    }
  }
}

constexpr int kMR = 4, kNR = 16;

const KernelSet kSet = {
    "generic", kMR, kNR,
    /*mc=*/kMR * 32, /*kc=*/256, /*nc=*/4096,
    /*kcWide=*/256, /*ncWide=*/256,
    &kernel<kMR, kNR, ALayout::kColumns>, &kernel<kMR, kNR, ALayout::kRows>, &transposePanelPortable, nullptr, false,
};

}  // namespace

const KernelSet* genericKernels() { return &kSet; }

}  // namespace steepest::cpu::gemm_detail
