#include <array>

#include <tally/adapters/field_formats.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
constexpr std::size_t kMaxCountDigits = 18;

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) noexcept {
  for (const char c : text) {
    if (!is_digit(c))
      return false;
  }
  return !text.empty();
}

unsigned digits_value(std::string_view digits) noexcept {
  unsigned value = 0;
  for (const char c : digits)
    value = value * 10 + static_cast<unsigned>(c - '0');
  return value;
}

bool ends_with_ascii_nocase(std::string_view text, std::string_view suffix) noexcept {
  if (text.size() < suffix.size())
    return false;
  const std::string_view tail = text.substr(text.size() - suffix.size());
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    const char c = tail[i];
    if ((c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c) != suffix[i])
      return false;
  }
  return true;
}

// Takes one of `tokens` off the front or back of `text`; true if it did.
bool strip_token(std::string_view& text, const std::vector<std::string>& tokens) {
  if (text.empty() || (is_digit(text.front()) && is_digit(text.back())))
    return false;  // the common case: nothing to strip
  for (const std::string& token : tokens) {
    if (text.starts_with(token)) {
      text = trim_text(text.substr(token.size()));
      return true;
    }
    if (text.ends_with(token)) {
      text = trim_text(text.substr(0, text.size() - token.size()));
      return true;
    }
  }
  return false;
}

Result<Amount> read_implied(std::string_view digits, Currency currency, int implied) {
  if (!all_digits(digits) || digits.size() > kMaxCountDigits) {
    return fail(Errc::malformed,
                str_cat("amount '", digits, "' must be at most 18 digits (implied decimals)"));
  }
  // "digits" with a point before the last `implied`: "12345" -> "123.45", "5" -> "0.05".
  const auto places = static_cast<std::size_t>(implied);
  std::array<char, 2 * kMaxCountDigits + 4> buffer{};
  std::size_t length = 0;
  const std::size_t whole = digits.size() > places ? digits.size() - places : 0;
  for (std::size_t i = 0; i < whole; ++i)
    buffer[length++] = digits[i];
  if (whole == 0)
    buffer[length++] = '0';
  if (places > 0)
    buffer[length++] = '.';  // none with no implied decimals: "12." would be refused
  for (std::size_t i = digits.size() - whole; i < places; ++i)
    buffer[length++] = '0';
  for (std::size_t i = whole; i < digits.size(); ++i)
    buffer[length++] = digits[i];
  const std::string_view text(buffer.data(), length);
  return Amount::parse(text, currency);
}

}  // namespace

std::optional<std::int64_t> plain_minor_units(std::string_view text,
                                              std::uint8_t exponent,
                                              char decimal_separator,
                                              char grouping_separator) noexcept {
  if (decimal_separator == grouping_separator)
    return std::nullopt;
  std::uint64_t value = 0;
  std::size_t digits = 0;
  std::size_t group = 0;  // digits since the last grouping separator
  bool grouped = false;
  std::size_t pos = 0;
  for (; pos < text.size() && text[pos] != decimal_separator; ++pos) {
    const char c = text[pos];
    if (is_digit(c)) {
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
      ++digits;
      ++group;
      continue;
    }
    // Amount::parse's grouping rule: between digits, the first group of 1-3, the others of 3.
    if (grouping_separator == '\0' || c != grouping_separator || group == 0 ||
        (grouped ? group != 3 : group > 3))
      return std::nullopt;
    grouped = true;
    group = 0;
  }
  if (digits == 0 || (grouped && group != 3))
    return std::nullopt;
  std::size_t fraction = 0;
  if (pos < text.size()) {
    for (++pos; pos < text.size(); ++pos) {
      if (!is_digit(text[pos]) || fraction == exponent)
        return std::nullopt;  // trailing zeros past the minor unit are Amount::parse's to judge
      value = value * 10 + static_cast<std::uint64_t>(text[pos] - '0');
      ++fraction;
      ++digits;
    }
    if (fraction == 0)
      return std::nullopt;
  }
  for (; fraction < exponent; ++fraction, ++digits)
    value *= 10;
  // 18 digits cannot overflow (value < 10^18 < 2^63); more, and wrapping above is discarded.
  if (digits > kMaxCountDigits)
    return std::nullopt;
  return static_cast<std::int64_t>(value);
}

