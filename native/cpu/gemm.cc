// GEMM driver: BLIS-style blocking around the per-ISA micro-kernels (gemm_kernel.h).
//
// Two loop orders (runBPanelInL1 for the training shapes, runAPanelInL1 for large products;
// runBlock picks) and, on AVX-512, two tile shapes (kernelsFor picks). Order 1:
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
// ... and (untransposed) A of any width when one depth block of it, M x KC, takes at most this
// many bytes: re-reading a block that small from L2 for every column panel costs less than
// packing it (see kernelsFor).
constexpr double kDirectAMaxBlockBytes = 256.0 * 1024;

// Loop-order choice (runBlock): order 1 while a packed block of B, kOrderChoiceDepth deep and as
// wide as the thread's columns, fits in this many bytes (half this machine's 1.25 MiB L2,
// leaving room for the A block), order 2 beyond, with an A block of up to kWideMc rows (it
// lives in L3). The boundary was measured with order 1 running 256-deep blocks; order 1 now
// runs 128-deep ones (KernelSet::kc), but order 2 still wins from about 512 columns on
// (1024^3 and 768^3: 0.86-0.88x in order 1 at depth 128), so the test keeps depth 256.
constexpr double kBPanelInL1MaxBBlockBytes = 512.0 * 1024;
constexpr int64_t kOrderChoiceDepth = 256;
constexpr int64_t kWideMc = 4096;

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

// The depth of each block when K is cut into equal blocks of at most kc, so the last one is
// not a sliver (K = 784, kc = 128: 7 x 112 rather than 6 x 128 + 16).
int64_t depthBlock(int64_t K, int64_t kc) { return ceilDiv(K, ceilDiv(K, kc)); }

// One thread's rectangle of C, rows [m0, m1) x columns [n0, n1): its blocking decisions,
// packing buffers and the pointer arithmetic that aims a MicroTile at its operands. The two
// loop orders below (runBPanelInL1, runAPanelInL1) drive it.
class Block {
 public:
  Block(const Problem& p, const KernelSet& ks, int64_t m0, int64_t m1, int64_t n0, int64_t n1, int64_t kc,
        int64_t mc, int64_t nc)
      : problem(p), kernels(ks), M(m1 - m0), N(n1 - n0), m0_(m0), n0_(n0) {
    kcMax = depthBlock(p.K, kc);
    mcMax = std::min(mc, ceilDiv(M, ks.mr) * ks.mr);
    ncMax = std::min(nc, ceilDiv(N, ks.nr) * ks.nr);
    // A^T read in place touches one cache line per k for MR floats: worth it only for short depths.
    directA = ks.aInPlace || (ceilDiv(N, ks.nr) <= kDirectAMaxTiles && (!p.transA || kcMax <= kDirectATransMaxDepth));
    directB = !p.transB && ceilDiv(M, ks.mr) <= kDirectBMaxTiles;
    tile.ldc = p.ldc;
    tile.alpha = p.alpha;
  }

  // The thread's packing buffers, grown to this block's needs (kept between calls).
  void acquireBuffers() {
    Buffers& buf = tlsBuffers;
    packedA_ = directA ? nullptr : buf.a.get(static_cast<size_t>(mcMax * kcMax));
    packedB_ = directB ? nullptr : buf.b.get(static_cast<size_t>(ncMax * kcMax));
    edgeA_ = buf.edgeA.get(static_cast<size_t>(kernels.mr * kcMax));
    edgeB_ = buf.edgeB.get(static_cast<size_t>(kernels.nr * kcMax));
  }

  // Depth block [pc, pc + kc): beta applies to the first block only, bias and ReLU to the last.
  void setDepth(int64_t pc, int64_t kc) {
    pc_ = pc;
    tile.k = kc;
    tile.beta = pc == 0 ? problem.beta : 1.f;
    last_ = pc + kc == problem.K;
    tile.relu = last_ && problem.epi.relu;
  }

  // Rows [ic, ic + mc) of op(A) at the current depth: packed, or read in place with only the
  // partial last panel packed (zero padded, so kernels never read past the matrix).
  void loadA(int64_t ic, int64_t mc) {
    ic_ = ic;
    mFull_ = directA ? mc / kernels.mr * kernels.mr : mc;
    if (!directA) {
      gemm_detail::packA(kernels, problem.transA, problem.a(m0_ + ic, pc_), problem.lda, mc, tile.k, packedA_);
    } else if (mFull_ < mc) {
      gemm_detail::packA(kernels, problem.transA, problem.a(m0_ + ic + mFull_, pc_), problem.lda, mc - mFull_, tile.k, edgeA_);
    }
  }

