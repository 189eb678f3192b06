#include <algorithm>
#include <limits>
#include <numeric>

#include <tally/core/amount.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally {
namespace {

__extension__ using uint128 = unsigned __int128;

constexpr std::uint64_t kMaxPositive = std::numeric_limits<std::int64_t>::max();
constexpr std::uint64_t kMaxNegative = kMaxPositive + 1;  // |INT64_MIN|

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

std::uint64_t magnitude(std::int64_t value) noexcept {
  return value < 0 ? ~static_cast<std::uint64_t>(value) + 1 : static_cast<std::uint64_t>(value);
}

// Applies a sign to a magnitude already checked against kMaxPositive / kMaxNegative.
std::int64_t with_sign(std::uint64_t magnitude_units, bool negative) noexcept {
  if (!negative)
    return static_cast<std::int64_t>(magnitude_units);
  return static_cast<std::int64_t>(~magnitude_units + 1);
}

// Appends one decimal digit to an accumulating magnitude; false on overflow.
bool push_digit(std::uint64_t& value, int digit) noexcept {
  return !__builtin_mul_overflow(value, 10U, &value) &&
         !__builtin_add_overflow(value, static_cast<std::uint64_t>(digit), &value);
}

Error parse_error(std::string_view text, std::size_t offset, std::string_view reason) {
  return Error{Errc::malformed, str_cat("amount '", text, "': offset ", offset, ": ", reason)};
}

}  // namespace

Result<Amount> Amount::parse(std::string_view text, Currency currency, AmountFormat format) {
  if (format.decimal_separator == format.grouping_separator) {
    return fail(Errc::invalid_argument, "amount format: decimal and grouping separators are equal");
  }
  if (text.size() > kMaxTextLength) {
    return fail(Errc::limit_exceeded,
                str_cat("amount: text of ", text.size(), " bytes exceeds ", kMaxTextLength));
  }
  std::size_t pos = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+'))
    ++pos;

  std::uint64_t value = 0;
  std::size_t int_digits = 0;
  std::size_t group_digits = 0;  // digits since the last grouping separator
  bool grouped = false;
  for (; pos < text.size() && text[pos] != format.decimal_separator; ++pos) {
    const char c = text[pos];
    if (is_digit(c)) {
      if (!push_digit(value, c - '0'))
        return std::unexpected(parse_error(text, pos, "overflow"));
      ++int_digits;
      ++group_digits;
      continue;
    }
    if (format.grouping_separator == '\0' || c != format.grouping_separator) {
      return std::unexpected(parse_error(text, pos, "unexpected character"));
    }
    // A separator sits between digits and closes a group; groups after the first have three.
    if (group_digits == 0 || (grouped ? group_digits != 3 : group_digits > 3)) {
      return std::unexpected(parse_error(text, pos, "misplaced grouping separator"));
    }
    grouped = true;
    group_digits = 0;
  }
  if (grouped && group_digits != 3) {
    return std::unexpected(parse_error(text, pos, "last digit group must have three digits"));
  }

  std::size_t frac_digits = 0;
  if (pos < text.size()) {
    ++pos;  // the decimal separator
    for (; pos < text.size(); ++pos) {
      const char c = text[pos];
      if (!is_digit(c))
        return std::unexpected(parse_error(text, pos, "unexpected character"));
      if (frac_digits >= currency.exponent()) {
        if (c != '0') {
          return std::unexpected(parse_error(
              text, pos,
              str_cat("more than ", currency.exponent(), " decimals for ", currency.code())));
        }
        continue;  // trailing zeros beyond the minor unit are exact
      }
      if (!push_digit(value, c - '0'))
        return std::unexpected(parse_error(text, pos, "overflow"));
      ++frac_digits;
    }
    if (frac_digits == 0 && text.back() == format.decimal_separator) {
      return std::unexpected(parse_error(text, pos, "no digits after the decimal separator"));
    }
  }
  if (int_digits == 0 && frac_digits == 0) {
    return std::unexpected(parse_error(text, pos, "no digits"));
  }
  for (; frac_digits < currency.exponent(); ++frac_digits) {
    if (!push_digit(value, 0))
      return std::unexpected(parse_error(text, pos, "overflow"));
  }
  if (value > (negative ? kMaxNegative : kMaxPositive)) {
    return std::unexpected(parse_error(text, text.size(), "overflow"));
  }
  return Amount(with_sign(value, negative), currency);
}

