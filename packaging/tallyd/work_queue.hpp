#pragma once
// A bounded queue between a thread that must not block (the network's) and one worker thread:
// push never waits (a full or closed queue refuses the item and counts it); take waits for work
// and hands over the front items as the caller's `more` allows; close wakes the worker for good.
// Used by the peer tx intake and the sync server.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace tally::tallyd {

template <typename T>
class WorkQueue {
 public:
  explicit WorkQueue(std::size_t capacity) : capacity_(capacity) {}

  // False (and counted as dropped) when full or closed.
  bool push(T item) {
    {
      std::lock_guard lock(mutex_);
      if (closed_ || queue_.size() >= capacity_) {
        ++dropped_;
        return false;
      }
      queue_.push_back(std::move(item));
    }
    changed_.notify_one();
    return true;
  }

  // Waits for at least one item, then takes items from the front while `more(next)` holds; the
  // first is taken whatever `more` says (it is shown it too, so a counting `more` counts it).
  // Nothing once closed.
  template <typename More>
  std::optional<std::vector<T>> take(More more) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return closed_ || !queue_.empty(); });
    if (closed_)
      return std::nullopt;
    std::vector<T> taken;
    more(std::as_const(queue_.front()));
    do {
      taken.push_back(std::move(queue_.front()));
      queue_.pop_front();
    } while (!queue_.empty() && more(std::as_const(queue_.front())));
    return taken;
  }

  // Refuses new items, drops the queued ones and ends every take. Idempotent.
  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      queue_.clear();
    }
    changed_.notify_all();
  }

  std::uint64_t dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
  }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<T> queue_;        // guarded by mutex_
  bool closed_ = false;        // guarded by mutex_
  std::uint64_t dropped_ = 0;  // guarded by mutex_
};

}  // namespace tally::tallyd
