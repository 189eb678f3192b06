#include <cstdio>
#include <optional>

#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/ageing.hpp>

namespace tally::reconcile {

std::string_view age_bucket_name(AgeBucket bucket) noexcept {
  switch (bucket) {
    case AgeBucket::days_0_1:
      return "0-1";
    case AgeBucket::days_2_7:
      return "2-7";
    case AgeBucket::days_8_30:
      return "8-30";
    case AgeBucket::over_30:
      return ">30";
  }
  return "?";
}

Result<std::int64_t> age_days(BusinessDate business_date, BusinessDate as_of) {
  TALLY_ASSERT(business_date.ok() && as_of.ok());
  const auto days = (std::chrono::sys_days{as_of} - std::chrono::sys_days{business_date}).count();
  if (days < 0) {
    return fail(Errc::out_of_range,
                str_cat("as-of date ", format_business_date(as_of), " is before the business date ",
                        format_business_date(business_date)));
  }
  return static_cast<std::int64_t>(days);
}

AgeBucket age_bucket(std::int64_t days) {
  TALLY_ASSERT(days >= 0);
  if (days <= 1)
    return AgeBucket::days_0_1;
  if (days <= 7)
    return AgeBucket::days_2_7;
  if (days <= 30)
    return AgeBucket::days_8_30;
  return AgeBucket::over_30;
}

Result<BusinessDate> parse_business_date(std::string_view text) {
  const auto bad = [&] {
    return fail(Errc::malformed, str_cat("date '", text, "' is not YYYY-MM-DD"));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-')
    return bad();
  const auto number = [&](std::size_t from, std::size_t length) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9')
        return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto year = number(0, 4);
  const auto month = number(5, 2);
  const auto day = number(8, 2);
  if (!year || !month || !day)
    return bad();
  const BusinessDate date{std::chrono::year{*year},
                          std::chrono::month{static_cast<unsigned>(*month)},
                          std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok())
    return fail(Errc::out_of_range, str_cat("date '", text, "' is not a calendar date"));
  return date;
}

std::string format_business_date(BusinessDate date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

}  // namespace tally::reconcile
