// GEMM driver: BLIS-style blocking around the per-ISA micro-kernels (gemm_kernel.h).
//
//   for jc over N in NC columns            (packed B block: KC x NC, lives in L3)
//     for pc over K in KC steps            (one depth block; beta applies to the first only,
//                                           bias/ReLU to the last only)
//       pack B[pc:pc+KC, jc:jc+NC]         (or read in place, see below)
//       for ic over M in MC rows           (packed A block: MC x KC, lives in L2)
//         pack A[ic:ic+MC, pc:pc+KC]
//         for jr over NC in NR columns     (one B micro-panel: KC x NR, stays in L1)
//           for ir over MC in MR rows      -> micro-kernel on an MR x NR tile of C
//
// Packing an operand costs about one pass over it; it pays off only when the packed copy is
// reused many times. For the skinny shapes of training (32 x 784 x 128 and its gradients) an
// operand that the other dimension reuses only a few times is read in place instead: A when
// N is small (each A panel is reused by N / NR tiles), B when M is small.
//
// Threads: the C matrix is split into one rectangle per thread (rows, columns or both, whichever
// duplicates the least packing and balances best); each thread runs the blocked loops above
// on its rectangle with its own packing buffers. Products under kMinParallelFlops run on the
// calling thread only: waking a worker costs more than it saves there.
#include "cpu/gemm.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include "cpu/gemm_kernel.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {
namespace {

using gemm_detail::ALayout;
using gemm_detail::KernelSet;
using gemm_detail::MicroTile;

// ~2 MFLOP is ~15 us on one core here; a pool wake-up and the second thread's cold caches cost
// a few us, so below this two threads do not win.
constexpr double kMinParallelFlops = 2.0e6;

// Reading an operand in place instead of packing it (see the header comment): A when each of
// its panels feeds at most this many NR-wide tiles, B when each B panel feeds at most this many
// MR-high tiles.
constexpr int64_t kDirectAMaxTiles = 8;
constexpr int64_t kDirectBMaxTiles = 4;
constexpr int64_t kDirectATransMaxDepth = 64;

bool cpuSupports(const char* isa) {
#if defined(__x86_64__) || defined(_M_X64)
  if (std::strcmp(isa, "avx512") == 0) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
  }
  if (std::strcmp(isa, "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return std::strcmp(isa, "generic") == 0;
}

const KernelSet* byName(const std::string& name) {
  const KernelSet* sets[] = {gemm_detail::avx512Kernels(), gemm_detail::avx2Kernels(), gemm_detail::genericKernels()};
  for (const KernelSet* s : sets) {
    if (s && name == s->isa && cpuSupports(s->isa)) return s;
  }
  return nullptr;
}

const KernelSet* detect() {
  if (const char* env = std::getenv("STEEPEST_GEMM_ISA")) {
    if (const KernelSet* forced = byName(env)) return forced;
  }
  for (const char* isa : {"avx512", "avx2"}) {
    if (const KernelSet* s = byName(isa)) return s;
  }
  return gemm_detail::genericKernels();
}

std::atomic<const KernelSet*>& active() {
  static std::atomic<const KernelSet*> set{detect()};
  return set;
}

// Per-thread packing buffers, grown on demand and kept: no allocation in steady state.
class Buffer {
 public:
  ~Buffer() { std::free(data_); }
  float* get(size_t floats) {
    if (floats > capacity_) {
      std::free(data_);
      const size_t bytes = (floats * sizeof(float) + 63) / 64 * 64;
      data_ = static_cast<float*>(std::aligned_alloc(64, bytes));
      if (!data_) throw std::bad_alloc();
      capacity_ = bytes / sizeof(float);
    }
    return data_;
  }

 private:
  float* data_ = nullptr;
  size_t capacity_ = 0;
};

struct Buffers {
  Buffer a, b, edgeA, edgeB;
};
thread_local Buffers tlsBuffers;

struct Problem {
  bool transA, transB;
  int64_t M, N, K;
  float alpha;
  const float* A;
  int64_t lda;
  const float* B;
  int64_t ldb;
  float beta;
  float* C;
  int64_t ldc;
  GemmEpilogue epi;
  // op(A)(i, k) and op(B)(k, j) element addresses.
  const float* a(int64_t i, int64_t k) const { return transA ? A + k * lda + i : A + i * lda + k; }
  const float* b(int64_t k, int64_t j) const { return transB ? B + j * ldb + k : B + k * ldb + j; }
};

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Runs the blocked loops on the rectangle rows [m0, m1) x columns [n0, n1) of C.
void runBlock(const Problem& p, const KernelSet& ks, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
  const int mr = ks.mr, nr = ks.nr;
  const int64_t M = m1 - m0, N = n1 - n0;
  // Equal depth blocks of at most KC, so the last one is not a sliver.
  const int64_t kBlocks = ceilDiv(p.K, ks.kc);
  const int64_t kcMax = ceilDiv(p.K, kBlocks);
  const int64_t ncMax = std::min(ks.nc, ceilDiv(N, nr) * nr);
  const int64_t mcMax = std::min(ks.mc, ceilDiv(M, mr) * mr);
  // A^T read in place touches one cache line per k for MR floats: worth it only for short depths.
  const bool directA = ceilDiv(ncMax, nr) <= kDirectAMaxTiles && (!p.transA || kcMax <= kDirectATransMaxDepth);
  const bool directB = !p.transB && ceilDiv(M, mr) <= kDirectBMaxTiles;
  Buffers& buf = tlsBuffers;
  float* packedA = directA ? nullptr : buf.a.get(static_cast<size_t>(mcMax * kcMax));
  float* packedB = directB ? nullptr : buf.b.get(static_cast<size_t>(ncMax * kcMax));
  float* edgeA = buf.edgeA.get(static_cast<size_t>(mr * kcMax));
  float* edgeB = buf.edgeB.get(static_cast<size_t>(nr * kcMax));

  MicroTile t{};
  t.ldc = p.ldc;
  t.alpha = p.alpha;
  for (int64_t jc = 0; jc < N; jc += ks.nc) {
    const int64_t nc = std::min(ks.nc, N - jc);
    for (int64_t pc = 0; pc < p.K; pc += kcMax) {
      const int64_t kc = std::min(kcMax, p.K - pc);
      const bool last = pc + kc == p.K;
      t.k = kc;
      t.beta = pc == 0 ? p.beta : 1.f;
      t.relu = last && p.epi.relu;
      const int64_t nFull = directB ? nc / nr * nr : nc;  // columns read in place
      if (!directB) {
        gemm_detail::packB(ks, p.transB, p.b(pc, n0 + jc), p.ldb, kc, nc, packedB);
      } else if (nFull < nc) {
        gemm_detail::packB(ks, false, p.b(pc, n0 + jc + nFull), p.ldb, kc, nc - nFull, edgeB);
      }
      for (int64_t ic = 0; ic < M; ic += mcMax) {
        const int64_t mc = std::min(mcMax, M - ic);
        const int64_t mFull = directA ? mc / mr * mr : mc;  // rows read in place
        if (!directA) {
          gemm_detail::packA(ks, p.transA, p.a(m0 + ic, pc), p.lda, mc, kc, packedA);
        } else if (mFull < mc) {
          gemm_detail::packA(ks, p.transA, p.a(m0 + ic + mFull, pc), p.lda, mc - mFull, kc, edgeA);
        }
        for (int64_t jr = 0; jr < nc; jr += nr) {
          t.n = static_cast<int>(std::min<int64_t>(nr, nc - jr));
          if (!directB) {
            t.b = packedB + jr / nr * kc * nr;
            t.bStride = nr;
          } else if (jr < nFull) {
            t.b = p.b(pc, n0 + jc + jr);
            t.bStride = p.ldb;
          } else {
            t.b = edgeB;
            t.bStride = nr;
          }
          t.bias = last && p.epi.bias ? p.epi.bias + n0 + jc + jr : nullptr;
          for (int64_t ir = 0; ir < mc; ir += mr) {
            t.m = static_cast<int>(std::min<int64_t>(mr, mc - ir));
            t.c = p.C + (m0 + ic + ir) * p.ldc + n0 + jc + jr;
            if (!directA || ir >= mFull) {
              t.a = directA ? edgeA : packedA + ir / mr * kc * mr;
              t.aStride = mr;
              ks.columns(t);
            } else {
              t.a = p.a(m0 + ic + ir, pc);
              t.aStride = p.lda;
              (p.transA ? ks.columns : ks.rows)(t);
            }
          }
        }
      }
    }
  }
}

// C = beta * C (+ bias, ReLU) when there is no product to add (K == 0 or alpha == 0).
void scaleOnly(const Problem& p) {
  for (int64_t i = 0; i < p.M; ++i) {
    float* c = p.C + i * p.ldc;
    for (int64_t j = 0; j < p.N; ++j) {
      float r = p.beta == 0.f ? 0.f : p.beta * c[j];
      if (p.epi.bias) r += p.epi.bias[j];
      if (p.epi.relu && r < 0.f) r = 0.f;
      c[j] = r;
    }
  }
}

// Splits C among `threads` threads as a tm x tn grid of rectangles on tile boundaries, choosing
// the grid with the smallest estimated per-thread time: FMA work plus packing of the A rows
// and B columns each thread needs (a thread packs all of B for its columns, so splitting rows
// duplicates B's packing and splitting columns duplicates A's).
void chooseGrid(const Problem& p, const KernelSet& ks, int threads, int& tm, int& tn) {
  const int64_t mTiles = ceilDiv(p.M, ks.mr), nTiles = ceilDiv(p.N, ks.nr);
  double best = -1;
  tm = tn = 1;
  for (int a = 1; a <= threads; ++a) {
    if (threads % a != 0) continue;
    const int b = threads / a;
    if (a > mTiles || b > nTiles) continue;
    const double rows = static_cast<double>(ceilDiv(mTiles, a) * ks.mr);
    const double cols = static_cast<double>(ceilDiv(nTiles, b) * ks.nr);
    // Cycles: MR*NR FMA lanes per k-step take MR*NR/32 cycles at two 16-lane FMAs per cycle;
    // a packed float costs about a quarter cycle.
    const double cost = rows * cols * p.K / 32.0 + 0.25 * p.K * (rows + cols);
    if (best < 0 || cost < best) {
      best = cost;
      tm = a;
      tn = b;
    }
  }
}

}  // namespace

const char* gemmIsa() { return active().load()->isa; }

std::string gemmSetIsa(const std::string& name) {
  if (name == "auto") {
    active().store(detect());
    return "";
  }
  const KernelSet* s = byName(name);
  if (!s) {
    if (name == "avx512" || name == "avx2" || name == "generic") return "this CPU does not support " + name;
    return "unknown ISA '" + name + "' (expected avx512, avx2, generic or auto)";
  }
  active().store(s);
  return "";
}

std::vector<std::string> gemmIsas() {
  std::vector<std::string> out;
  for (const char* isa : {"avx512", "avx2", "generic"}) {
    if (byName(isa)) out.emplace_back(isa);
  }
  return out;
}

void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc,
          GemmEpilogue epilogue) {
  if (M <= 0 || N <= 0) return;
  const Problem p{transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, epilogue};
  if (K <= 0 || alpha == 0.f) {
    scaleOnly(p);
    return;
  }
  const KernelSet& ks = *active().load();
  const double flops = 2.0 * static_cast<double>(M) * static_cast<double>(N) * static_cast<double>(K);
  const int threads = flops < kMinParallelFlops ? 1 : numThreads();
  int tm = 1, tn = 1;
  if (threads > 1) chooseGrid(p, ks, threads, tm, tn);
  if (tm * tn == 1) {
    runBlock(p, ks, 0, M, 0, N);
    return;
  }
  const int64_t mTiles = ceilDiv(M, ks.mr), nTiles = ceilDiv(N, ks.nr);
  parallelRun(tm * tn, [&](int tid, int) {
    const int64_t bi = tid / tn, bj = tid % tn;
    const int64_t m0 = std::min(M, mTiles * bi / tm * ks.mr), m1 = std::min(M, mTiles * (bi + 1) / tm * ks.mr);
    const int64_t n0 = std::min(N, nTiles * bj / tn * ks.nr), n1 = std::min(N, nTiles * (bj + 1) / tn * ks.nr);
    if (m0 < m1 && n0 < n1) runBlock(p, ks, m0, m1, n0, n1);
  });
}

}  // namespace steepest::cpu
