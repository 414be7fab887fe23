// The thread pool of thread-pool.h. Compiled once (baseline flags): it is not vector code.
//
// A job's tasks are claimed through one atomic ticket holding the job's number and the next
// task's index, so that a worker woken late (on a loaded machine it may not run for
// milliseconds) claims nothing from a job that has ended or from the next one: the caller
// waits only for the tasks, never for the workers to wake up.
#include "thread-pool.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace seqcast {
namespace {

// The pool lives on the heap and is never freed: at process exit its workers may still be
// waiting on its condition variable, which must not be destroyed under them.
struct Pool {
  std::mutex m;
  std::condition_variable wake;  // workers: a new job, or stop
  std::vector<std::thread> workers;
  std::atomic<int> threads{1};  // workers + the caller (read without the lock by poolThreads)
  bool stop = false;
  // the current job, written under m before `job` moves on
  std::atomic<uint32_t> job{0};
  void (*task)(void*, int) = nullptr;
  void* ctx = nullptr;
  int tasks = 0;
  int joining = 0;  // the workers of index below this take part (a job may want fewer threads)
  std::atomic<uint64_t> ticket{0};  // job << 32 | next task
  std::atomic<int> finished{0};     // tasks of the current job done
  // held by the one call using the workers (and by setPoolThreads while it resizes)
  std::atomic<bool> busy{false};
};

Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Claims and runs tasks of job `id` until none is left (or the job is another's by now).
void runTasks(Pool& p, uint32_t id, void (*task)(void*, int), void* ctx, int tasks) {
  uint64_t t = p.ticket.load(std::memory_order_acquire);
  for (;;) {
    if (static_cast<uint32_t>(t >> 32) != id) return;
    const int i = static_cast<int>(t & 0xffffffffu);
    if (i >= tasks) return;
    if (!p.ticket.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel)) continue;
    task(ctx, i);
    p.finished.fetch_add(1, std::memory_order_release);
    t = p.ticket.load(std::memory_order_acquire);
  }
}

// Spins this long for the next job before sleeping: training calls the kernels back to
// back, and a wake-up through the condition variable costs tens of microseconds.
constexpr int kSpins = 4000;

void workerLoop(Pool& p, int index) {
  uint32_t seen = 0;
  for (;;) {
    for (int s = 0; s < kSpins && p.job.load(std::memory_order_acquire) == seen; s++) relax();
    std::unique_lock<std::mutex> lk(p.m);
    p.wake.wait(lk, [&] { return p.stop || p.job.load(std::memory_order_relaxed) != seen; });
    if (p.stop) return;
    seen = p.job.load(std::memory_order_relaxed);
    if (index >= p.joining) continue;
    auto* task = p.task;
    void* ctx = p.ctx;
    const int tasks = p.tasks;
    lk.unlock();
    runTasks(p, seen, task, ctx, tasks);
  }
}

void acquire(Pool& p) {
  bool expected = false;
  while (!p.busy.compare_exchange_weak(expected, true, std::memory_order_acquire)) {
    expected = false;
    std::this_thread::yield();
  }
}

void resize(Pool& p, int threads) {
  {
    std::lock_guard<std::mutex> g(p.m);
    p.stop = true;
  }
  p.wake.notify_all();
  for (auto& t : p.workers) t.join();
  p.workers.clear();
  p.stop = false;
  p.threads = threads;
  for (int i = 0; i < threads - 1; i++) p.workers.emplace_back(workerLoop, std::ref(p), i);
}

std::once_flag started;

Pool& startedPool() {
  Pool& p = pool();
  std::call_once(started, [&p] {
    acquire(p);
    resize(p, usableCpus());
    p.busy.store(false, std::memory_order_release);
  });
  return p;
}

}  // namespace

int usableCpus() {
#ifdef __linux__
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
#endif
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

int poolThreads() { return startedPool().threads; }

void setPoolThreads(int n) {
  Pool& p = startedPool();
  const int threads = n > 0 ? n : usableCpus();
  // the usual call: a worker thread configured as the process was (no wait for a running job)
  if (threads == p.threads.load()) return;
  acquire(p);
  if (threads != p.threads) resize(p, threads);
  p.busy.store(false, std::memory_order_release);
}

void parallelForRaw(int tasks, void (*task)(void*, int), void* ctx, int maxThreads) {
  if (tasks <= 0) return;
  Pool& p = startedPool();
  bool expected = false;
  if (tasks == 1 || p.threads <= 1 || maxThreads == 1 ||
      !p.busy.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
    for (int i = 0; i < tasks; i++) task(ctx, i);
    return;
  }
  uint32_t id;
  {
    std::lock_guard<std::mutex> g(p.m);
    id = p.job.load(std::memory_order_relaxed) + 1;
    p.task = task;
    p.ctx = ctx;
    p.tasks = tasks;
    p.joining = std::min({tasks, p.threads.load(), maxThreads > 0 ? maxThreads : tasks}) - 1;
    p.finished.store(0, std::memory_order_relaxed);
    p.ticket.store(static_cast<uint64_t>(id) << 32, std::memory_order_release);
    p.job.store(id, std::memory_order_release);
  }
  p.wake.notify_all();
  runTasks(p, id, task, ctx, tasks);
  // the tasks other threads claimed are running: wait for them (briefly, as a rule)
  for (int s = 0; p.finished.load(std::memory_order_acquire) < tasks; s++) {
    if (s < 1000)
      relax();
    else
      std::this_thread::yield();
  }
  p.busy.store(false, std::memory_order_release);
}

}  // namespace seqcast