std::optional<std::int64_t> implied_minor_units(std::string_view digits,
                                                std::uint8_t exponent,
                                                int implied_decimals) noexcept {
  if (implied_decimals < 0 || implied_decimals > exponent || !all_digits(digits))
    return std::nullopt;
  const auto scale = static_cast<std::size_t>(exponent - implied_decimals);
  if (digits.size() + scale > kMaxCountDigits)
    return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : digits)
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  for (std::size_t i = 0; i < scale; ++i)
    value *= 10;
  return static_cast<std::int64_t>(value);
}

std::string_view trim_text_edges(std::string_view text) noexcept {
  // Byte tests before the three-byte comparison: this runs for every field of every record.
  for (;;) {
    if (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
      text.remove_prefix(1);
    else if (!text.empty() && text.front() == '\xE3' && text.starts_with(kIdeographicSpace))
      text.remove_prefix(kIdeographicSpace.size());
    else
      break;
  }
  for (;;) {
    if (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
      text.remove_suffix(1);
    else if (!text.empty() && text.back() == '\x80' && text.ends_with(kIdeographicSpace))
      text.remove_suffix(kIdeographicSpace.size());
    else
      break;
  }
  return text;
}

Result<DatePattern> DatePattern::parse(std::string_view pattern) {
  const auto year = pattern.find("YYYY");
  const auto month = pattern.find("MM");
  const auto day = pattern.find("DD");
  if (year == std::string_view::npos || month == std::string_view::npos ||
      day == std::string_view::npos || pattern.find("YYYY", year + 1) != std::string_view::npos ||
      pattern.find("MM", month + 2) != std::string_view::npos ||
      pattern.find("DD", day + 2) != std::string_view::npos) {
    return fail(Errc::invalid_argument,
                str_cat("date pattern '", pattern, "' needs YYYY, MM and DD once each"));
  }
  return DatePattern(std::string(pattern), year, month, day);
}

DatePattern::DatePattern(std::string pattern, std::size_t year, std::size_t month, std::size_t day)
    : pattern_(std::move(pattern)),
      digit_places_(pattern_.size(), '\0'),
      year_(year),
      month_(month),
      day_(day) {
  for (const auto& [start, length] :
       {std::pair{year, 4u}, std::pair{month, 2u}, std::pair{day, 2u}})
    digit_places_.replace(start, length, length, '\1');
}

bool DatePattern::fits(std::string_view text) const noexcept {
  if (text.size() != pattern_.size())
    return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (digit_places_[i] != 0 ? !is_digit(text[i]) : text[i] != pattern_[i])
      return false;
  }
  return true;
}

Result<Date> DatePattern::read(std::string_view text) const {
  if (!fits(text))
    return fail(Errc::malformed, str_cat("date '", text, "' does not match ", pattern_));
  return read_fitting(text);
}

Result<Date> DatePattern::read_fitting(std::string_view text) const {
  const Date date{std::chrono::year(static_cast<int>(digits_value(text.substr(year_, 4)))),
                  std::chrono::month(digits_value(text.substr(month_, 2))),
                  std::chrono::day(digits_value(text.substr(day_, 2)))};
  if (!date.ok())
    return fail(Errc::out_of_range, str_cat("date '", text, "' is not a calendar date"));
  return date;
}

bool try_read_date(std::string_view text,
                   const std::vector<DatePattern>& patterns,
                   std::optional<Date>& into) noexcept {
  into.reset();
  for (const DatePattern& pattern : patterns) {
    if (!pattern.fits(text))
      continue;
    into.emplace(std::chrono::year(static_cast<int>(digits_value(text.substr(pattern.year_, 4)))),
                 std::chrono::month(digits_value(text.substr(pattern.month_, 2))),
                 std::chrono::day(digits_value(text.substr(pattern.day_, 2))));
    if (into->ok())
      return true;
    into.reset();
    return false;
  }
  return false;
}

Result<Date> read_date(std::string_view text, const std::vector<DatePattern>& patterns) {
  // The first pattern the text fits decides; no error text is built for the others.
  for (const DatePattern& pattern : patterns) {
    if (pattern.fits(text))
      return pattern.read_fitting(text);
  }
  std::string names;
  for (const DatePattern& pattern : patterns)
    names += str_cat(names.empty() ? "" : ", ", pattern.pattern());
  return fail(Errc::malformed, str_cat("date '", text, "' matches none of ", names));
}

Result<std::uint8_t> parse_negative_notation(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::uint8_t>, 4> kNames = {{
      {"leading_minus", kLeadingMinus},
      {"trailing_minus", kTrailingMinus},
      {"parentheses", kParentheses},
      {"cr_dr_suffix", kCrDrSuffix},
  }};
  for (const auto& [known, bit] : kNames) {
    if (known == name)
      return bit;
  }
  return fail(Errc::invalid_argument, str_cat("negative notation: unknown '", name, "'"));
}

Result<Amount> read_amount(std::string_view text,
                           Currency currency,
                           const AmountNotation& notation) {
  std::string_view rest = trim_text(text);
  if (rest.empty())
    return fail(Errc::malformed, "amount is empty");
  bool negative = false;
  const auto refuse = [&](std::string_view why) {
    return fail(Errc::malformed, str_cat("amount '", text, "': ", why));
  };
  if ((notation.negatives & kParentheses) && rest.front() == '(' && rest.back() == ')') {
    negative = true;
    rest = trim_text(rest.substr(1, rest.size() - 2));
  } else if ((notation.negatives & kCrDrSuffix) &&
             (ends_with_ascii_nocase(rest, "DR") || ends_with_ascii_nocase(rest, "CR"))) {
    negative = ends_with_ascii_nocase(rest, "DR");
    rest = trim_text(rest.substr(0, rest.size() - 2));
  } else if ((notation.negatives & kTrailingMinus) && rest.back() == '-') {
    negative = true;
    rest = trim_text(rest.substr(0, rest.size() - 1));
  }
  strip_token(rest, notation.strip);
  if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
    if (rest.front() == '-') {
      if (negative || !(notation.negatives & kLeadingMinus))
        return refuse("a leading minus is not a negative notation of this file");
      negative = true;
    }
    rest = trim_text(rest.substr(1));
    strip_token(rest, notation.strip);  // "-¥12.00" as well as "¥-12.00"
  }
  if (rest.empty() || !is_digit(rest.front()) || !is_digit(rest.back()))
    return refuse("not a number");
  // Plain digits, the usual case, need none of Amount::parse's error reporting.
  const auto fast = notation.implied_decimals >= 0
                        ? implied_minor_units(rest, currency.exponent(), notation.implied_decimals)
                        : plain_minor_units(rest, currency.exponent(), notation.decimal_separator,
                                            notation.grouping_separator);
  if (fast)
    return Amount(negative ? -*fast : *fast, currency);
  auto amount = notation.implied_decimals >= 0
                    ? read_implied(rest, currency, notation.implied_decimals)
                    : Amount::parse(rest, currency,
                                    {notation.decimal_separator, notation.grouping_separator});
  if (!amount)
    return refuse(amount.error().message);
  return negative ? amount->negated() : amount;
}

