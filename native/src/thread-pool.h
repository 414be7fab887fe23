// The addon's thread pool (thread-pool.cc): one per process, shared by every JS thread that
// loads the addon, sized by setThreads (default: the CPUs the process may run on).
//
// A kernel splits its work into tasks and calls parallelFor; the calling thread runs tasks
// too and returns once all are done, so every JS call stays synchronous. Which thread runs a
// task is left to chance, so a task's result must depend on its index only: kernels split
// independent outputs however they like, and reductions over fixed chunks whose partial
// sums are added in ascending chunk order afterwards (never atomically), so a result is the
// same bit for bit whatever the number of threads.
//
// When the pool is already running a call (another JS thread's, or the caller's own: a
// kernel called from inside a task), parallelFor runs the tasks in order on the calling
// thread instead; the results are the same.
#pragma once
#include <cstdint>
#include <type_traits>

namespace seqcast {

// The threads the process may run on (sched_getaffinity; hardware_concurrency elsewhere), >= 1.
int usableCpus();
// The threads parallelFor uses, the caller included (>= 1).
int poolThreads();
// n >= 1 threads (n - 1 pool workers beside the caller); 0: usableCpus(). Waits for a
// running parallelFor to finish first.
void setPoolThreads(int n);

// task(ctx, i) for every i < tasks, on at most maxThreads threads (0: the pool's); see the
// top of this file.
void parallelForRaw(int tasks, void (*task)(void*, int), void* ctx, int maxThreads);

template <class F>
inline void parallelFor(int tasks, F&& f, int maxThreads = 0) {
  using Fn = typename std::remove_reference<F>::type;
  parallelForRaw(tasks, [](void* c, int i) { (*static_cast<Fn*>(c))(i); }, const_cast<void*>(static_cast<const void*>(&f)),
                 maxThreads);
}

// How many pieces to cut independent work into (each at least `grain` units of `units`),
// for splits whose results do not depend on the cut: a few per thread, so that a thread
// slowed by other load leaves its share to the others. 1 when the pool has one thread.
inline int pieces(int64_t units, int64_t grain) {
  const int threads = poolThreads();
  if (threads <= 1 || units <= grain) return 1;
  const int64_t most = units / grain;
  const int64_t want = 4 * static_cast<int64_t>(threads);
  return static_cast<int>(most < want ? most : want);
}

// f(u0, u1) over [0, units) in pieces() of at least `grain` units each, over the pool.
template <class F>
inline void parallelRanges(int64_t units, int64_t grain, F&& f) {
  const int count = pieces(units, grain < 1 ? 1 : grain);
  parallelFor(count, [&](int piece) { f(units * piece / count, units * (piece + 1) / count); });
}

}  // namespace seqcast
