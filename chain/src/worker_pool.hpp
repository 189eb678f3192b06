#pragma once
// A small fixed set of threads that run the items of a batch in parallel, for work that is pure
// and CPU-bound (the tx pool's sender recoveries). The caller of run() works on its own batch too,
// so a pool of N threads gives N + 1 workers, zero threads still works (the caller does it all),
// and a batch of one item never waits for a hand-off. Several callers may run batches at once; a
// worker takes items from the oldest batch first. Nobody spins: idle threads sleep on a condition
// variable, the caller sleeps until the last of its items is done.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace tally::chain {

// Threads a pool may have: more than any machine we run on has cores, so a mistaken configuration
// cannot start thousands of threads.
inline constexpr std::size_t kMaxWorkerThreads = 256;

class WorkerPool {
 public:
  // `threads` extra threads (at most kMaxWorkerThreads, asserted).
  explicit WorkerPool(std::size_t threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Calls task(i) once for every i in [0, count), on this thread and the pool's, and returns when
  // all calls have returned. `task` must not throw and must be safe to call concurrently.
  void run(std::size_t count, const std::function<void(std::size_t)>& task);

  std::size_t threads() const noexcept { return threads_.size(); }

 private:
  struct Batch {
    const std::function<void(std::size_t)>* task = nullptr;
    std::size_t count = 0;
    std::size_t next = 0;  // guarded by WorkerPool::mutex_
    std::size_t done = 0;  // guarded by WorkerPool::mutex_
    std::condition_variable finished;
  };

  // The next item of `batch`, or false when all are taken (then the batch leaves the queue).
  // Requires mutex_ held.
  bool claim(Batch& batch, std::size_t& item);
  // Records one finished item of `batch`. Requires mutex_ held.
  void finish(Batch& batch);
  void work(std::stop_token stop);

  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<Batch*> queue_;  // guarded by mutex_: batches with items not yet taken
  std::vector<std::jthread> threads_;
};

}  // namespace tally::chain
