#pragma once
// Time is injected. Code that needs the time takes a `const Clock&`; production passes a
// SystemClock, tests and the simulator pass a ManualClock they move by hand. Consensus, execution,
// matching and netting never read a clock at all: their time arrives as input.

#include <chrono>
#include <mutex>
#include <string>

namespace tally {

// A UTC instant (POSIX time: leap seconds are not counted), nanosecond resolution.
using Instant = std::chrono::sys_time<std::chrono::nanoseconds>;
// A reading of a monotonic clock: only differences between two readings mean anything.
using MonotonicTime = std::chrono::nanoseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock UTC time, for timestamps that people and other systems read.
  virtual Instant now() const = 0;
  // Never goes backwards, for time-outs and durations.
  virtual MonotonicTime monotonic() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant now() const override;
  MonotonicTime monotonic() const override;
};

// A clock that moves only when told to. Safe to read from several threads while one advances it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start = Instant{}) noexcept;

  Instant now() const override;
  MonotonicTime monotonic() const override;

  // Moves both the wall clock and the monotonic clock forward.
  void advance(std::chrono::nanoseconds step) noexcept;
  // Sets the wall clock (it may jump backwards, as a real one can); the monotonic clock stays.
  void set(Instant instant) noexcept;

 private:
  // One lock for both readings, so no reader sees the wall clock moved and the monotonic not yet.
  mutable std::mutex mutex_;
  Instant wall_;                // guarded by mutex_
  MonotonicTime monotonic_{0};  // guarded by mutex_
};

// "2026-11-21T09:30:00.123Z": RFC 3339 in UTC with milliseconds, as logs and APIs write instants.
std::string to_rfc3339_ms(Instant instant);

}  // namespace tally
