// The fused optimizer driver: preprocessing and decay around the per-element rules of
// common/optim/ (one header per rule). Every loop body is branch-free over its elements (options are template
// parameters or neutral values such as a clip of +inf), so the compiler vectorizes it.
#include "cpu/optim.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/optim/transform.h"
#include "cpu/threadpool.h"

namespace steepest::cpu {
namespace {

using optim::GradTransform;
using optim::Kind;

// Below 2 * kGrain elements a group is updated on the calling thread (a wake-up of the pool
// costs a few microseconds, about what 16K elements of Adam cost).
constexpr int64_t kGrain = 1 << 14;
// The norm pass sums squares in float over blocks of this many elements, then in double.
constexpr int64_t kBlock = 1024;
constexpr int kLanes = 16;

// On x86-64 Linux with GCC the hot loops are compiled three times (AVX-512, AVX2, baseline) and the
// best one for the running CPU is picked at load time (an ifunc): the addon is built without
// -march flags so it runs everywhere, yet sqrt and division get the widest vectors there are.
// FMA contraction stays off in every clone, so all of them round as the baseline does and as
// PyTorch's CPU kernels do (separate multiply and add).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#pragma GCC optimize("fp-contract=off")
#define SP_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SP_VECTOR_CLONES
#endif

// Sum of squares of the value-clipped gradients over [begin, end), and whether any raw
// gradient is NaN or infinite (all exponent bits set). Both loops are written so the compiler
// vectorizes them without reassociating: the finite check is an integer OR, and squares go
// into kLanes independent float partial sums per block of kBlock elements (then into double).
SP_VECTOR_CLONES void scanRange(const float* g, int64_t begin, int64_t end, float clip, double& sumsq, bool& bad) {
  double total = 0.0;
  uint32_t nonFinite = 0;
  for (int64_t i = begin; i < end; i += kBlock) {
    const int64_t n = std::min(end - i, kBlock);
    const float* x = g + i;
    for (int64_t k = 0; k < n; ++k) {
      uint32_t bits;
      std::memcpy(&bits, x + k, sizeof bits);
      nonFinite |= (bits & 0x7f800000u) == 0x7f800000u;
    }
    float acc[kLanes] = {};
    const int64_t whole = n - n % kLanes;
    for (int64_t k = 0; k < whole; k += kLanes) {
      for (int j = 0; j < kLanes; ++j) {
        float v = x[k + j];
        v = v < -clip ? -clip : v;
        v = v > clip ? clip : v;
        acc[j] += v * v;
      }
    }
    for (int64_t k = whole; k < n; ++k) {
      float v = x[k];
      v = v < -clip ? -clip : v;
      v = v > clip ? clip : v;
      acc[0] += v * v;
    }
    for (int j = 0; j < kLanes; ++j) total += acc[j];
  }
  sumsq = total;
  bad = nonFinite != 0;
}

struct Scan {
  double sumsq = 0.0;
  bool bad = false;
};

Scan scanGradients(const float* g, int64_t n, float clip) {
  const int threads = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>({numThreads(), n / (2 * kGrain), 256})));
  // Per-thread partials on the stack: the step allocates nothing.
  constexpr int kMaxPartials = 256;
  double sums[kMaxPartials] = {};
  bool bads[kMaxPartials] = {};
  parallelRun(threads, [&](int tid, int nt) {
    double s = 0.0;
    bool b = false;
    scanRange(g, n * tid / nt, n * (tid + 1) / nt, clip, s, b);
    sums[tid] = s;
    bads[tid] = b;
  });
  Scan out;
  for (int t = 0; t < threads; ++t) {
    out.sumsq += sums[t];
    out.bad = out.bad || bads[t];
  }
  return out;
}

int64_t firstNonFinite(const float* g, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    if (!std::isfinite(g[i])) return i;
  }
  return -1;
}

// The one loop every optimizer runs: transform the gradient, apply decoupled decay, call the
// rule, soft-threshold. `rule(p, g, s0, s1, s2, i)` updates p and the state it uses at i
// (common/optim/rule.h); it is a small functor holding its hyperparameters by value, and every
// pointer is restrict, so the compiler sees a plain loop it can vectorize.
template <bool kProximal, typename Rule>
SP_VECTOR_CLONES void sweepRange(float* __restrict param, const float* __restrict grad, float* __restrict s0, float* __restrict s1,
                float* __restrict s2, int64_t n, const GradTransform t, const float decay, const float shrink,
                const Rule rule) {
  for (int64_t i = 0; i < n; ++i) {
    float p = param[i];
    const float g = optim::transformGradient(t, grad[i], p);
    p = p * decay;
    rule(p, g, s0, s1, s2, i);
    if (kProximal) p = optim::softThreshold(p, shrink);
    param[i] = p;
  }
}

template <bool kProximal, typename Rule>
void sweep(const OptimGroup& grp, const OptimArenas& a, const GradTransform& t, const Rule& rule) {
  float* s[3];
  for (int k = 0; k < 3; ++k) s[k] = a.state[k] == nullptr ? nullptr : a.state[k] + grp.offset;
  float* param = a.param + grp.offset;
  const float* grad = a.grad + grp.offset;
  parallelFor(grp.count, kGrain, [&](int64_t begin, int64_t end) {
    auto at = [&](float* base) { return base == nullptr ? nullptr : base + begin; };
    sweepRange<kProximal>(param + begin, grad + begin, at(s[0]), at(s[1]), at(s[2]), end - begin, t, grp.decayFactor,
                          grp.l1Shrink, rule);
  });
}

// One group: the rule of `kind` picks its element functor from the group's row, and the sweep
// runs it. Adding a rule needs no edit here (common/optim/rules.h lists them).
template <bool kProximal>
void stepGroup(Kind kind, const OptimArenas& a, const OptimGroup& grp, const GradTransform& t) {
  optim::withRule(kind, [&](auto rule) {
    decltype(rule)::specialize(grp.row, [&](const auto& element) { sweep<kProximal>(grp, a, t, element); });
  });
}

}  // namespace

OptimResult optimStep(Kind kind, const OptimArenas& arenas, const OptimGlobal& global, const OptimGroup* groups,
                      int groupCount) {
  OptimResult result;
  float clipScale = 1.f;
  const bool wantNorm = global.clipNorm > 0.0;
  if (optim::needsGradientScan(global)) {
    const Scan scan = scanGradients(arenas.grad, arenas.length, global.clipValue);
    if (wantNorm) result.gradNorm = std::sqrt(scan.sumsq);
    if (scan.bad && global.checkFinite) {
      result.nonFiniteIndex = firstNonFinite(arenas.grad, arenas.length);
      return result;
    }
    if (wantNorm) clipScale = optim::clipNormScale(result.gradNorm, global.clipNorm);
  }
  for (int k = 0; k < groupCount; ++k) {
    const OptimGroup& grp = groups[k];
    if (grp.count == 0) continue;
    const GradTransform t{global.clipValue, grp.maximize ? -clipScale : clipScale, grp.l1, grp.weightDecay};
    if (grp.proximal) {
      stepGroup<true>(kind, arenas, grp, t);
    } else {
      stepGroup<false>(kind, arenas, grp, t);
    }
  }
  result.applied = true;
  return result;
}

void copyFloats(float* dst, const float* src, int64_t n) {
  parallelFor(n, 1 << 16, [&](int64_t b, int64_t e) {
    std::memcpy(dst + b, src + b, static_cast<size_t>(e - b) * sizeof(float));
  });
}

}  // namespace steepest::cpu
