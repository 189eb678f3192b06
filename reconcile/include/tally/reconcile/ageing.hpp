#pragma once
// Ageing of breaks by business date: a break's age is the number of days from its business date to
// an as-of date the caller gives (never the clock: the same inputs give the same report), put in
// the buckets ops teams report on: 0-1, 2-7, 8-30 and over 30 days.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <tally/core/error.hpp>

namespace tally::reconcile {

using BusinessDate = std::chrono::year_month_day;

enum class AgeBucket : std::uint8_t { days_0_1, days_2_7, days_8_30, over_30 };

// "0-1", "2-7", "8-30", ">30".
std::string_view age_bucket_name(AgeBucket bucket) noexcept;

// Whole days from `business_date` to `as_of`; out_of_range when as_of is before the business date.
Result<std::int64_t> age_days(BusinessDate business_date, BusinessDate as_of);
// The bucket of a non-negative age.
AgeBucket age_bucket(std::int64_t days);

// Strict "YYYY-MM-DD" (a real calendar date), as the stores write dates.
Result<BusinessDate> parse_business_date(std::string_view text);
std::string format_business_date(BusinessDate date);

}  // namespace tally::reconcile
