#include "json_values.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <utility>
#include <vector>

#include <boost/json/serialize.hpp>

namespace tally::schemas {
namespace json = boost::json;
namespace {

__extension__ using int128 = __int128;

// Every int64 and uint64 lies in [-2^63, 2^64); doubles outside it are ordered without converting.
constexpr double kLowest = -0x1p63;
constexpr double kBeyond = 0x1p64;

int128 integral(const json::value& value) {
  return value.is_int64() ? int128{value.get_int64()} : int128{value.get_uint64()};
}

int sign(int128 difference) {
  return difference < 0 ? -1 : (difference > 0 ? 1 : 0);
}

// Sign of d - i, exact: compares the integer parts first, then the fraction.
int compare_double_integral(double d, int128 i) {
  if (d >= kBeyond)
    return 1;
  if (d < kLowest)
    return -1;
  const double whole = std::trunc(d);
  const auto whole_integral = static_cast<int128>(whole);
  if (whole_integral != i)
    return sign(whole_integral - i);
  return d > whole ? 1 : (d < whole ? -1 : 0);
}

std::string integer_text(int128 value) {
  char buffer[24];
  const auto [end, ec] =
      value < 0 ? std::to_chars(buffer, buffer + sizeof(buffer), static_cast<std::int64_t>(value))
                : std::to_chars(buffer, buffer + sizeof(buffer), static_cast<std::uint64_t>(value));
  return std::string(buffer, end);
}

std::string canonical_number(const json::value& value) {
  if (!value.is_double())
    return integer_text(integral(value));
  const double d = value.get_double();
  if (is_integer(value) && d >= kLowest && d < kBeyond)
    return integer_text(static_cast<int128>(d));
  return json::serialize(value);
}

bool is_digits(std::string_view text) {
  return std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; });
}

unsigned digits_value(std::string_view digits) {
  unsigned value = 0;
  for (char c : digits)
    value = value * 10 + static_cast<unsigned>(c - '0');
  return value;
}

}  // namespace

std::optional<int> compare_numbers(const json::value& a, const json::value& b) {
  if (!a.is_double() && !b.is_double())
    return sign(integral(a) - integral(b));
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double(), y = b.get_double();
    if (std::isnan(x) || std::isnan(y))
      return std::nullopt;
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  const bool a_double = a.is_double();
  const double d = a_double ? a.get_double() : b.get_double();
  if (std::isnan(d))
    return std::nullopt;
  const int order = compare_double_integral(d, integral(a_double ? b : a));
  return a_double ? order : -order;
}

bool is_integer(const json::value& value) {
  if (!value.is_double())
    return value.is_number();
  const double d = value.get_double();
  return std::isfinite(d) && std::trunc(d) == d;
}

bool is_multiple_of(const json::value& value, std::uint64_t divisor) {
  if (!is_integer(value))
    return false;
  if (!value.is_double())
    return integral(value) % divisor == 0;
  const double d = value.get_double();
  if (d >= kLowest && d < kBeyond)
    return static_cast<int128>(d) % divisor == 0;
  // fmod is exact, and the compiler keeps divisors <= 2^53, which a double holds exactly.
  return std::fmod(d, static_cast<double>(divisor)) == 0;
}

std::string canonical_json(const json::value& value) {
  switch (value.kind()) {
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return canonical_number(value);
    case json::kind::array: {
      std::string out = "[";
      for (const json::value& item : value.get_array())
        out += canonical_json(item) + ",";
      return out + "]";
    }
    case json::kind::object: {
      std::vector<std::string> members;
      for (const auto& member : value.get_object())
        members.push_back(json::serialize(json::value(member.key())) + ":" +
                          canonical_json(member.value()));
      std::ranges::sort(members);
      std::string out = "{";
      for (const std::string& member : members)
        out += member + ",";
      return out + "}";
    }
    default:
      return json::serialize(value);
  }
}

std::string display_json(const json::value& value) {
  if (!value.is_double())
    return value.is_number() ? integer_text(integral(value)) : json::serialize(value);
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value.get_double());
  return std::string(buffer, end);
}

std::size_t code_points(std::string_view utf8) {
  // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
  return static_cast<std::size_t>(std::ranges::count_if(
      utf8, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-')
    return false;
  const auto year = text.substr(0, 4), month = text.substr(5, 2), day = text.substr(8, 2);
  if (!is_digits(year) || !is_digits(month) || !is_digits(day))
    return false;
  const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(digits_value(year))},
                                         std::chrono::month{digits_value(month)},
                                         std::chrono::day{digits_value(day)}};
  return date.ok();
}

}  // namespace tally::schemas
