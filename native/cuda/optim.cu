// The fused optimizer step on the GPU: the same plan as the CPU driver (common/optim/plan.h),
// the same gradient transform and the same per-element rules (common/optim/<rule>.h), each
// rule's element functor instantiated into one kernel per group. `table` is the step table
// (src/backend/step_layout.ts) in host memory.
//
// Synchronization: a step with neither clip-by-norm nor the finite check launches its kernels
// and returns at once. With either, the norm and finite pass runs first and its two numbers are
// read back (one synchronization), because the step's outcome (skipped or not, the norm) is
// reported to the caller; keeping it on the device is a later refinement.
#include <cmath>

#include "common/optim/plan.h"
#include "common/optim/transform.h"
#include "runtime.cuh"

namespace steepest::cuda {
namespace {

using optim::GradTransform;

struct ScanResult {
  double sumsq;
  unsigned int nonFinite;
};

// Sum of squares of the value-clipped gradients (per block in float, then atomically in
// double) and whether any raw gradient is NaN or infinite.
__global__ void scanKernel(const float* g, int64_t n, float clip, ScanResult* out) {
  __shared__ float partial[kThreads];
  __shared__ unsigned int bad;
  if (threadIdx.x == 0) bad = 0;
  __syncthreads();
  float acc = 0.f;
  unsigned int nonFinite = 0;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    float v = g[i];
    nonFinite |= isfinite(v) ? 0u : 1u;
    v = v < -clip ? -clip : v;
    v = v > clip ? clip : v;
    acc += v * v;
  }
  partial[threadIdx.x] = acc;
  if (nonFinite) atomicOr(&bad, 1u);
  __syncthreads();
  for (int stride = kThreads / 2; stride > 0; stride >>= 1) {
    if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    atomicAdd(&out->sumsq, static_cast<double>(partial[0]));
    if (bad) atomicOr(&out->nonFinite, 1u);
  }
}

__global__ void firstNonFiniteKernel(const float* g, int64_t n, unsigned long long* first) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    if (!isfinite(g[i])) atomicMin(first, static_cast<unsigned long long>(i));
  }
}

// The CPU driver's loop body (cpu/optim.cc sweepRange), one element per thread.
template <bool kProximal, class Element>
__global__ void sweepKernel(float* param, const float* grad, float* s0, float* s1, float* s2, int64_t n,
                            GradTransform t, float decay, float shrink, Element rule) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
    float p = param[i];
    const float g = optim::transformGradient(t, grad[i], p);
    p = p * decay;
    rule(p, g, s0, s1, s2, i);
    if (kProximal) p = optim::softThreshold(p, shrink);
    param[i] = p;
  }
}

template <bool kProximal>
void stepGroup(optim::Kind kind, const optim::Arenas& a, const optim::Group& grp, const GradTransform& t) {
  float* s[optim::kMaxSlots];
  for (int k = 0; k < optim::kMaxSlots; ++k) s[k] = a.state[k] == nullptr ? nullptr : a.state[k] + grp.offset;
  optim::withRule(kind, [&](auto rule) {
    decltype(rule)::specialize(grp.row, [&](const auto& element) {
      sweepKernel<kProximal><<<blocksFor(grp.count), kThreads, 0, stream()>>>(
          a.param + grp.offset, a.grad + grp.offset, s[0], s[1], s[2], grp.count, t, grp.decayFactor, grp.l1Shrink,
          element);
    });
  });
}

// Device scratch for the scan's two results, allocated once.
template <class T>
T* scratch() {
  static T* p = nullptr;
  if (p == nullptr) {
    void* raw = nullptr;
    if (steepest_cuda_malloc(sizeof(T), &raw) != STEEPEST_CUDA_OK) return nullptr;
    p = static_cast<T*>(raw);
  }
  return p;
}

}  // namespace
}  // namespace steepest::cuda

using namespace steepest;
using namespace steepest::cuda;

extern "C" int steepest_cuda_optim_step(int kindCode, float* param, const float* grad, float* s0, float* s1, float* s2,
                                        int64_t length, double* table, int groupCount) {
  using optim::Field;
  using H = optim::HeaderField;
  auto head = [table](H f) -> double& { return table[static_cast<int>(f)]; };
  const auto kind = static_cast<optim::Kind>(kindCode);
  if (kindCode < 0 || kind >= optim::Kind::Count) return fail("optimStep: unknown rule code " + std::to_string(kindCode));
  const optim::Arenas arenas{param, grad, {s0, s1, s2}, length};
  optim::Global global;
  global.clipValue = static_cast<float>(head(H::clipValue));
  global.clipNorm = head(H::clipNorm);
  global.checkFinite = head(H::checkFinite) != 0;
  head(H::gradNorm) = -1;
  head(H::nonFiniteIndex) = -1;
  head(H::applied) = 0;

  float clipScale = 1.f;
  if (optim::needsGradientScan(global)) {
    ScanResult* dev = scratch<ScanResult>();
    if (dev == nullptr) return STEEPEST_CUDA_ERROR;
    const ScanResult zero{0.0, 0u};
    int status = check(cudaMemcpyAsync(dev, &zero, sizeof zero, cudaMemcpyHostToDevice, stream()), "optimStep scan");
    if (status != STEEPEST_CUDA_OK) return status;
    scanKernel<<<blocksFor(length), kThreads, 0, stream()>>>(grad, length, global.clipValue, dev);
    ScanResult host{};
    status = steepest_cuda_copy(&host, dev, sizeof host, STEEPEST_CUDA_DEVICE_TO_HOST);
    if (status != STEEPEST_CUDA_OK) return status;
    const double norm = std::sqrt(host.sumsq);
    if (global.clipNorm > 0.0) head(H::gradNorm) = norm;
    if (host.nonFinite && global.checkFinite) {
      unsigned long long* first = scratch<unsigned long long>();
      if (first == nullptr) return STEEPEST_CUDA_ERROR;
      const unsigned long long none = ~0ull;
      cudaMemcpyAsync(first, &none, sizeof none, cudaMemcpyHostToDevice, stream());
      firstNonFiniteKernel<<<blocksFor(length), kThreads, 0, stream()>>>(grad, length, first);
      unsigned long long index = none;
      status = steepest_cuda_copy(&index, first, sizeof index, STEEPEST_CUDA_DEVICE_TO_HOST);
      if (status != STEEPEST_CUDA_OK) return status;
      head(H::nonFiniteIndex) = static_cast<double>(index);
      return STEEPEST_CUDA_OK;  // not applied
    }
    if (global.clipNorm > 0.0) clipScale = optim::clipNormScale(norm, global.clipNorm);
  }
  for (int k = 0; k < groupCount; ++k) {
    const optim::Row row{table + optim::kHeaderSize + k * optim::kRowSize};
    const optim::Group grp = optim::Group::of(row);
    if (grp.count == 0) continue;
    const optim::GradTransform t{global.clipValue, grp.maximize ? -clipScale : clipScale, grp.l1, grp.weightDecay};
    if (grp.proximal) {
      stepGroup<true>(kind, arenas, grp, t);
    } else {
      stepGroup<false>(kind, arenas, grp, t);
    }
  }
  head(H::applied) = 1;
  return checkLaunch("optimStep");
}
