#pragma once
// How dates, amounts, counts and ratios are written in CSV and fixed-width bank files, and their
// exact parsing. Shared by every profile-driven parser; the text is UTF-8 (already decoded).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tally/adapters/record.hpp>
#include <tally/core/amount.hpp>
#include <tally/core/error.hpp>

namespace tally::adapters {

// A fixed-width date pattern: YYYY, MM and DD, anything else literal ("YYYY-MM-DD", "YYYYMMDD",
// "YYYY/MM/DD", "DD.MM.YYYY", "YYYY年MM月DD日").
class DatePattern {
 public:
  static Result<DatePattern> parse(std::string_view pattern);
  // The text has the pattern's shape (digits where YYYY, MM, DD are, the literals elsewhere).
  bool fits(std::string_view text) const noexcept;
  // The date, or a reason naming the pattern. Only real calendar dates are accepted.
  Result<Date> read(std::string_view text) const;
  const std::string& pattern() const noexcept { return pattern_; }

 private:
  DatePattern(std::string pattern, std::size_t year, std::size_t month, std::size_t day);
  // read() for text known to fit(): the calendar check only (read_date has just tested fits()).
  Result<Date> read_fitting(std::string_view text) const;
  friend Result<Date> read_date(std::string_view text, const std::vector<DatePattern>& patterns);
  friend bool try_read_date(std::string_view text,
                            const std::vector<DatePattern>& patterns,
                            std::optional<Date>& into) noexcept;

  std::string pattern_;
  std::string digit_places_;        // per byte of the pattern: 1 where a digit goes, else 0
  std::size_t year_, month_, day_;  // byte offsets of YYYY, MM, DD in the pattern
};

// The date by the first pattern the text fits; an error naming every pattern if none.
Result<Date> read_date(std::string_view text, const std::vector<DatePattern>& patterns);
// read_date without the reason, into `into` (reset where read_date fails; false then). Written
// where the caller keeps it: a returned Result or optional was built on the stack field by field
// and read back whole, which stalls the CPU's store forwarding, on the parsers' hot path. The
// caller calls read_date for the message only on failure.
bool try_read_date(std::string_view text,
                   const std::vector<DatePattern>& patterns,
                   std::optional<Date>& into) noexcept;

// Ways a negative amount is written; a profile accepts a set of them.
enum NegativeNotation : std::uint8_t {
  kLeadingMinus = 1,   // -1,234.50
  kTrailingMinus = 2,  // 1,234.50-
  kParentheses = 4,    // (1,234.50)
  kCrDrSuffix = 8,     // 1,234.50 DR (negative), 1,234.50 CR (positive)
};
Result<std::uint8_t> parse_negative_notation(std::string_view name);

struct AmountNotation {
  char decimal_separator = '.';
  char grouping_separator = '\0';  // '\0': no grouping
  std::vector<std::string> strip;  // currency symbols and codes allowed before or after: "¥", "CNY"
  std::uint8_t negatives = kLeadingMinus;
  // Fixed-width files: digits only, the last `implied_decimals` of them after the decimal point
  // ("000012345" with 2 is 123.45). -1: the text carries its own decimal separator.
  int implied_decimals = -1;
};

// A signed amount: "-¥1,234.50", "(1,234.50)", "1234.50 DR", "CNY 12.00". Exact, or an error.
Result<Amount> read_amount(std::string_view text,
                           Currency currency,
                           const AmountNotation& notation);

// read_amount's fast paths, for text already stripped of sign and symbols: the minor units of
// plain digits (with the notation's grouping and decimal separator; implied decimals), or nullopt
// for anything else, which Amount::parse then reads or refuses. When they give a value it is the
// one Amount::parse gives (test/adapters/field_formats_test.cpp checks it on random text).
std::optional<std::int64_t> plain_minor_units(std::string_view text,
                                              std::uint8_t exponent,
                                              char decimal_separator,
                                              char grouping_separator) noexcept;
std::optional<std::int64_t> implied_minor_units(std::string_view digits,
                                                std::uint8_t exponent,
                                                int implied_decimals) noexcept;

// A plain non-negative integer (counts, term numbers): digits only, at most 18.
Result<std::uint64_t> read_count(std::string_view text);

// A share of a whole in basis points, exactly: "30%", "30.00%", "0.3", "0.3000" -> 3000. Finer
// shares than a basis point, or more than the whole, are refused.
Result<std::uint32_t> read_ratio_bp(std::string_view text);

// ASCII spaces and tabs, and the ideographic space U+3000 of Chinese files, off both ends.
std::string_view trim_text_edges(std::string_view text) noexcept;
// Inline: most fields have nothing to trim, and this runs for every field of every record.
inline std::string_view trim_text(std::string_view text) noexcept {
  // The first and last bytes of what may be trimmed: ' ', '\t', and U+3000 (E3 80 80).
  const auto edge = [](char c) { return c == ' ' || c == '\t' || c == '\xE3' || c == '\x80'; };
  if (text.empty() || (!edge(text.front()) && !edge(text.back())))
    return text;
  return trim_text_edges(text);
}

}  // namespace tally::adapters
