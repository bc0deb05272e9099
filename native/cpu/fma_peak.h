// The machine's measured fp32 arithmetic peak, the yardstick of the GEMM benchmark's "% of peak"
// column: a loop of independent FMA chains in the widest vectors the CPU has, on T threads, and
// the core clock from a chain of dependent integer adds (one per cycle).
#pragma once
#include <cstdint>

namespace steepest::cpu {

struct FmaPeak {
  double gflops;    // 2 FLOP per lane per FMA, summed over the threads
  const char* isa;  // "avx512", "avx2", "neon" or "scalar": the vectors the loop used
};

// `iters` iterations of 12 independent FMA chains on each of `threads` threads (std::threads
// started for the purpose, not the pool: every thread must run exactly one loop).
FmaPeak fmaPeak(int threads, int64_t iters);

// GHz of one core from `iters` x 100 dependent adds; 0 where no such loop is written (not x86-64
// or aarch64).
double clockGHz(int64_t iters);

}  // namespace steepest::cpu
