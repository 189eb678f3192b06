#pragma once
// Money: a signed integer count of a currency's minor units (fen, cents). No floating point
// anywhere. Arithmetic is checked; mixing currencies is an error, never a conversion.
//
// 64 bits of minor units hold ±92,233,720,368,547,758.07 CNY, beyond any single booking or net
// position of a consortium; anything larger is an overflow error, not a wrap.

#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tally/core/currency.hpp>
#include <tally/core/error.hpp>

namespace tally {

// How amounts are written in a particular file: "1,234.56", "1.234,56", "1 234,56", "1234.56".
struct AmountFormat {
  char decimal_separator = '.';
  char grouping_separator = '\0';  // '\0': no grouping accepted or written
};

class Amount {
 public:
  static constexpr std::size_t kMaxTextLength = 64;  // longer text is refused before parsing
  static constexpr std::size_t kMaxAllocationParts = 4096;

  constexpr Amount(std::int64_t minor_units, Currency currency) noexcept
      : minor_units_(minor_units), currency_(currency) {}
  static constexpr Amount zero(Currency currency) noexcept { return {0, currency}; }

  // Exact parsing of "-1,234.50": an optional sign, digits with optional grouping separators
  // between digits of the integer part, an optional fraction of at most the currency's exponent
  // in significant digits (trailing zeros beyond it are exact and accepted; other digits would
  // need rounding and are refused). Errors name the offset.
  static Result<Amount> parse(std::string_view text, Currency currency, AmountFormat format = {});

  std::int64_t minor_units() const noexcept { return minor_units_; }
  Currency currency() const noexcept { return currency_; }
  bool is_zero() const noexcept { return minor_units_ == 0; }
  bool is_negative() const noexcept { return minor_units_ < 0; }

  // Always shows every digit of the minor unit: "-1234.50", or "-1,234.50" with grouping.
  std::string to_string(AmountFormat format = {}) const;

  Result<Amount> plus(Amount other) const;
  Result<Amount> minus(Amount other) const;
  Result<Amount> negated() const;
  Result<Amount> times(std::int64_t factor) const;

  // Splits this amount in proportion to `weights` (for example {30, 70}) by largest remainder:
  // each part gets floor(amount * weight / total); the minor units left over go one each to the
  // parts with the largest remainders, ties to the earlier part. The parts always sum exactly to
  // this amount, and a negative amount splits as the mirror image of its absolute value.
  Result<std::vector<Amount>> allocate(std::span<const std::uint64_t> weights) const;

  bool operator==(const Amount&) const noexcept = default;
  // Amounts in different currencies are unordered.
  std::partial_ordering operator<=>(const Amount& other) const noexcept;

 private:
  Result<void> check_same_currency(Amount other, std::string_view operation) const;

  std::int64_t minor_units_;
  Currency currency_;
};

}  // namespace tally
