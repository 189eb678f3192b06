#include "signals.hpp"

#include <pthread.h>
#include <signal.h>

#include <tally/core/assert.hpp>

namespace tally::tallyd {

namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void block_stop_signals() {
  const sigset_t set = stop_signals();
  TALLY_ASSERT(pthread_sigmask(SIG_BLOCK, &set, nullptr) == 0);
  TALLY_ASSERT(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
}

void StopLatch::trigger(StopReason reason) {
  {
    std::lock_guard lock(mutex_);
    if (reason_)
      return;
    reason_ = std::move(reason);
  }
  triggered_.notify_all();
}

StopReason StopLatch::wait() {
  std::unique_lock lock(mutex_);
  triggered_.wait(lock, [this] { return reason_.has_value(); });
  return *reason_;
}

std::optional<StopReason> StopLatch::reason() const {
  std::lock_guard lock(mutex_);
  return reason_;
}

SignalWatcher::SignalWatcher(StopLatch& latch) : latch_(latch) {
  thread_ = std::thread([this] {
    const sigset_t set = stop_signals();
    int signal_number = 0;
    if (sigwait(&set, &signal_number) != 0)
      return;
    // The destructor's wake-up also arrives as SIGTERM; by then the latch holds its reason and
    // ignores this one.
    latch_.trigger(StopReason{false, signal_number == SIGINT ? "SIGINT" : "SIGTERM"});
  });
}

SignalWatcher::~SignalWatcher() {
  if (!latch_.reason())
    latch_.trigger(StopReason{false, "shutdown"});
  // Wakes the watcher if it still waits; a signal already taken leaves this one pending on a
  // thread that ends, which discards it.
  pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
}

}  // namespace tally::tallyd
