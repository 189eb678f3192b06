#pragma once
// Internal to the engine: work items made in parallel and consumed in order. make(i) runs for
// every i in [0, count) on `threads` threads (at most `threads` items made but not yet taken
// beyond those being made, so memory stays bounded); take(result) runs on the calling thread, in
// index order. With one thread or fewer, everything runs on the caller, in order. The first take
// that fails stops the run: the threads finish the item they are on and no other is started; its
// error is returned. `make` must be safe to call concurrently for different items and must not
// throw.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <tally/core/error.hpp>

namespace tally::reconcile {

template <typename T, typename Make, typename Take>
Result<void> ordered_pipeline(std::size_t count, std::size_t threads, Make make, Take take) {
  if (threads <= 1) {
    for (std::size_t i = 0; i < count; ++i)
      TALLY_TRY_VOID(take(make(i)));
    return {};
  }
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::optional<T>> made(count);  // guarded by mutex
  std::size_t next = 0;                       // guarded by mutex: the next item to make
  std::size_t taken = 0;                      // guarded by mutex
  bool stop = false;                          // guarded by mutex
  const std::size_t ahead = 2 * threads;
  const auto work = [&] {
    for (;;) {
      std::size_t i = 0;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || next >= count || next < taken + ahead; });
        if (stop || next >= count)
          return;
        i = next++;
      }
      T result = make(i);
      {
        const std::lock_guard lock(mutex);
        made[i].emplace(std::move(result));
      }
      changed.notify_all();
    }
  };
  Result<void> outcome;
  {
    std::vector<std::jthread> pool;
    for (std::size_t t = 0; t < threads; ++t)
      pool.emplace_back(work);
    for (std::size_t i = 0; i < count && outcome; ++i) {
      std::optional<T> result;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return made[i].has_value(); });
        result.swap(made[i]);
        ++taken;
      }
      changed.notify_all();
      outcome = take(std::move(*result));
    }
    {
      const std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
  }  // the threads are joined here
  return outcome;
}

}  // namespace tally::reconcile