  // Columns [jc, jc + nc) of op(B) at the current depth, likewise.
  void loadB(int64_t jc, int64_t nc) {
    jc_ = jc;
    nFull_ = directB ? nc / kernels.nr * kernels.nr : nc;
    if (!directB) {
      gemm_detail::packB(kernels, problem.transB, problem.b(pc_, n0_ + jc), problem.ldb, tile.k, nc, packedB_);
    } else if (nFull_ < nc) {
      gemm_detail::packB(kernels, false, problem.b(pc_, n0_ + jc + nFull_), problem.ldb, tile.k, nc - nFull_, edgeB_);
    }
  }

  // Aims the tile at rows ir.. of the loaded A block; returns the kernel for how A is read.
  gemm_detail::MicroKernelFn aimA(int64_t ir, int64_t mc) {
    tile.m = static_cast<int>(std::min<int64_t>(kernels.mr, mc - ir));
    if (!directA || ir >= mFull_) {
      tile.a = directA ? edgeA_ : packedA_ + ir / kernels.mr * tile.k * kernels.mr;
      tile.aStride = kernels.mr;
      return kernels.columns;
    }
    tile.a = problem.a(m0_ + ic_ + ir, pc_);
    tile.aStride = problem.lda;
    return problem.transA ? kernels.columns : kernels.rows;
  }

  // Aims the tile at columns jr.. of the loaded B block (and the matching bias).
  void aimB(int64_t jr, int64_t nc) {
    tile.n = static_cast<int>(std::min<int64_t>(kernels.nr, nc - jr));
    if (!directB) {
      tile.b = packedB_ + jr / kernels.nr * tile.k * kernels.nr;
      tile.bStride = kernels.nr;
      tile.prefetchB = streamB;
    } else if (jr < nFull_) {
      tile.b = problem.b(pc_, n0_ + jc_ + jr);
      tile.bStride = problem.ldb;
      tile.prefetchB = true;
    } else {
      tile.b = edgeB_;
      tile.bStride = kernels.nr;
      tile.prefetchB = streamB;
    }
    tile.bias = last_ && problem.epi.bias ? problem.epi.bias + n0_ + jc_ + jr : nullptr;
  }

  void aimC(int64_t ir, int64_t jr) { tile.c = problem.C + (m0_ + ic_ + ir) * problem.ldc + n0_ + jc_ + jr; }

  const Problem& problem;
  const KernelSet& kernels;
  const int64_t M, N;  // the rectangle's size
  int64_t kcMax, mcMax, ncMax;
  bool directA, directB;
  // Set by a loop order whose B micro-panels stream through L1 instead of staying there; with
  // B read in place (directB) it streams anyway. Either way the kernel then prefetches B:
  // measured 1.03-1.06x on squares 1024-2048 (order 2) and 1.09x on the batch-32 forward
  // (B in place), but 0.96-1.0x with order 1's L1-resident panels, which therefore go without.
  bool streamB = false;
  MicroTile tile{};

 private:
  const int64_t m0_, n0_;  // the rectangle's origin in C
  float *packedA_ = nullptr, *packedB_ = nullptr, *edgeA_ = nullptr, *edgeB_ = nullptr;
  int64_t pc_ = 0, ic_ = 0, jc_ = 0, mFull_ = 0, nFull_ = 0;
  bool last_ = false;
};

// Loop order 1, for the training shapes (BLIS's loop nest, with BLIS's names for the loops):
//   jc (NC of B, L3) > pc (KC) > ic (MC rows of A, L2) > jr (B micro-panel, L1) > ir (A streams)
// The KC x NR micro-panel of B is re-read from L1 by every MR-row tile of the A block.
void runBPanelInL1(Block& blk) {
  const KernelSet& ks = blk.kernels;
  for (int64_t jc = 0; jc < blk.N; jc += blk.ncMax) {
    const int64_t nc = std::min(blk.ncMax, blk.N - jc);
    for (int64_t pc = 0; pc < blk.problem.K; pc += blk.kcMax) {
      blk.setDepth(pc, std::min(blk.kcMax, blk.problem.K - pc));
      blk.loadB(jc, nc);
      for (int64_t ic = 0; ic < blk.M; ic += blk.mcMax) {
        const int64_t mc = std::min(blk.mcMax, blk.M - ic);
        blk.loadA(ic, mc);
        for (int64_t jr = 0; jr < nc; jr += ks.nr) {
          blk.aimB(jr, nc);
          for (int64_t ir = 0; ir < mc; ir += ks.mr) {
            const auto kernel = blk.aimA(ir, mc);
            blk.aimC(ir, jr);
            kernel(blk.tile);
          }
        }
      }
    }
  }
}

