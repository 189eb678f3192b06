#include <chrono>

#include <gtest/gtest.h>

#include <tally/core/clock.hpp>

namespace tally {
namespace {

using namespace std::chrono_literals;

Instant at(std::chrono::sys_days day, std::chrono::nanoseconds time_of_day) {
  return Instant{day} + time_of_day;
}

TEST(ManualClock, MovesOnlyWhenTold) {
  const Instant start = at(std::chrono::sys_days{std::chrono::year{2026} / 11 / 21}, 9h);
  ManualClock clock(start);
  EXPECT_EQ(clock.now(), start);
  EXPECT_EQ(clock.monotonic(), 0ns);
  clock.advance(1500ms);
  EXPECT_EQ(clock.now(), start + 1500ms);
  EXPECT_EQ(clock.monotonic(), 1500ms);
}

TEST(ManualClock, WallClockMayJumpBackButMonotonicDoesNot) {
  ManualClock clock;
  clock.advance(10s);
  clock.set(Instant{} + 3s);
  EXPECT_EQ(clock.now(), Instant{} + 3s);
  EXPECT_EQ(clock.monotonic(), 10s);
}

TEST(SystemClock, ReadsTheRealClockMonotonically) {
  const SystemClock clock;
  const auto first = clock.monotonic();
  EXPECT_LE(first, clock.monotonic());
  // The real clock is after this code was written.
  EXPECT_GT(clock.now(), Instant{std::chrono::sys_days{std::chrono::year{2025} / 1 / 1}});
}

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  using std::chrono::year;
  EXPECT_EQ(to_rfc3339_ms(Instant{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(to_rfc3339_ms(at(std::chrono::sys_days{year{2026} / 11 / 21}, 9h + 5min + 7s + 45ms)),
            "2026-11-21T09:05:07.045Z");
  EXPECT_EQ(to_rfc3339_ms(
                at(std::chrono::sys_days{year{2024} / 2 / 29}, 23h + 59min + 59s + 999'999'999ns)),
            "2024-02-29T23:59:59.999Z");
}

}  // namespace
}  // namespace tally
