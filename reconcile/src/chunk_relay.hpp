#pragma once
// Internal to ingest: a file's records handed from its parsing thread to the staging thread in
// chunks of T, at most `capacity` chunks waiting, so parsing overlaps the store's inserts and
// memory stays bounded. One producer, one consumer. close() says no more chunks will come;
// cancel() (the consumer gave up) makes every later push refuse and cancelled() true, which the
// producer asks before each item, so it stops at its next record.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace tally::reconcile {

template <typename T>
class ChunkRelay {
 public:
  using Chunk = std::vector<T>;

  explicit ChunkRelay(std::size_t capacity) : capacity_(capacity) {}

  // Waits while `capacity` chunks wait; false when cancelled (the chunk is dropped).
  bool push(Chunk chunk) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return cancelled_ || chunks_.size() < capacity_; });
    if (cancelled_)
      return false;
    chunks_.push_back(std::move(chunk));
    changed_.notify_all();
    return true;
  }
  // The next chunk, waiting for it; nothing once closed (or cancelled) and drained.
  std::optional<Chunk> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return cancelled_ || closed_ || !chunks_.empty(); });
    if (cancelled_ || chunks_.empty())
      return std::nullopt;
    Chunk chunk = std::move(chunks_.front());
    chunks_.pop_front();
    changed_.notify_all();
    return chunk;
  }
  void close() {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  void cancel() {
    const std::lock_guard lock(mutex_);
    cancelled_ = true;
    chunks_.clear();
    changed_.notify_all();
  }
  // Whether cancel() was called, without the lock: the producer asks before each item, so it
  // stops at once rather than at its next push.
  bool cancelled() const noexcept { return cancelled_; }

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Chunk> chunks_;  // guarded by mutex_
  bool closed_ = false;       // guarded by mutex_
  // Written under mutex_ (so waiters see it with their predicate), read without it by cancelled().
  std::atomic<bool> cancelled_{false};
};

}  // namespace tally::reconcile
