#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

#include <tally/adapters/mt940_fields.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_upper(char c) noexcept {
  return c >= 'A' && c <= 'Z';
}
bool is_letter(char c) noexcept {
  return is_upper(c) || (c >= 'a' && c <= 'z');
}

std::unexpected<Mt940FieldError> field_error(std::size_t offset, std::string reason) {
  return std::unexpected(Mt940FieldError{offset, std::move(reason)});
}

std::size_t count_digits(std::string_view text, std::size_t from, std::size_t max) noexcept {
  std::size_t n = 0;
  while (from + n < text.size() && n < max && is_digit(text[from + n]))
    ++n;
  return n;
}

unsigned digits_value(std::string_view text) noexcept {
  unsigned value = 0;
  for (const char c : text)
    value = value * 10 + static_cast<unsigned>(c - '0');
  return value;
}

std::string_view trim_right(std::string_view text) noexcept {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

std::string_view trim(std::string_view text) noexcept {
  text = trim_right(text);
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  return text;
}

// The amount runs from `from` to the first character that is neither digit nor comma.
std::size_t amount_end(std::string_view text, std::size_t from) noexcept {
  std::size_t end = from;
  while (end < text.size() && (is_digit(text[end]) || text[end] == ','))
    ++end;
  return end;
}

Mt940Field<Currency> parse_currency(std::string_view text, std::size_t at) {
  if (text.size() < at + 3)
    return field_error(at, "missing currency code");
  auto currency = Currency::from_code(text.substr(at, 3));
  if (!currency)
    return field_error(at, str_cat("unknown currency '", text.substr(at, 3), "'"));
  return *currency;
}

}  // namespace

Mt940Field<Date> parse_mt940_date(std::string_view yymmdd) {
  if (yymmdd.size() != 6 || count_digits(yymmdd, 0, 6) != 6)
    return field_error(0, "date is not YYMMDD");
  const unsigned yy = digits_value(yymmdd.substr(0, 2));
  const int year = static_cast<int>(yy < 80 ? 2000 + yy : 1900 + yy);
  const Date date{std::chrono::year{year}, std::chrono::month{digits_value(yymmdd.substr(2, 2))},
                  std::chrono::day{digits_value(yymmdd.substr(4, 2))}};
  if (!date.ok())
    return field_error(0, str_cat("no such date '", yymmdd, "'"));
  return date;
}

Mt940Field<Amount> parse_mt940_amount(std::string_view text, Currency currency) {
  if (text.empty())
    return field_error(0, "missing amount");
  if (text.size() > kMt940MaxAmountChars)
    return field_error(kMt940MaxAmountChars, "amount longer than 15 characters");
  const std::size_t comma = text.find(',');
  if (comma == std::string_view::npos)
    return field_error(text.size(), "amount has no decimal comma");
  if (comma == 0)
    return field_error(0, "amount has no integer digits");
  if (text.find(',', comma + 1) != std::string_view::npos)
    return field_error(text.find(',', comma + 1), "amount has two decimal commas");
  // "1234," is a whole amount in SWIFT; Amount::parse wants digits after a separator.
  const std::string_view exact = comma + 1 == text.size() ? text.substr(0, comma) : text;
  auto amount = Amount::parse(exact, currency, AmountFormat{.decimal_separator = ','});
  if (!amount)
    return field_error(0, amount.error().message);
  return *amount;
}

Mt940Field<Mt940Balance> parse_mt940_balance(std::string_view text) {
  text = trim_right(text);
  if (text.empty() || (text[0] != 'C' && text[0] != 'D'))
    return field_error(0, "balance mark is not C or D");
  auto date = parse_mt940_date(text.substr(1, std::min<std::size_t>(6, text.size() - 1)));
  if (!date)
    return field_error(1, date.error().reason);
  auto currency = parse_currency(text, 7);
  if (!currency)
    return std::unexpected(currency.error());
  auto amount = parse_mt940_amount(text.substr(std::min<std::size_t>(10, text.size())), *currency);
  if (!amount)
    return field_error(10 + amount.error().offset, amount.error().reason);
  Amount signed_amount = *amount;
  if (text[0] == 'D')
    signed_amount = Amount{-amount->minor_units(), *currency};  // 15d fits: no overflow
  return Mt940Balance{.date = *date, .signed_amount = signed_amount};
}

