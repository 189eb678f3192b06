#include <tally/adapters/control_totals.hpp>
#include <tally/adapters/field_formats.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {

void ControlTotalsCheck::add(const Record& record) noexcept {
  ++count_;
  if (currency_ && *currency_ != record.amount.currency())
    mixed_currencies_ = true;
  currency_ = record.amount.currency();
  std::int64_t value = record.amount.minor_units();
  if (spec_.net && record.direction == Direction::debit)
    value = -value;
  overflow_ |= __builtin_add_overflow(sum_, value, &sum_);
}

void ControlTotalsCheck::check(const FieldText* count_field,
                               const FieldText* sum_field,
                               const Profile& profile,
                               RecordMapping& mapping,
                               std::vector<FieldError>& errors) const {
  const auto fail_at = [&](const FieldText& where, std::string reason) {
    errors.push_back({where.line, where.column, std::move(reason)});
  };
  if (count_field != nullptr) {
    auto text = mapping.text(*count_field, kFieldCount);
    auto count = text ? read_count(*text) : Result<std::uint64_t>(0);
    if (!text)
      errors.push_back(std::move(text.error()));
    else if (!count)
      fail_at(*count_field, str_cat("trailer record count: ", count.error().message));
    else if (*count != count_)
      fail_at(*count_field,
              str_cat("trailer record count ", *count, " but the file has ", count_, " records"));
  }
  if (sum_field == nullptr)
    return;
  if (mixed_currencies_ || overflow_) {
    fail_at(*sum_field, mixed_currencies_ ? "trailer sum: the records are in several currencies"
                                          : "trailer sum: the records' sum overflows");
    return;
  }
  // With no record and no currency in the profile, the sum can only be zero, which reads the
  // same in any currency of two decimals.
  Currency currency = Currency::from_code("USD").value();
  if (currency_)
    currency = *currency_;
  else if (profile.currency)
    currency = *profile.currency;
  auto text = mapping.text(*sum_field, kFieldCount + 1);
  if (!text) {
    errors.push_back(std::move(text.error()));
    return;
  }
  auto sum = read_amount(*text, currency, profile.amounts);
  if (!sum) {
    fail_at(*sum_field, str_cat("trailer sum: ", sum.error().message));
  } else if (sum->minor_units() != sum_) {
    fail_at(*sum_field, str_cat("trailer sum ", sum->to_string(), " but the records sum to ",
                                Amount(sum_, currency).to_string()));
  }
}

}  // namespace tally::adapters