Result<std::uint64_t> read_count(std::string_view text) {
  text = trim_text(text);
  if (!all_digits(text) || text.size() > kMaxCountDigits)
    return fail(Errc::malformed, str_cat("'", text, "' is not a count (1 to 18 digits)"));
  std::uint64_t value = 0;
  for (const char c : text)
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  return value;
}

Result<std::uint32_t> read_ratio_bp(std::string_view text) {
  std::string_view rest = trim_text(text);
  const bool percent = rest.ends_with('%');
  if (percent)
    rest.remove_suffix(1);
  const std::size_t point = rest.find('.');
  std::string_view whole = rest.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? "" : rest.substr(point + 1);
  // Trailing zeros of the fraction are exact; the rest must fit basis points.
  while (!fraction.empty() && fraction.back() == '0')
    fraction.remove_suffix(1);
  const std::size_t places = percent ? 2 : 4;  // digits of a fraction that are whole basis points
  const auto bad = [&](std::string_view why) {
    return fail(Errc::malformed, str_cat("ratio '", text, "': ", why));
  };
  if (!all_digits(whole) || whole.size() > 5 || (!fraction.empty() && !all_digits(fraction)))
    return bad("not a decimal fraction or percentage");
  if (fraction.size() > places)
    return bad("finer than a basis point");
  std::uint64_t value = digits_value(whole);
  for (std::size_t i = 0; i < places; ++i)
    value = value * 10 + (i < fraction.size() ? static_cast<std::uint64_t>(fraction[i] - '0') : 0);
  if (value > 10'000)
    return bad("more than the whole");
  return static_cast<std::uint32_t>(value);
}

}  // namespace tally::adapters
