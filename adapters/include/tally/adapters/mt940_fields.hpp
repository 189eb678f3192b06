#pragma once
// The fields of SWIFT MT940 (customer statement) and MT942 (interim transaction report), parsed
// one at a time from their text (the tag removed, continuation lines joined with '\n'). Pure
// functions: no I/O, no state; mt940.hpp drives them over a file. A failure names the byte offset
// within the field text, so the caller can locate it in the file.
//
// Formats follow the SWIFT MT 940/942 field specifications (amounts "15d" with a mandatory decimal
// comma, dates YYMMDD), with the leniencies real files need noted at each function.

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include <tally/adapters/record.hpp>
#include <tally/core/amount.hpp>

namespace tally::adapters {

inline constexpr std::size_t kMt940MaxAmountChars = 15;         // "15d", the comma included
inline constexpr std::size_t kMt940MaxReferenceChars = 16;      // :20:, :61: references
inline constexpr std::size_t kMt940MaxAccountChars = 35;        // :25:
inline constexpr std::size_t kMt940MaxDetailsChars = 6 * 65;    // :86:, line breaks not counted
inline constexpr std::size_t kMt940MaxSupplementaryChars = 34;  // :61: second line

struct Mt940FieldError {
  std::size_t offset = 0;  // into the field text
  std::string reason;
};
template <class T>
using Mt940Field = std::expected<T, Mt940FieldError>;

// :60F:, :60M:, :62F:, :62M:, :64:, :65: "C230131EUR1234,56". `signed_amount` is negative for D.
struct Mt940Balance {
  Date date;
  Amount signed_amount;
};
Mt940Field<Mt940Balance> parse_mt940_balance(std::string_view text);

// YYMMDD with the SWIFT century rule used by banks: 00..79 is 20xx, 80..99 is 19xx.
Mt940Field<Date> parse_mt940_date(std::string_view yymmdd);

// "1234,56" or "1234,": digits, one mandatory decimal comma, at most 15 characters.
Mt940Field<Amount> parse_mt940_amount(std::string_view text, Currency currency);

// :28C: (and the older :28:) "5n[/5n]": statement number and optional sequence number.
struct Mt940StatementNumber {
  std::uint32_t statement = 0;
  std::optional<std::uint32_t> sequence;
};
Mt940Field<Mt940StatementNumber> parse_mt940_statement_number(std::string_view text);

// :61: statement line: subfields 1..8 on the first line, optionally '\n' and the supplementary
// details line (34x). Trailing blanks of either line are ignored.
enum class Mt940Mark : std::uint8_t {
  credit,
  debit,
  reversal_of_credit,  // RC: a credit taken back, money out
  reversal_of_debit,   // RD: a debit taken back, money in
  expected_credit,     // EC, some banks' MT942
  expected_debit,      // ED
};
Direction mt940_mark_direction(Mt940Mark mark) noexcept;

struct Mt940StatementLine {
  Date value_date;
  std::optional<Date> entry_date;  // year inferred from the value date, across a year end
  Mt940Mark mark = Mt940Mark::credit;
  char funds_code = '\0';          // the third letter of the currency code, when given
  Amount amount;                   // never negative
  std::string type_code;           // "NTRF", "FCHG", "S051"
  std::string customer_reference;  // "NONREF" when the owner gave none
  std::string bank_reference;
  std::string supplementary;
};
Mt940Field<Mt940StatementLine> parse_mt940_statement_line(std::string_view text, Currency currency);

// The entry date MMDD belongs to the year that puts it nearest the value date (a booking on
// 31 December of a value dated 2 January is in the year before). nullopt if no such date exists.
std::optional<Date> mt940_infer_entry_date(Date value_date, unsigned month, unsigned day);

// :86: information to account owner. German banks structure it ("166?00GUTSCHRIFT?20EREF+..."):
// a three-digit business transaction code then ?nn subfields. Otherwise it is free text.
struct Mt940Details {
  bool structured = false;
  std::optional<std::uint16_t> transaction_code;  // the leading "166"
  std::string booking_text;                       // ?00
  std::string purpose;                            // ?20..?29 then ?60..?63, joined
  std::string counterparty;                       // ?32 and ?33, joined
  std::string counterparty_bank;                  // ?30
  std::string counterparty_account;               // ?31
  // SEPA keys found in the purpose.
  std::string end_to_end_id;       // EREF+
  std::string customer_reference;  // KREF+
  std::string mandate_reference;   // MREF+
  std::string remittance;          // SVWZ+
  std::string text;  // what a reader is shown: SVWZ+ if given, else the purpose, else the text
};
// Never fails: text that is not well structured is free text.
Mt940Details parse_mt940_details(std::string_view text);

// MT942 :34F: floor limit "EURD0,00": currency, optional D/C mark, amount.
struct Mt940FloorLimit {
  std::optional<Direction> mark;
  Amount amount;
};
Mt940Field<Mt940FloorLimit> parse_mt940_floor_limit(std::string_view text);

// MT942 :90D:/:90C: "5EUR1234,56": number of entries and their sum.
struct Mt940EntrySum {
  std::uint32_t count = 0;
  Amount sum;
};
Mt940Field<Mt940EntrySum> parse_mt940_entry_sum(std::string_view text);

// MT942 :13D: date/time indication "2301311730+0100".
Mt940Field<Date> parse_mt940_date_time(std::string_view text);

}  // namespace tally::adapters
