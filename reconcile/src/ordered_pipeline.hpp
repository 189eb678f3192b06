#pragma once
// Internal to the engine: work items made in parallel and consumed in order. make(i) runs for
// every i in [0, count) on `threads` threads, at most `threads` items ahead of the one being taken
// (so at most 2 * threads items are held at once: being made, or made and waiting); take(result)
// runs on the calling thread, in index order. With one thread or fewer, everything runs on the
// caller, in order. The first take that fails stops the run: the threads finish the item they are
// on and no other is started; its error is returned. An exception from make (say bad_alloc) is
// rethrown on the calling thread when its item's turn comes, and one from take after the threads
// have stopped: nothing is left running or waiting.

#include <condition_variable>
#include <cstddef>
#include <exception>
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
  struct Slot {
    std::optional<T> result;
    std::exception_ptr thrown;
    bool done = false;
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Slot> made(count);  // guarded by mutex
  std::size_t next = 0;           // guarded by mutex: the next item to make
  std::size_t taken = 0;          // guarded by mutex
  bool stop = false;              // guarded by mutex
  const auto work = [&] {
    for (;;) {
      std::size_t i = 0;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || next >= count || next < taken + threads; });
        if (stop || next >= count)
          return;
        i = next++;
      }
      Slot slot;
      try {
        slot.result.emplace(make(i));
      } catch (...) {
        slot.thrown = std::current_exception();
      }
      slot.done = true;
      {
        const std::lock_guard lock(mutex);
        made[i] = std::move(slot);
      }
      changed.notify_all();
    }
  };
  const auto stop_all = [&] {
    {
      const std::lock_guard lock(mutex);
      stop = true;
    }
    changed.notify_all();
  };
  Result<void> outcome;
  std::exception_ptr thrown;
  {
    std::vector<std::jthread> pool;
    try {
      for (std::size_t t = 0; t < threads; ++t)
        pool.emplace_back(work);
      for (std::size_t i = 0; i < count && outcome; ++i) {
        Slot slot;
        {
          std::unique_lock lock(mutex);
          changed.wait(lock, [&] { return made[i].done; });
          slot = std::move(made[i]);
          ++taken;
        }
        changed.notify_all();
        if (slot.thrown)
          std::rethrow_exception(slot.thrown);
        outcome = take(std::move(*slot.result));
      }
    } catch (...) {
      thrown = std::current_exception();
    }
    stop_all();
  }  // the threads are joined here
  if (thrown)
    std::rethrow_exception(thrown);
  return outcome;
}

}  // namespace tally::reconcile