Mt940Field<Mt940StatementNumber> parse_mt940_statement_number(std::string_view text) {
  text = trim_right(text);
  const std::size_t first = count_digits(text, 0, 6);
  if (first == 0 || first > 5)
    return field_error(0, "statement number is not 1 to 5 digits");
  Mt940StatementNumber number{.statement = digits_value(text.substr(0, first)), .sequence = {}};
  if (first == text.size())
    return number;
  if (text[first] != '/')
    return field_error(first, "statement number not followed by '/'");
  const std::size_t second = count_digits(text, first + 1, 6);
  if (second == 0 || second > 5 || first + 1 + second != text.size())
    return field_error(first + 1, "sequence number is not 1 to 5 digits");
  number.sequence = digits_value(text.substr(first + 1));
  return number;
}

Direction mt940_mark_direction(Mt940Mark mark) noexcept {
  switch (mark) {
    case Mt940Mark::credit:
    case Mt940Mark::reversal_of_debit:
    case Mt940Mark::expected_credit:
      return Direction::credit;
    case Mt940Mark::debit:
    case Mt940Mark::reversal_of_credit:
    case Mt940Mark::expected_debit:
      return Direction::debit;
  }
  return Direction::debit;
}

std::optional<Date> mt940_infer_entry_date(Date value_date, unsigned month, unsigned day) {
  using std::chrono::sys_days;
  std::optional<Date> best;
  long best_distance = 0;
  for (int delta = -1; delta <= 1; ++delta) {
    const Date candidate{value_date.year() + std::chrono::years{delta}, std::chrono::month{month},
                         std::chrono::day{day}};
    if (!candidate.ok())
      continue;
    const long distance = std::abs((sys_days{candidate} - sys_days{value_date}).count());
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

namespace {

struct MarkParse {
  Mt940Mark mark;
  std::size_t length;
};

std::optional<MarkParse> parse_mark(std::string_view text) {
  constexpr std::array<std::pair<std::string_view, Mt940Mark>, 6> kMarks{{
      {"RC", Mt940Mark::reversal_of_credit},
      {"RD", Mt940Mark::reversal_of_debit},
      {"EC", Mt940Mark::expected_credit},
      {"ED", Mt940Mark::expected_debit},
      {"C", Mt940Mark::credit},
      {"D", Mt940Mark::debit},
  }};
  for (const auto& [code, mark] : kMarks) {
    if (text.starts_with(code))
      return MarkParse{mark, code.size()};
  }
  return std::nullopt;
}

}  // namespace

Mt940Field<Mt940StatementLine> parse_mt940_statement_line(std::string_view text,
                                                          Currency currency) {
  text = trim_right(text);
  auto value_date = parse_mt940_date(text.substr(0, std::min<std::size_t>(6, text.size())));
  if (!value_date)
    return field_error(0, str_cat("value date: ", value_date.error().reason));
  std::size_t pos = 6;
  std::optional<Date> entry_date;
  if (count_digits(text, pos, 4) == 4) {
    const unsigned month = digits_value(text.substr(pos, 2));
    const unsigned day = digits_value(text.substr(pos + 2, 2));
    entry_date = mt940_infer_entry_date(*value_date, month, day);
    if (!entry_date)
      return field_error(pos, str_cat("no such entry date '", text.substr(pos, 4), "'"));
    pos += 4;
  }
  const auto mark = parse_mark(text.substr(pos));
  if (!mark)
    return field_error(pos, "debit/credit mark is not C, D, RC, RD, EC or ED");
  pos += mark->length;
  char funds_code = '\0';
  if (pos < text.size() && is_letter(text[pos]))
    funds_code = text[pos++];
  const std::size_t end = amount_end(text, pos);
  auto amount = parse_mt940_amount(text.substr(pos, end - pos), currency);
  if (!amount)
    return field_error(pos + amount.error().offset, amount.error().reason);
  pos = end;
  if (text.size() < pos + 4)
    return field_error(pos, "missing transaction type identification code");
  const char type = text[pos];
  if (type != 'N' && type != 'F' && type != 'S')
    return field_error(pos, "transaction type is not N, F or S");
  std::string type_code(text.substr(pos, 4));
  pos += 4;
  // The bank reference follows "//"; supplementary details (34x) come on the next line.
  const std::size_t newline = text.find('\n', pos);
  const std::string_view rest =
      text.substr(pos, newline == std::string_view::npos ? std::string_view::npos : newline - pos);
  const std::size_t slashes = rest.find("//");
  const std::string_view customer = trim_right(rest.substr(0, slashes));
  if (customer.empty())
    return field_error(pos, "missing customer reference");
  if (customer.size() > kMt940MaxReferenceChars)
    return field_error(pos + kMt940MaxReferenceChars, "customer reference longer than 16");
  std::string_view bank;
  if (slashes != std::string_view::npos) {
    bank = trim_right(rest.substr(slashes + 2));
    if (bank.size() > kMt940MaxReferenceChars)
      return field_error(pos + slashes + 2 + kMt940MaxReferenceChars,
                         "bank reference longer than 16");
  }
  std::string_view supplementary;
  if (newline != std::string_view::npos) {
    supplementary = trim_right(text.substr(newline + 1));
    if (supplementary.find('\n') != std::string_view::npos)
      return field_error(newline + 1 + supplementary.find('\n'),
                         "statement line has more than one supplementary line");
    if (supplementary.size() > kMt940MaxSupplementaryChars)
      return field_error(newline + 1 + kMt940MaxSupplementaryChars,
                         "supplementary details longer than 34");
  }
  return Mt940StatementLine{.value_date = *value_date,
                            .entry_date = entry_date,
                            .mark = mark->mark,
                            .funds_code = funds_code,
                            .amount = *amount,
                            .type_code = std::move(type_code),
                            .customer_reference = std::string(customer),
                            .bank_reference = std::string(bank),
                            .supplementary = std::string(supplementary)};
}

namespace {

// Splits the purpose at the SEPA keys ("EREF+", "SVWZ+", ...) and keeps the values we map.
void split_sepa_keys(Mt940Details& details) {
  constexpr std::array<std::string_view, 10> kKeys{"EREF+", "KREF+", "MREF+", "CRED+", "DEBT+",
                                                   "SVWZ+", "ABWA+", "ABWE+", "COAM+", "OAMT+"};
  struct Found {
    std::size_t at;
    std::string_view key;
  };
  std::vector<Found> found;
  const std::string_view purpose = details.purpose;
  for (const auto key : kKeys) {
    const std::size_t at = purpose.find(key);
    if (at != std::string_view::npos)
      found.push_back({at, key});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.at < b.at; });
  for (std::size_t i = 0; i < found.size(); ++i) {
    const std::size_t begin = found[i].at + found[i].key.size();
    const std::size_t end = i + 1 < found.size() ? found[i + 1].at : purpose.size();
    const std::string value(trim(purpose.substr(begin, end > begin ? end - begin : 0)));
    if (found[i].key == "EREF+")
      details.end_to_end_id = value;
    else if (found[i].key == "KREF+")
      details.customer_reference = value;
    else if (found[i].key == "MREF+")
      details.mandate_reference = value;
    else if (found[i].key == "SVWZ+")
      details.remittance = value;
  }
}

void append_subfield(Mt940Details& details, unsigned code, std::string_view value) {
  if (code == 0) {
    details.booking_text += value;
  } else if ((code >= 20 && code <= 29) || (code >= 60 && code <= 63)) {
    details.purpose += value;
  } else if (code == 30) {
    details.counterparty_bank += value;
  } else if (code == 31) {
    details.counterparty_account += value;
  } else if (code == 32 || code == 33) {
    details.counterparty += value;
  }
}

}  // namespace

Mt940Details parse_mt940_details(std::string_view text) {
  Mt940Details details;
  const std::string_view lead = trim(text);
  const bool structured = lead.size() >= 4 && count_digits(lead, 0, 3) == 3 && lead[3] == '?';
  if (!structured) {
    details.text = std::string(text);
    return details;
  }
  details.structured = true;
  details.transaction_code = static_cast<std::uint16_t>(digits_value(lead.substr(0, 3)));
  // Line breaks inside structured details are only where the bank wrapped its 65 columns.
  std::string joined;
  joined.reserve(lead.size());
  for (const char c : lead.substr(3)) {
    if (c != '\n')
      joined += c;
  }
  std::size_t pos = 0;
  while (pos + 3 <= joined.size()) {
    // joined[pos] == '?' and two digits follow, else the '?' is text of the previous subfield.
    const unsigned code = digits_value(std::string_view(joined).substr(pos + 1, 2));
    std::size_t next = pos + 3;
    while (true) {
      next = joined.find('?', next);
      if (next == std::string::npos || count_digits(joined, next + 1, 2) == 2)
        break;
      ++next;
    }
    const std::size_t end = next == std::string::npos ? joined.size() : next;
    if (count_digits(joined, pos + 1, 2) == 2)
      append_subfield(details, code, std::string_view(joined).substr(pos + 3, end - pos - 3));
    pos = end;
  }
  details.counterparty = std::string(trim(details.counterparty));
  split_sepa_keys(details);
  details.text = !details.remittance.empty() ? details.remittance
                 : !details.purpose.empty()  ? details.purpose
                                             : details.booking_text;
  return details;
}

Mt940Field<Mt940FloorLimit> parse_mt940_floor_limit(std::string_view text) {
  text = trim_right(text);
  auto currency = parse_currency(text, 0);
  if (!currency)
    return std::unexpected(currency.error());
  std::size_t pos = 3;
  std::optional<Direction> mark;
  if (pos < text.size() && (text[pos] == 'D' || text[pos] == 'C')) {
    mark = text[pos] == 'D' ? Direction::debit : Direction::credit;
    ++pos;
  }
  auto amount = parse_mt940_amount(text.substr(pos), *currency);
  if (!amount)
    return field_error(pos + amount.error().offset, amount.error().reason);
  return Mt940FloorLimit{.mark = mark, .amount = *amount};
}

Mt940Field<Mt940EntrySum> parse_mt940_entry_sum(std::string_view text) {
  text = trim_right(text);
  const std::size_t digits = count_digits(text, 0, 6);
  if (digits == 0 || digits > 5)
    return field_error(0, "number of entries is not 1 to 5 digits");
  auto currency = parse_currency(text, digits);
  if (!currency)
    return std::unexpected(currency.error());
  auto amount = parse_mt940_amount(text.substr(digits + 3), *currency);
  if (!amount)
    return field_error(digits + 3 + amount.error().offset, amount.error().reason);
  return Mt940EntrySum{.count = digits_value(text.substr(0, digits)), .sum = *amount};
}

Mt940Field<Date> parse_mt940_date_time(std::string_view text) {
  text = trim_right(text);
  if (text.size() != 15 || count_digits(text, 0, 10) != 10 ||
      (text[10] != '+' && text[10] != '-') || count_digits(text, 11, 4) != 4)
    return field_error(0, "date/time indication is not YYMMDDHHMM+HHMM");
  auto date = parse_mt940_date(text.substr(0, 6));
  if (!date)
    return date;
  if (digits_value(text.substr(6, 2)) > 23 || digits_value(text.substr(8, 2)) > 59 ||
      digits_value(text.substr(11, 2)) > 14 || digits_value(text.substr(13, 2)) > 59)
    return field_error(6, "no such time or offset");
  return *date;
}

}  // namespace tally::adapters