// Loop order 2, for large products (both operands packed and B too wide for order 1's block
// to share L2 with A): the same nest with the roles of A and B swapped, so that, as in BLIS's
// column-major kernels, the operand kept in L1 is the one the kernel broadcasts:
//   ic (rows of A, L3) > pc (KC) > jc (KC x NC block of B, L2) > ir (A micro-panel, L1) > jr
// The MR x KC micro-panel of A stays in L1 while the B micro-panels stream from L2 through it.
// Measured on square 1024-2048 products, alternating with order 1 in one process: 6-12 %
// faster (docs/gemm.md); order 1 stays ahead on the skinny training shapes.
void runAPanelInL1(Block& blk) {
  const KernelSet& ks = blk.kernels;
  blk.streamB = true;
  for (int64_t ic = 0; ic < blk.M; ic += blk.mcMax) {
    const int64_t mc = std::min(blk.mcMax, blk.M - ic);
    for (int64_t pc = 0; pc < blk.problem.K; pc += blk.kcMax) {
      blk.setDepth(pc, std::min(blk.kcMax, blk.problem.K - pc));
      blk.loadA(ic, mc);
      for (int64_t jc = 0; jc < blk.N; jc += blk.ncMax) {
        const int64_t nc = std::min(blk.ncMax, blk.N - jc);
        blk.loadB(jc, nc);
        for (int64_t ir = 0; ir < mc; ir += ks.mr) {
          const auto kernel = blk.aimA(ir, mc);
          for (int64_t jr = 0; jr < nc; jr += ks.nr) {
            blk.aimB(jr, nc);
            blk.aimC(ir, jr);
            kernel(blk.tile);
          }
        }
      }
    }
  }
}

