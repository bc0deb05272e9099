// The fused optimizer driver: preprocessing and decay around the per-element rules of
// common/optim_rules.h. Every loop body is branch-free over its elements (options are template
// parameters or neutral values such as a clip of +inf), so the compiler vectorizes it.
#include "cpu/optim.h"

#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

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

template <typename F>
void withBool(bool b, F&& f) {
  if (b) {
    f(std::true_type{});
  } else {
    f(std::false_type{});
  }
}

// Sum of squares of the value-clipped gradients over [begin, end), and whether any raw
// gradient is NaN or infinite (x * 0 is NaN exactly for those).
void scanRange(const float* g, int64_t begin, int64_t end, float clip, double& sumsq, bool& bad) {
  double total = 0.0;
  float poison[kLanes] = {};
  int64_t i = begin;
  while (i < end) {
    const int64_t stop = std::min(end, i + kBlock);
    float acc[kLanes] = {};
    for (; i + kLanes <= stop; i += kLanes) {
      for (int j = 0; j < kLanes; ++j) {
        float x = g[i + j];
        poison[j] += x * 0.f;
        x = x < -clip ? -clip : x;
        x = x > clip ? clip : x;
        acc[j] += x * x;
      }
    }
    for (; i < stop; ++i) {
      float x = g[i];
      poison[0] += x * 0.f;
      x = x < -clip ? -clip : x;
      x = x > clip ? clip : x;
      acc[0] += x * x;
    }
    for (int j = 0; j < kLanes; ++j) total += acc[j];
  }
  float p = 0.f;
  for (int j = 0; j < kLanes; ++j) p += poison[j];
  sumsq = total;
  bad = !(p == 0.f);
}

struct Scan {
  double sumsq = 0.0;
  bool bad = false;
};

Scan scanGradients(const float* g, int64_t n, float clip) {
  const int threads = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(numThreads(), n / (2 * kGrain))));
  std::vector<double> sums(threads, 0.0);
  std::vector<char> bads(threads, 0);
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
// rule, soft-threshold. `rule(p, g, i)` updates p (and the state at i) in place.
template <bool kProximal, typename Rule>
void sweep(const OptimGroup& grp, const OptimArenas& a, const GradTransform& t, Rule rule) {
  float* __restrict param = a.param + grp.offset;
  const float* __restrict grad = a.grad + grp.offset;
  const float decay = grp.decayFactor;
  const float shrink = grp.l1Shrink;
  parallelFor(grp.count, kGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      float p = param[i];
      const float g = optim::transformGradient(t, grad[i], p);
      p = p * decay;
      rule(p, g, i);
      if (kProximal) p = optim::softThreshold(p, shrink);
      param[i] = p;
    }
  });
}

float* slot(const OptimArenas& a, const OptimGroup& grp, int k) {
  return a.state[k] == nullptr ? nullptr : a.state[k] + grp.offset;
}

template <bool kProximal>
void stepGroup(Kind kind, const OptimArenas& a, const OptimGroup& grp, const GradTransform& t) {
  float* __restrict s0 = slot(a, grp, 0);
  float* __restrict s1 = slot(a, grp, 1);
  float* __restrict s2 = slot(a, grp, 2);
  switch (kind) {
    case Kind::Sgd: {
      const optim::SgdHyper h{grp.lr, grp.momentum, grp.oneMinusDampening};
      const bool first = grp.firstStep;
      withBool(grp.momentum != 0.f, [&](auto mom) {
        withBool(grp.nesterov, [&](auto nest) {
          sweep<kProximal>(grp, a, t, [&](float& p, float g, int64_t i) {
            float unused = 0.f;
            optim::sgdElement<mom.value, nest.value>(h, first, p, g, mom.value ? s0[i] : unused);
          });
        });
      });
      break;
    }
    case Kind::RmsProp: {
      const optim::RmsPropHyper h{grp.lr, grp.alpha, grp.oneMinusAlpha, grp.eps, grp.epsIn, grp.momentum};
      withBool(grp.centered, [&](auto cen) {
        withBool(grp.momentum > 0.f, [&](auto mom) {
          sweep<kProximal>(grp, a, t, [&](float& p, float g, int64_t i) {
            float u1 = 0.f, u2 = 0.f;
            optim::rmspropElement<cen.value, mom.value>(h, p, g, s0[i], mom.value ? s1[i] : u1,
                                                        cen.value ? s2[i] : u2);
          });
        });
      });
      break;
    }
    case Kind::Adam: {
      const optim::AdamHyper h{grp.beta1, grp.oneMinusBeta1, grp.beta2, grp.oneMinusBeta2, grp.eps, grp.stepSize,
                                  grp.bc2Sqrt};
      withBool(grp.amsgrad, [&](auto ams) {
        sweep<kProximal>(grp, a, t, [&](float& p, float g, int64_t i) {
          float unused = 0.f;
          optim::adamElement<ams.value>(h, p, g, s0[i], s1[i], ams.value ? s2[i] : unused);
        });
      });
      break;
    }
    case Kind::Adagrad: {
      const optim::AdagradHyper h{grp.clr, grp.eps};
      sweep<kProximal>(grp, a, t, [&](float& p, float g, int64_t i) { optim::adagradElement(h, p, g, s0[i]); });
      break;
    }
    default: break;
  }
}

}  // namespace

bool optimNeedsState(Kind kind, const OptimGroup& g, int k) {
  switch (kind) {
    case Kind::Sgd: return k == 0 && g.momentum != 0.f;
    case Kind::RmsProp: return k == 0 || (k == 1 && g.momentum > 0.f) || (k == 2 && g.centered);
    case Kind::Adam: return k < 2 || (k == 2 && g.amsgrad);
    case Kind::Adagrad: return k == 0;
    default: return false;
  }
}

OptimResult optimStep(Kind kind, const OptimArenas& arenas, const OptimGlobal& global, const OptimGroup* groups,
                      int groupCount) {
  OptimResult result;
  float clipScale = 1.f;
  const bool wantNorm = global.clipNorm > 0.0;
  if (wantNorm || global.checkFinite) {
    const Scan scan = scanGradients(arenas.grad, arenas.length, global.clipValue);
    if (wantNorm) result.gradNorm = std::sqrt(scan.sumsq);
    if (scan.bad && global.checkFinite) {
      result.nonFiniteIndex = firstNonFinite(arenas.grad, arenas.length);
      return result;
    }
    // torch.nn.utils.clip_grad_norm_: coef = maxNorm / (norm + 1e-6), clamped to at most 1.
    if (wantNorm) clipScale = static_cast<float>(std::min(1.0, global.clipNorm / (result.gradNorm + 1e-6)));
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
