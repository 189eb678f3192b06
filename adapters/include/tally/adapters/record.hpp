#pragma once
// The normalized record: one movement of money as a partner bank's file states it, whatever the
// file's format. Every parser in adapters/ emits these; reconciliation matches them.
//
// Money is an Amount (integer minor units of an ISO 4217 currency) that is never negative, with a
// Direction saying which way it moved for the account holder. When components are given
// (principal, interest, penalty interest, fee) they are in the same currency and sum exactly to
// the amount. `source` and `raw` keep where the record came from and its bytes as they were in
// the file, for audit.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <tally/core/amount.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::adapters {

// A civil date (no time zone): business, value and booking dates of bank files.
using Date = std::chrono::year_month_day;

// Stable values: stored and compared across runs.
enum class RecordKind : std::uint8_t {
  disbursement = 1,
  repayment = 2,
  fee = 3,
  penalty = 4,
  transfer = 5,
  reversal = 6,
  adjustment = 7,
  other = 8,
};
std::string_view record_kind_name(RecordKind kind) noexcept;
Result<RecordKind> parse_record_kind(std::string_view name);

// For the account holder: money in (credit) or out (debit).
enum class Direction : std::uint8_t { credit = 1, debit = 2 };
std::string_view direction_name(Direction direction) noexcept;

struct Components {
  std::optional<Amount> principal;
  std::optional<Amount> interest;
  std::optional<Amount> penalty_interest;
  std::optional<Amount> fee;

  bool any() const noexcept { return principal || interest || penalty_interest || fee; }
  bool operator==(const Components&) const = default;
};

// Where in its file a record came from: a line (text formats) or an element path (XML), and the
// byte offset of its first byte.
struct SourcePosition {
  std::string file_id;       // the content hash of the file, or a name given by the caller
  std::uint64_t line = 0;    // 1-based; 0 when the format has no lines
  std::string element_path;  // "/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]" for XML
  std::uint64_t byte_offset = 0;

  bool operator==(const SourcePosition&) const = default;
};

struct Record {
  Record(Amount record_amount, Direction record_direction)
      : amount(record_amount), direction(record_direction) {}

  std::string institution;   // who sent the file
  std::string counterparty;  // the other party of the movement, when stated
  std::string account;       // the account the movement is booked on
  std::optional<Date> business_date;
  std::optional<Date> value_date;
  std::optional<Date> booking_date;
  RecordKind kind = RecordKind::other;
  std::string reference;      // the bank's reference for the movement
  std::string loan_id;        // joint-lending files: the loan it belongs to
  std::string end_to_end_id;  // ISO 20022 EndToEndId, or the nearest equivalent
  Amount amount;              // never negative
  Direction direction;
  Components components;
  std::optional<std::uint32_t> term;  // joint loans: the instalment (term) number, from 1
  // Joint loans: this institution's share of the loan in basis points (3000 = 30.00%), exact.
  std::optional<std::uint32_t> funding_ratio_bp;
  std::string text;  // free text, as given (UTF-8)
  SourcePosition source;
  Bytes raw;

  // The record's own rules: a non-negative amount, components in its currency summing to it, a
  // term from 1, a funding ratio of at most 10000 basis points.
  // invalid_argument naming the rule otherwise.
  Result<void> check() const;

  bool operator==(const Record&) const = default;
};

}  // namespace tally::adapters
