// One persistent pool of worker threads for every CPU kernel (GEMM, large elementwise ops,
// optimizer steps). Workers spin briefly after a job and then sleep, so an idle library costs
// no CPU and does not fight other thread pools in the process.
#pragma once
#include <cstdint>
#include <functional>

namespace steepest::cpu {

// Threads used by parallel kernels called from this thread (the caller counts as one). Each
// calling thread has its own budget: setNumThreads changes only the calling thread's (a JS
// worker's trial does not slow the main thread's kernels); a thread that never set one uses
// the number of cores, or STEEPEST_NUM_THREADS when set.
int numThreads();
void setNumThreads(int n);

// Runs body(tid, nthreads) once for each tid in [0, nthreads) on up to `nthreads` threads, the
// caller included, and returns when all are done. Threads claim tids in turn, so one thread
// may run several (a worker that wakes late finds its share done by the caller): index
// per-task state by tid, not by thread. Nested calls, or calls while another dispatch runs,
// execute serially.
void parallelRun(int nthreads, const std::function<void(int, int)>& body);

// Splits [0, n) into contiguous chunks, one per thread, each at least `grain` long; runs
// inline when the whole range is below 2 * grain, because a wake-up costs more than that.
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& body);

}  // namespace steepest::cpu
