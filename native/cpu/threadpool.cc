#include "cpu/threadpool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace steepest::cpu {
namespace {

constexpr int kMaxThreads = 256;
// About 1 ms of polite spinning (pause is ~40-140 cycles, and every 32nd turn yields the core)
// before sleeping: long enough to span the gap between the parallel kernels of a training
// step, short enough that an idle process is soon idle. With 2000 turns (~0.1 ms) the worker
// was asleep by the time the optimizer step came and the caller waited out a futex wake-up
// for every parallel kernel: the handbook MLP's Adam step at 2 threads took 471-536 us at
// batch 1 and 882-982 us at batch 256, against 378-461 and 795-796 us with 20000 turns
// (bench/step shapes, alternating builds).
constexpr int kSpinIterations = 20000;

int defaultThreads() {
  if (const char* env = std::getenv("STEEPEST_NUM_THREADS")) {
    const int n = std::atoi(env);
    if (n >= 1) return std::min(n, kMaxThreads);
  }
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(std::min<unsigned>(hw, kMaxThreads));
}

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Spin politely: pause, and every 32nd turn give the core away. On a loaded machine the thread
// we wait for may be preempted; pure spinning would then burn our whole time slice before it
// runs again (measured: 2-thread GEMM 3-4x slower under load without the yield).
inline void backOff(int spin) {
  if (spin % 32 == 0) {
    std::this_thread::yield();
  } else {
    cpuRelax();
  }
}

class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
      state_.fetch_add(1ull << 16);
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }

  void ensureWorkers(int count) {
    // A new worker starts from the generation current NOW, before run() publishes its job.
    // Reading it inside the new thread instead raced with that publication: a thread that
    // started late took the new job's generation as already seen, never ran it, and run()
    // spun forever waiting for its task (the first parallel kernel of a process hung).
    const uint64_t generation = state_.load() >> 16;
    while (static_cast<int>(workers_.size()) < count) {
      const int id = static_cast<int>(workers_.size()) + 1;
      workers_.emplace_back([this, id, generation] { loop(id, generation); });
    }
  }

  void run(int nthreads, const std::function<void(int, int)>& body) {
    thread_local bool insidePool = false;
    std::unique_lock<std::mutex> dispatch(dispatchMu_, std::try_to_lock);
    if (nthreads <= 1 || insidePool || !dispatch.owns_lock()) {
      for (int t = 0; t < nthreads; ++t) body(t, nthreads);
      return;
    }
    ensureWorkers(nthreads - 1);
    body_ = &body;
    done_.store(0, std::memory_order_relaxed);
    uint64_t generation;
    {
      // Generation and thread count travel in one atomic word, so a worker never pairs a new
      // job with an old count; the claim counter starts at task 0 of the new generation
      // before any worker can see it.
      std::lock_guard<std::mutex> lock(mu_);
      generation = (state_.load() >> 16) + 1;
      claim_.store(generation << 16, std::memory_order_relaxed);
      state_.store(generation << 16 | static_cast<uint64_t>(nthreads), std::memory_order_release);
    }
    cv_.notify_all();
    insidePool = true;
    runTasks(generation, nthreads);
    insidePool = false;
    for (int spin = 1; done_.load(std::memory_order_acquire) != nthreads; ++spin) backOff(spin);
    body_ = nullptr;
  }

 private:
  void loop(int id, uint64_t seen) {
    for (;;) {
      uint64_t state = state_.load(std::memory_order_acquire);
      for (int spin = 0; (state >> 16) == seen && spin < kSpinIterations; ++spin) {
        backOff(spin + 1);
        state = state_.load(std::memory_order_acquire);
      }
      if ((state >> 16) == seen) {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return (state_.load() >> 16) != seen || stop_; });
        state = state_.load(std::memory_order_acquire);
      }
      if (stop_) return;
      seen = state >> 16;
      const int active = static_cast<int>(state & 0xFFFF);
      if (id < active) runTasks(seen, active);
    }
  }

  // Claims the job's tasks one at a time and runs them until none are left. The caller and the
  // workers all do this, so when a worker wakes late (asleep, or its core lent to another
  // process) the caller runs that worker's task too instead of waiting for it: a 2-thread
  // product then takes at worst about as long as on one thread. The claim word carries the
  // generation, so a worker still holding an older generation claims nothing of a newer job.
  void runTasks(uint64_t generation, int count) {
    for (;;) {
      uint64_t claim = claim_.load(std::memory_order_acquire);
      if ((claim >> 16) != generation || static_cast<int>(claim & 0xFFFF) >= count) return;
      if (!claim_.compare_exchange_weak(claim, claim + 1, std::memory_order_acq_rel)) continue;
      (*body_)(static_cast<int>(claim & 0xFFFF), count);
      done_.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::mutex dispatchMu_;
  std::condition_variable cv_;
  std::atomic<uint64_t> state_{0};  // (generation << 16) | threads of the current job
  std::atomic<uint64_t> claim_{0};  // (generation << 16) | next task to hand out
  std::atomic<int> done_{0};        // tasks of the current job finished
  const std::function<void(int, int)>* body_ = nullptr;
  std::atomic<bool> stop_{false};
};

Pool& pool() {
  // Leaked on purpose: joining threads from a static destructor at process exit can deadlock
  // when Node tears down the addon on a worker thread.
  static Pool* p = new Pool();
  return *p;
}

// The process default, and each calling thread's own budget once it sets one: a JS worker
// thread (a tuning trial) that calls setNumThreads changes only its own kernels, so two trials
// on two cores can each run single-threaded side by side instead of queueing for the one pool.
std::atomic<int> threadCount{defaultThreads()};
thread_local int threadBudget = 0;  // 0: not set on this thread, use threadCount

}  // namespace

int numThreads() { return threadBudget > 0 ? threadBudget : threadCount.load(); }

void setNumThreads(int n) { threadBudget = std::clamp(n, 1, kMaxThreads); }

void parallelRun(int nthreads, const std::function<void(int, int)>& body) {
  pool().run(std::clamp(nthreads, 1, kMaxThreads), body);
}

void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& body) {
  if (n <= 0) return;
  grain = std::max<int64_t>(grain, 1);
  const int64_t maxChunks = std::max<int64_t>(1, n / grain);
  const int threads = static_cast<int>(std::min<int64_t>(numThreads(), maxChunks));
  if (threads <= 1 || n < 2 * grain) {
    body(0, n);
    return;
  }
  parallelRun(threads, [&](int tid, int nt) {
    const int64_t begin = n * tid / nt;
    const int64_t end = n * (tid + 1) / nt;
    if (begin < end) body(begin, end);
  });
}

}  // namespace steepest::cpu
