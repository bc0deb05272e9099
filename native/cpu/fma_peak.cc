// FMA peak and clock loops (fma_peak.h). 12 accumulator chains cover an FMA latency of 4 cycles on
// two FMA ports (4 x 2 = 8 in flight, 12 leaves slack); the empty asm on x and y keeps the compiler
// from folding the loop. Peak FLOP/s = iters x threads x 12 chains x lanes x 2.
#include "cpu/fma_peak.h"

#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

namespace steepest::cpu {
namespace {

volatile float sink;  // the chains' sum, so the loops are not dead code

#define SP_STEP(f)                                                                       \
  a0 = f(a0, x, y); a1 = f(a1, x, y); a2 = f(a2, x, y); a3 = f(a3, x, y);                  \
  a4 = f(a4, x, y); a5 = f(a5, x, y); a6 = f(a6, x, y); a7 = f(a7, x, y);                  \
  a8 = f(a8, x, y); a9 = f(a9, x, y); a10 = f(a10, x, y); a11 = f(a11, x, y)

// Distinct starting values: identical chains would be merged into one by the compiler.
#define SP_CHAINS(set)                                                                   \
  auto a0 = set(0), a1 = set(1), a2 = set(2), a3 = set(3), a4 = set(4), a5 = set(5),       \
       a6 = set(6), a7 = set(7), a8 = set(8), a9 = set(9), a10 = set(10), a11 = set(11);   \
  auto x = set(0.999999f), y = set(1e-7f)

#define SP_SUM(add) add(add(add(add(a0, a1), add(a2, a3)), add(add(a4, a5), add(a6, a7))), add(add(a8, a9), add(a10, a11)))

#if defined(__x86_64__) || defined(_M_X64)
__attribute__((target("avx512f"))) float fma512(int64_t iters) {
  SP_CHAINS(_mm512_set1_ps);
  for (int64_t i = 0; i < iters; ++i) {
    SP_STEP(_mm512_fmadd_ps);
    __asm__ volatile("" : "+v"(x), "+v"(y));
  }
  return _mm512_reduce_add_ps(SP_SUM(_mm512_add_ps));
}

__attribute__((target("avx2,fma"))) float fma256(int64_t iters) {
  SP_CHAINS(_mm256_set1_ps);
  for (int64_t i = 0; i < iters; ++i) {
    SP_STEP(_mm256_fmadd_ps);
    __asm__ volatile("" : "+x"(x), "+x"(y));
  }
  float t[8];
  _mm256_storeu_ps(t, SP_SUM(_mm256_add_ps));
  return t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
}
#elif defined(__aarch64__)
float fmaNeon(int64_t iters) {
  SP_CHAINS(vdupq_n_f32);
  for (int64_t i = 0; i < iters; ++i) {
    SP_STEP(vfmaq_f32);  // a + x * y
    __asm__ volatile("" : "+w"(x), "+w"(y));
  }
  return vaddvq_f32(SP_SUM(vaddq_f32));
}
#endif

float fmaScalar(int64_t iters) {
  const auto set = [](float v) { return v; };
  SP_CHAINS(set);
  const auto fma = [](float a, float b, float c) { return std::fma(b, c, a); };
  for (int64_t i = 0; i < iters; ++i) {
    SP_STEP(fma);  // strict IEEE arithmetic: the compiler cannot fold the chain
  }
  const auto add = [](float a, float b) { return a + b; };
  return SP_SUM(add);
}

struct Loop {
  float (*run)(int64_t);
  const char* isa;
  int lanes;
};

Loop widest() {
#if defined(__x86_64__) || defined(_M_X64)
  if (__builtin_cpu_supports("avx512f")) return {fma512, "avx512", 16};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {fma256, "avx2", 8};
#elif defined(__aarch64__)
  return {fmaNeon, "neon", 4};
#endif
  return {fmaScalar, "scalar", 1};
}

double seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

FmaPeak fmaPeak(int threads, int64_t iters) {
  const Loop loop = widest();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> others;
  others.reserve(static_cast<size_t>(threads - 1));
  for (int i = 1; i < threads; ++i) others.emplace_back([&] { sink = loop.run(iters); });
  sink = loop.run(iters);
  for (auto& t : others) t.join();
  const double flop = static_cast<double>(iters) * threads * 12 * loop.lanes * 2;
  return {flop / seconds(t0) / 1e9, loop.isa};
}

double clockGHz(int64_t iters) {
#if defined(__x86_64__) || defined(__aarch64__)
  uint64_t v = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < iters; ++i) {
#if defined(__x86_64__)
#define SP_A10 "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" \
               "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t"
#else
#define SP_A10 "add %0, %0, #1\n\t" "add %0, %0, #1\n\t" "add %0, %0, #1\n\t" "add %0, %0, #1\n\t" "add %0, %0, #1\n\t" \
               "add %0, %0, #1\n\t" "add %0, %0, #1\n\t" "add %0, %0, #1\n\t" "add %0, %0, #1\n\t" "add %0, %0, #1\n\t"
#endif
    __asm__ volatile(SP_A10 SP_A10 SP_A10 SP_A10 SP_A10 SP_A10 SP_A10 SP_A10 SP_A10 SP_A10 : "+r"(v));
  }
  return static_cast<double>(iters) * 100 / seconds(t0) / 1e9;
#else
  (void)iters;
  return 0;
#endif
}

}  // namespace steepest::cpu
