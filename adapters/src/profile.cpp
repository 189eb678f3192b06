#include <array>

#include <tally/adapters/profile.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "account",    "counterparty",  "reference", "loan_id",  "end_to_end_id",    "business_date",
    "value_date", "booking_date",  "currency",  "amount",   "debit_amount",     "credit_amount",
    "direction",  "kind",          "principal", "interest", "penalty_interest", "fee",
    "term",       "funding_ratio", "text"};

constexpr std::array<std::string_view, 5> kFormatNames = {"csv", "fixed_width", "camt", "mt940",
                                                          "bai2"};

}  // namespace

std::string_view field_name(FieldId field) noexcept {
  const auto index = static_cast<std::size_t>(field);
  return index < kFieldNames.size() ? kFieldNames[index] : "unknown";
}

Result<FieldId> parse_field_name(std::string_view name) {
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    if (kFieldNames[i] == name)
      return static_cast<FieldId>(i);
  }
  return fail(Errc::invalid_argument, str_cat("unknown field '", name, "'"));
}

Result<ProfileFormat> parse_profile_format(std::string_view name) {
  for (std::size_t i = 0; i < kFormatNames.size(); ++i) {
    if (kFormatNames[i] == name)
      return static_cast<ProfileFormat>(i + 1);
  }
  return fail(Errc::invalid_argument, str_cat("unknown format '", name, "'"));
}

}  // namespace tally::adapters
