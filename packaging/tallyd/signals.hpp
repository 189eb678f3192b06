#pragma once
// How tallyd learns it must stop: SIGTERM or SIGINT from outside, or a fatal error inside (the
// consensus host could not write a final block, the network thread died). Signals are blocked in
// every thread (block_stop_signals() runs first in main, before any thread exists, so all
// inherit the mask) and taken by one watcher thread with sigwait, so no code runs in a signal
// handler. Whatever comes first releases wait().

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace tally::tallyd {

struct StopReason {
  bool fatal = false;
  std::string what;  // "SIGTERM", or the fatal error
};

// Blocks SIGTERM and SIGINT in the calling thread and ignores SIGPIPE (a peer closing a socket is
// an error value, not a process kill).
void block_stop_signals();

class StopLatch {
 public:
  // Thread-safe; the first reason wins.
  void trigger(StopReason reason);
  StopReason wait();
  std::optional<StopReason> reason() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable triggered_;
  std::optional<StopReason> reason_;  // guarded by mutex_
};

// The watcher thread: waits for SIGTERM or SIGINT and triggers the latch. Joined on destruction
// (woken by a signal sent to that thread alone when none came).
class SignalWatcher {
 public:
  explicit SignalWatcher(StopLatch& latch);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  StopLatch& latch_;
  std::thread thread_;
};

}  // namespace tally::tallyd
