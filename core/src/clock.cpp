#include <array>

#include <tally/core/assert.hpp>
#include <tally/core/clock.hpp>

namespace tally {

Instant SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

MonotonicTime SystemClock::monotonic() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::steady_clock::now().time_since_epoch());
}

ManualClock::ManualClock(Instant start) noexcept : wall_ns_(start.time_since_epoch().count()) {}

Instant ManualClock::now() const {
  return Instant{std::chrono::nanoseconds{wall_ns_.load(std::memory_order_acquire)}};
}

MonotonicTime ManualClock::monotonic() const {
  return MonotonicTime{monotonic_ns_.load(std::memory_order_acquire)};
}

void ManualClock::advance(std::chrono::nanoseconds step) noexcept {
  TALLY_ASSERT(step.count() >= 0);
  wall_ns_.fetch_add(step.count(), std::memory_order_acq_rel);
  monotonic_ns_.fetch_add(step.count(), std::memory_order_acq_rel);
}

void ManualClock::set(Instant instant) noexcept {
  wall_ns_.store(instant.time_since_epoch().count(), std::memory_order_release);
}

namespace {

// Writes `value` as exactly `width` zero-padded digits.
char* put_digits(char* out, long long value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

}  // namespace

std::string to_rfc3339_ms(Instant instant) {
  using namespace std::chrono;
  const auto day = floor<days>(instant);
  const year_month_day date{day};
  const hh_mm_ss time{floor<milliseconds>(instant - day)};
  const int year = static_cast<int>(date.year());
  TALLY_ASSERT(year >= 0 && year <= 9999);

  std::array<char, 24> text{};
  char* out = text.data();
  out = put_digits(out, year, 4);
  *out++ = '-';
  out = put_digits(out, static_cast<unsigned>(date.month()), 2);
  *out++ = '-';
  out = put_digits(out, static_cast<unsigned>(date.day()), 2);
  *out++ = 'T';
  out = put_digits(out, time.hours().count(), 2);
  *out++ = ':';
  out = put_digits(out, time.minutes().count(), 2);
  *out++ = ':';
  out = put_digits(out, time.seconds().count(), 2);
  *out++ = '.';
  out = put_digits(out, time.subseconds().count(), 3);
  *out++ = 'Z';
  return {text.data(), out};
}

}  // namespace tally