std::string Amount::to_string(AmountFormat format) const {
  std::string digits = std::to_string(magnitude(minor_units_));
  const std::size_t exponent = currency_.exponent();
  if (digits.size() <= exponent)
    digits.insert(0, exponent + 1 - digits.size(), '0');
  const std::size_t int_len = digits.size() - exponent;

  std::string out;
  out.reserve(digits.size() + digits.size() / 3 + 2);
  if (minor_units_ < 0)
    out += '-';
  for (std::size_t i = 0; i < int_len; ++i) {
    if (i > 0 && format.grouping_separator != '\0' && (int_len - i) % 3 == 0) {
      out += format.grouping_separator;
    }
    out += digits[i];
  }
  if (exponent > 0) {
    out += format.decimal_separator;
    out.append(digits, int_len);
  }
  return out;
}

Result<void> Amount::check_same_currency(Amount other, std::string_view operation) const {
  if (currency_ == other.currency_)
    return {};
  return fail(Errc::invalid_argument, str_cat("amount: cannot ", operation, " ", currency_.code(),
                                              " and ", other.currency_.code()));
}

Result<Amount> Amount::plus(Amount other) const {
  if (auto same = check_same_currency(other, "add"); !same)
    return std::unexpected(same.error());
  std::int64_t sum = 0;
  if (__builtin_add_overflow(minor_units_, other.minor_units_, &sum)) {
    return fail(Errc::overflow, str_cat("amount: ", to_string(), " + ", other.to_string()));
  }
  return Amount(sum, currency_);
}

Result<Amount> Amount::minus(Amount other) const {
  if (auto same = check_same_currency(other, "subtract"); !same) {
    return std::unexpected(same.error());
  }
  std::int64_t difference = 0;
  if (__builtin_sub_overflow(minor_units_, other.minor_units_, &difference)) {
    return fail(Errc::overflow, str_cat("amount: ", to_string(), " - ", other.to_string()));
  }
  return Amount(difference, currency_);
}

Result<Amount> Amount::negated() const {
  return zero(currency_).minus(*this);
}

Result<Amount> Amount::times(std::int64_t factor) const {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(minor_units_, factor, &product)) {
    return fail(Errc::overflow, str_cat("amount: ", to_string(), " * ", factor));
  }
  return Amount(product, currency_);
}

Result<std::vector<Amount>> Amount::allocate(std::span<const std::uint64_t> weights) const {
  if (weights.empty() || weights.size() > kMaxAllocationParts) {
    return fail(Errc::invalid_argument,
                str_cat("allocate: ", weights.size(), " weights; between 1 and ",
                        kMaxAllocationParts, " are accepted"));
  }
  const uint128 total_weight =
      std::accumulate(weights.begin(), weights.end(), uint128{0},
                      [](uint128 sum, std::uint64_t w) { return sum + w; });
  if (total_weight == 0)
    return fail(Errc::invalid_argument, "allocate: all weights are zero");

  // Shares of the magnitude; a product of two 64-bit values fits 128 bits.
  const std::uint64_t amount = magnitude(minor_units_);
  std::vector<std::uint64_t> shares(weights.size());
  std::vector<uint128> remainders(weights.size());
  std::uint64_t allocated = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const uint128 product = uint128{amount} * weights[i];
    shares[i] = static_cast<std::uint64_t>(product / total_weight);
    remainders[i] = product % total_weight;
    allocated += shares[i];
  }
  std::uint64_t leftover = amount - allocated;
  TALLY_ASSERT(leftover < weights.size());

  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Largest remainder first, ties to the earlier part: a total order, so the result is unique.
  std::ranges::sort(order, [&](std::size_t a, std::size_t b) {
    return remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b;
  });
  for (std::size_t i = 0; leftover > 0; ++i, --leftover)
    ++shares[order[i]];

  std::vector<Amount> parts;
  parts.reserve(weights.size());
  for (const std::uint64_t share : shares) {
    parts.emplace_back(with_sign(share, minor_units_ < 0), currency_);
  }
  return parts;
}

std::partial_ordering Amount::operator<=>(const Amount& other) const noexcept {
  if (currency_ != other.currency_)
    return std::partial_ordering::unordered;
  return minor_units_ <=> other.minor_units_;
}

}  // namespace tally
