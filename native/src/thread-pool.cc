// The thread pool of thread-pool.h. Compiled once (baseline flags): it is not vector code.
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
  std::condition_variable done;  // the caller: every worker of the job has finished
  std::vector<std::thread> workers;
  std::atomic<int> threads{1};  // workers + the caller (read without the lock by poolThreads)
  bool stop = false;
  // the current job (written under m before `generation` moves on)
  uint64_t generation = 0;
  void (*task)(void*, int) = nullptr;
  void* ctx = nullptr;
  int tasks = 0;
  int joining = 0;  // workers taking part: those of index < joining
  int pending = 0;  // of those, how many have not finished
  std::atomic<int> next{0};
  // held by the one call using the workers (and by setPoolThreads while it resizes)
  std::atomic<bool> busy{false};
};

Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

void runTasks(Pool& p, void (*task)(void*, int), void* ctx, int tasks) {
  for (int i; (i = p.next.fetch_add(1, std::memory_order_relaxed)) < tasks;) task(ctx, i);
}

void workerLoop(Pool& p, int index) {
  uint64_t seen = 0;
  std::unique_lock<std::mutex> lk(p.m);
  for (;;) {
    p.wake.wait(lk, [&] { return p.stop || p.generation != seen; });
    if (p.stop) return;
    seen = p.generation;
    if (index >= p.joining) continue;
    auto* task = p.task;
    void* ctx = p.ctx;
    const int tasks = p.tasks;
    lk.unlock();
    runTasks(p, task, ctx, tasks);
    lk.lock();
    if (--p.pending == 0) p.done.notify_one();
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
  p.generation = 0;
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

void parallelForRaw(int tasks, void (*task)(void*, int), void* ctx) {
  if (tasks <= 0) return;
  Pool& p = startedPool();
  bool expected = false;
  if (tasks == 1 || p.threads <= 1 || !p.busy.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
    for (int i = 0; i < tasks; i++) task(ctx, i);
    return;
  }
  {
    std::lock_guard<std::mutex> g(p.m);
    p.task = task;
    p.ctx = ctx;
    p.tasks = tasks;
    p.joining = std::min(tasks, p.threads.load()) - 1;
    p.pending = p.joining;
    p.next.store(0, std::memory_order_relaxed);
    p.generation++;
  }
  p.wake.notify_all();
  runTasks(p, task, ctx, tasks);
  {
    std::unique_lock<std::mutex> lk(p.m);
    p.done.wait(lk, [&p] { return p.pending == 0; });
  }
  p.busy.store(false, std::memory_order_release);
}

}  // namespace seqcast
