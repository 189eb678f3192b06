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

ManualClock::ManualClock(Instant start) noexcept : wall_(start) {}

Instant ManualClock::now() const {
  const std::lock_guard lock(mutex_);
  return wall_;
}

MonotonicTime ManualClock::monotonic() const {
  const std::lock_guard lock(mutex_);
  return monotonic_;
}

void ManualClock::advance(std::chrono::nanoseconds step) noexcept {
  TALLY_ASSERT(step.count() >= 0);
  const std::lock_guard lock(mutex_);
  wall_ += step;
  monotonic_ += step;
}

void ManualClock::set(Instant instant) noexcept {
  const std::lock_guard lock(mutex_);
  wall_ = instant;
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
