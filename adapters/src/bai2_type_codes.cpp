#include <algorithm>
#include <array>

#include <tally/adapters/bai2_type_codes.hpp>

namespace tally::adapters {
namespace {

struct KindOfCode {
  std::uint16_t code;
  RecordKind kind;
};

// Only codes whose name in the BAI2 code list leaves no doubt; sorted for binary search.
constexpr std::array kKinds = std::to_array<KindOfCode>({
    {142, RecordKind::transfer},  // ACH Credit Received
    {165, RecordKind::transfer},  // Preauthorized ACH Credit
    {195, RecordKind::transfer},  // Incoming Money Transfer
    {206, RecordKind::transfer},  // Book Transfer Credit
    {255, RecordKind::reversal},  // Check Posted and Returned
    {257, RecordKind::reversal},  // Individual ACH Return Item
    {261, RecordKind::reversal},  // returned ACH item (the samples: "ACH Credit Reject")
    {266, RecordKind::reversal},  // returned item (the samples: "Outgoing Wire Return")
    {275, RecordKind::transfer},  // ZBA Credit
    {451, RecordKind::transfer},  // ACH Debit Received
    {455, RecordKind::transfer},  // Preauthorized ACH Debit
    {495, RecordKind::transfer},  // Outgoing Money Transfer
    {506, RecordKind::transfer},  // Book Transfer Debit
    {555, RecordKind::reversal},  // Deposited Item Returned
    {557, RecordKind::reversal},  // Individual ACH Return Item
    {575, RecordKind::transfer},  // ZBA Debit
    {698, RecordKind::fee},       // Miscellaneous Fees
});

static_assert(std::ranges::is_sorted(kKinds, {}, &KindOfCode::code));

}  // namespace

Bai2TypeClass bai2_type_class(std::uint16_t type_code) noexcept {
  if (type_code < 100 || (type_code >= 900 && type_code <= 919))
    return Bai2TypeClass::status;
  if (type_code < 400 || (type_code >= 920 && type_code <= 959))
    return Bai2TypeClass::credit;
  if (type_code < 700 || type_code >= 960)
    return Bai2TypeClass::debit;
  if (type_code < 800)
    return Bai2TypeClass::loan;
  return Bai2TypeClass::unused;
}

std::optional<Direction> bai2_detail_direction(std::uint16_t type_code) noexcept {
  // 100 and 400 are the totals of the summary; a detail is never "total credits".
  if (type_code == 100 || type_code == 400)
    return std::nullopt;
  switch (bai2_type_class(type_code)) {
    case Bai2TypeClass::credit:
      return Direction::credit;
    case Bai2TypeClass::debit:
      return Direction::debit;
    default:
      return std::nullopt;
  }
}

RecordKind bai2_detail_kind(std::uint16_t type_code) noexcept {
  const auto* found = std::ranges::lower_bound(kKinds, type_code, {}, &KindOfCode::code);
  if (found != kKinds.end() && found->code == type_code)
    return found->kind;
  return RecordKind::other;
}

}  // namespace tally::adapters
