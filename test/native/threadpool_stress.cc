// Stress program for native/cpu/threadpool.cc, compiled and run by threadpool.test.ts.
// Checks that parallelRun runs every task index exactly once with the right count, for 1-5
// threads on this machine's cores (so workers are often late and the caller claims their
// tasks), and when two threads dispatch at once (one of them runs its job serially).
// Prints "ok <jobs>" or the first problem, and exits non-zero on a problem.
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "cpu/threadpool.h"

using steepest::cpu::parallelRun;
using steepest::cpu::setNumThreads;

int main() {
  std::atomic<long> errors{0};
  long jobs = 0;
  for (int it = 0; it < 100000; ++it) {
    const int n = 1 + it % 5;
    setNumThreads(n);
    std::vector<std::atomic<int>> hits(n);
    for (auto& h : hits) h = 0;
    parallelRun(n, [&](int tid, int count) {
      if (count != n || tid < 0 || tid >= n) {
        ++errors;
        return;
      }
      hits[tid].fetch_add(1);
      if (it % 97 == 0) std::this_thread::yield();  // let the other threads catch up, or not
    });
    for (int t = 0; t < n; ++t) {
      if (hits[t].load() != 1) {
        std::printf("job %d: task %d of %d ran %d times\n", it, t, n, hits[t].load());
        return 1;
      }
    }
    ++jobs;
  }
  std::atomic<long> concurrent{0};
  auto dispatch = [&] {
    for (int i = 0; i < 20000; ++i) {
      std::atomic<int> ran{0};
      parallelRun(2, [&](int, int) { ++ran; });
      if (ran != 2) ++errors;
      ++concurrent;
    }
  };
  setNumThreads(2);
  std::thread a(dispatch), b(dispatch);
  a.join();
  b.join();
  if (errors != 0) {
    std::printf("%ld bad task calls\n", errors.load());
    return 1;
  }
  std::printf("ok %ld\n", jobs + concurrent.load());
  return 0;
}