// Runs the rectangle rows [m0, m1) x columns [n0, n1) of C in the loop order that suits it.
void runBlock(const Problem& p, const KernelSet& ks, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
  Block skinny(p, ks, m0, m1, n0, n1, ks.kc, ks.mc, ks.nc);
  const int64_t depth = depthBlock(p.K, kOrderChoiceDepth);
  const double bBlockBytes = 4.0 * static_cast<double>(depth) * static_cast<double>(skinny.ncMax);
  if (skinny.directA || skinny.directB || bBlockBytes <= kBPanelInL1MaxBBlockBytes) {
    skinny.acquireBuffers();
    runBPanelInL1(skinny);
    return;
  }
  Block wide(p, ks, m0, m1, n0, n1, ks.kcWide, kWideMc, ks.ncWide);
  wide.acquireBuffers();
  runAPanelInL1(wide);
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

// The kernel set for a product: the ISA's own, or its rowsInPlace variant when every thread
// can read A in place row by row while B gets packed anyway (more than kDirectBMaxTiles tiles
// of rows). A is read in place when it is not transposed and either narrow products reuse it
// little (at most kDirectAMaxTiles tiles of columns: the forward passes) or one depth block of
// it is small enough to be re-read from L2 for every 64-column panel (kDirectAMaxBlockBytes:
// the input gradient, batch x 128 times 128 x 784). Both conditions only get truer for a
// thread's share of the rows or columns, so every thread reads A in place. Measured on the
// input gradient against 12 x 32 with A packed, alternating in one process: 1.07-1.11x at
// 1 thread (batch 128, 256), 1.05-1.13x at 2; 1.07-1.18x on other such products
// (384 x 512 x 128, 128 x 512 x 512, 256 x 1024 x 1024), 1.14x on square 512 (admitted since
// KC became 128); batch 32 keeps 12 x 32.
const KernelSet& kernelsFor(const Problem& p, const KernelSet& base) {
  if (p.transA || p.M <= kDirectBMaxTiles * base.mr || !base.rowsInPlace) return base;
  const int64_t kc = depthBlock(p.K, base.kc);
  const double aBlockBytes = 4.0 * static_cast<double>(p.M) * static_cast<double>(kc);
  const bool narrow = p.N <= kDirectAMaxTiles * base.nr;
  return narrow || aBlockBytes <= kDirectAMaxBlockBytes ? *base.rowsInPlace : base;
}

// Estimated cycles for one thread's rows x cols rectangle of C: the FMAs (MR x NR lanes per
// k-step take MR * NR / 32 cycles at two 16-lane FMAs per cycle) plus packing the operands it
// does not read in place, each thread packing its own: about a quarter cycle per float copied
// into panels, three quarters per float transposed into them (8 x 8 register transposes).
double blockCycles(const Problem& p, const KernelSet& ks, int64_t rows, int64_t cols) {
  const Block b(p, ks, 0, rows, 0, cols, ks.kc, ks.mc, ks.nc);
  constexpr double kCopy = 0.25, kTranspose = 0.75;
  const double packA = b.directA ? 0.0 : p.transA ? kCopy : kTranspose;
  const double packB = b.directB ? 0.0 : p.transB ? kTranspose : kCopy;
  const double r = static_cast<double>(rows), c = static_cast<double>(cols), k = static_cast<double>(p.K);
  return r * c * k / 32.0 + k * (r * packA + c * packB);
}

// Splits C among `threads` threads as a tm x tn grid of rectangles on tile boundaries, choosing
// the grid whose slowest rectangle has the smallest blockCycles: splitting rows makes every
// thread pack all of B, splitting columns all of A, so the split follows the cheaper operand.
void chooseGrid(const Problem& p, const KernelSet& ks, int threads, int& tm, int& tn) {
  const int64_t mTiles = ceilDiv(p.M, ks.mr), nTiles = ceilDiv(p.N, ks.nr);
  double best = -1;
  tm = tn = 1;
  for (int a = 1; a <= threads; ++a) {
    if (threads % a != 0) continue;
    const int b = threads / a;
    if (a > mTiles || b > nTiles) continue;
    const int64_t rows = std::min(p.M, ceilDiv(mTiles, a) * ks.mr);
    const int64_t cols = std::min(p.N, ceilDiv(nTiles, b) * ks.nr);
    const double cost = blockCycles(p, ks, rows, cols);
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

namespace {

// One product, on the pool's threads when `threaded` and the product is large enough.
void run(const Problem& p, bool threaded) {
  if (p.M <= 0 || p.N <= 0) return;
  if (p.K <= 0 || p.alpha == 0.f) {
    scaleOnly(p);
    return;
  }
  const KernelSet& ks = kernelsFor(p, *active().load());
  const double flops = 2.0 * static_cast<double>(p.M) * static_cast<double>(p.N) * static_cast<double>(p.K);
  const int threads = !threaded || flops < kMinParallelFlops ? 1 : numThreads();
  int tm = 1, tn = 1;
  if (threads > 1) chooseGrid(p, ks, threads, tm, tn);
  if (tm * tn == 1) {
    runBlock(p, ks, 0, p.M, 0, p.N);
    return;
  }
  const int64_t mTiles = ceilDiv(p.M, ks.mr), nTiles = ceilDiv(p.N, ks.nr);
  parallelRun(tm * tn, [&](int tid, int) {
    const int64_t bi = tid / tn, bj = tid % tn;
    const int64_t m0 = std::min(p.M, mTiles * bi / tm * ks.mr), m1 = std::min(p.M, mTiles * (bi + 1) / tm * ks.mr);
    const int64_t n0 = std::min(p.N, nTiles * bj / tn * ks.nr), n1 = std::min(p.N, nTiles * (bj + 1) / tn * ks.nr);
    if (m0 < m1 && n0 < n1) runBlock(p, ks, m0, m1, n0, n1);
  });
}

}  // namespace

void gemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
          int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc,
          GemmEpilogue epilogue) {
  run(Problem{transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, epilogue}, true);
}

void gemmStridedBatched(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
                        int64_t lda, int64_t strideA, const float* B, int64_t ldb, int64_t strideB, float beta,
                        float* C, int64_t ldc, int64_t strideC, int64_t batch) {
  const auto at = [&](int64_t i) {
    return Problem{transA, transB, M, N, K, alpha, A + i * strideA, lda, B + i * strideB, ldb, beta, C + i * strideC, ldc, {}};
  };
  const double flops = 2.0 * static_cast<double>(M) * static_cast<double>(N) * static_cast<double>(K);
  if (batch == 1 || flops >= kMinParallelFlops) {
    // Each product is large enough to thread on its own.
    for (int64_t i = 0; i < batch; ++i) run(at(i), true);
    return;
  }
  // Small products (attention's per-head L x d by d x S): whole products per thread, each task
  // worth at least half of kMinParallelFlops so a wake-up stays cheap next to it.
  const int64_t grain = std::max<int64_t>(1, static_cast<int64_t>(kMinParallelFlops / 2 / std::max(flops, 1.0)));
  parallelFor(batch, grain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) run(at(i), false);
  });
}

}  // namespace steepest::cpu
