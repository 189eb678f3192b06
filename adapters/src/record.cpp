#include <array>

#include <tally/adapters/record.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

constexpr std::uint32_t kBasisPointsWhole = 10'000;

constexpr std::array<std::string_view, 8> kKindNames = {
    "disbursement", "repayment", "fee", "penalty", "transfer", "reversal", "adjustment", "other"};

}  // namespace

std::string_view record_kind_name(RecordKind kind) noexcept {
  const auto index = static_cast<std::size_t>(kind) - 1;
  return index < kKindNames.size() ? kKindNames[index] : "unknown";
}

Result<RecordKind> parse_record_kind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name)
      return static_cast<RecordKind>(i + 1);
  }
  return fail(Errc::invalid_argument, str_cat("record kind: unknown '", name, "'"));
}

std::string_view direction_name(Direction direction) noexcept {
  return direction == Direction::credit ? "credit" : "debit";
}

Result<void> Record::check() const {
  if (amount.is_negative()) {
    return fail(Errc::invalid_argument, str_cat("record: amount ", amount.to_string(),
                                                " is negative; the direction carries the sign"));
  }
  if (term && *term == 0)
    return fail(Errc::invalid_argument, "record: term numbers start at 1");
  if (funding_ratio_bp && *funding_ratio_bp > kBasisPointsWhole) {
    return fail(Errc::invalid_argument, str_cat("record: funding ratio ", *funding_ratio_bp,
                                                " basis points is more than the whole loan"));
  }
  if (!components.any())
    return {};
  // The usual case, summed directly: every component in the amount's currency, no overflow.
  std::int64_t total = 0;
  bool plain = true;
  for (const auto* part : {&components.principal, &components.interest,
                           &components.penalty_interest, &components.fee}) {
    if (*part) {
      plain = plain && (*part)->currency() == amount.currency() && !(*part)->is_negative() &&
              !__builtin_add_overflow(total, (*part)->minor_units(), &total);
    }
  }
  if (plain && total == amount.minor_units())
    return {};
  Amount sum = Amount::zero(amount.currency());
  for (const auto& part :
       {components.principal, components.interest, components.penalty_interest, components.fee}) {
    if (!part)
      continue;
    if (part->is_negative()) {
      return fail(Errc::invalid_argument,
                  str_cat("record: component ", part->to_string(), " is negative"));
    }
    auto added = sum.plus(*part);
    if (!added)
      return fail(Errc::invalid_argument, str_cat("record: ", added.error().message));
    sum = *added;
  }
  if (sum != amount) {
    return fail(Errc::invalid_argument, str_cat("record: components sum to ", sum.to_string(),
                                                ", not the amount ", amount.to_string()));
  }
  return {};
}

}  // namespace tally::adapters
