#include "worker_pool.hpp"

#include <algorithm>

#include <tally/core/assert.hpp>

namespace tally::chain {

WorkerPool::WorkerPool(std::size_t threads) {
  TALLY_ASSERT(threads <= kMaxWorkerThreads);
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i)
    threads_.emplace_back([this](std::stop_token stop) { work(stop); });
}

WorkerPool::~WorkerPool() {
  // No batch can be running: run() returns only when its batch is done, and the owner does not
  // destroy the pool while calling it. jthread's destructor requests the stop, which wakes wait().
  const std::lock_guard lock(mutex_);
  TALLY_ASSERT(queue_.empty());
}

bool WorkerPool::claim(Batch& batch, std::size_t& item) {
  if (batch.next == batch.count)
    return false;
  item = batch.next++;
  if (batch.next == batch.count) {
    const auto it = std::find(queue_.begin(), queue_.end(), &batch);
    if (it != queue_.end())
      queue_.erase(it);
  }
  return true;
}

void WorkerPool::finish(Batch& batch) {
  ++batch.done;
  if (batch.done == batch.count)
    batch.finished.notify_one();
}

void WorkerPool::run(std::size_t count, const std::function<void(std::size_t)>& task) {
  if (count == 0)
    return;
  Batch batch;
  batch.task = &task;
  batch.count = count;
  std::unique_lock lock(mutex_);
  if (count > 1 && !threads_.empty()) {
    queue_.push_back(&batch);
    wake_.notify_all();
  }
  std::size_t item = 0;
  while (claim(batch, item)) {
    lock.unlock();
    task(item);
    lock.lock();
    finish(batch);
  }
  // The batch left the queue when its last item was taken; workers may still be running some.
  batch.finished.wait(lock, [&batch] { return batch.done == batch.count; });
}

void WorkerPool::work(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (wake_.wait(lock, stop, [this] { return !queue_.empty(); })) {
    Batch& batch = *queue_.front();
    std::size_t item = 0;
    if (!claim(batch, item))
      continue;
    lock.unlock();
    (*batch.task)(item);
    lock.lock();
    finish(batch);
  }
}

}  // namespace tally::chain
