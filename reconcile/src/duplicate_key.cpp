#include <cstdint>
#include <string>

#include <tally/core/hash.hpp>
#include <tally/reconcile/duplicate_key.hpp>

namespace tally::reconcile {
namespace {

bool identifies(std::string_view id) {
  return !id.empty() && id != "NOTPROVIDED";
}

// Fields are written length-prefixed, so no two different records serialise alike.
class KeyWriter {
 public:
  void text(std::string_view value) {
    integer(static_cast<std::int64_t>(value.size()));
    bytes_.append(value);
  }
  void integer(std::int64_t value) {
    for (int shift = 0; shift < 64; shift += 8)
      bytes_.push_back(static_cast<char>((static_cast<std::uint64_t>(value) >> shift) & 0xff));
  }
  void date(const std::optional<adapters::Date>& value) {
    integer(value ? 1 : 0);
    if (!value)
      return;
    integer(static_cast<int>(value->year()));
    integer(static_cast<unsigned>(value->month()));
    integer(static_cast<unsigned>(value->day()));
  }
  void amount(const std::optional<Amount>& value) {
    integer(value ? 1 : 0);
    if (value)
      integer(value->minor_units());
  }
  void optional(const std::optional<std::uint32_t>& value) {
    integer(value ? 1 : 0);
    if (value)
      integer(*value);
  }
  Hash256 digest() const { return sha256(as_bytes(bytes_)); }

 private:
  std::string bytes_;
};

}  // namespace

std::optional<Hash256> duplicate_key(const adapters::Record& record) {
  if (!identifies(record.reference) && !identifies(record.end_to_end_id) &&
      !identifies(record.loan_id))
    return std::nullopt;
  KeyWriter key;
  key.text(record.institution);
  key.text(record.counterparty);
  key.text(record.account);
  key.date(record.business_date);
  key.date(record.value_date);
  key.date(record.booking_date);
  key.integer(static_cast<std::int64_t>(record.kind));
  key.text(record.reference);
  key.text(record.loan_id);
  key.text(record.end_to_end_id);
  key.text(record.amount.currency().code());
  key.integer(record.amount.minor_units());
  key.integer(static_cast<std::int64_t>(record.direction));
  key.amount(record.components.principal);
  key.amount(record.components.interest);
  key.amount(record.components.penalty_interest);
  key.amount(record.components.fee);
  key.optional(record.term);
  key.optional(record.funding_ratio_bp);
  key.text(record.text);
  return key.digest();
}

}  // namespace tally::reconcile
