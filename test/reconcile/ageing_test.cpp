// Ageing of breaks: days from the business date to the as-of date, and the buckets at their edges.
#include <gtest/gtest.h>

#include <tally/reconcile/ageing.hpp>

namespace tally::reconcile {
namespace {

using namespace std::chrono;

constexpr BusinessDate kDay{year{2026}, November, day{1}};

BusinessDate plus_days(BusinessDate date, int days) {
  return BusinessDate{sys_days{date} + std::chrono::days{days}};
}

TEST(Ageing, AgeIsWholeDaysFromTheBusinessDate) {
  EXPECT_EQ(age_days(kDay, kDay), 0);
  EXPECT_EQ(age_days(kDay, plus_days(kDay, 45)), 45);
  // across a month end and a leap day
  EXPECT_EQ(age_days(BusinessDate{year{2028}, February, day{28}},
                     BusinessDate{year{2028}, March, day{1}}),
            2);
}

TEST(Ageing, AnAsOfDateBeforeTheBusinessDateIsRefused) {
  const auto age = age_days(kDay, plus_days(kDay, -1));
  ASSERT_FALSE(age);
  EXPECT_EQ(age.error().code, Errc::out_of_range);
  EXPECT_EQ(age.error().message, "as-of date 2026-10-31 is before the business date 2026-11-01");
}

TEST(Ageing, BucketsAtTheirEdges) {
  EXPECT_EQ(age_bucket(0), AgeBucket::days_0_1);
  EXPECT_EQ(age_bucket(1), AgeBucket::days_0_1);
  EXPECT_EQ(age_bucket(2), AgeBucket::days_2_7);
  EXPECT_EQ(age_bucket(7), AgeBucket::days_2_7);
  EXPECT_EQ(age_bucket(8), AgeBucket::days_8_30);
  EXPECT_EQ(age_bucket(30), AgeBucket::days_8_30);
  EXPECT_EQ(age_bucket(31), AgeBucket::over_30);
  EXPECT_EQ(age_bucket(10'000), AgeBucket::over_30);
}

TEST(Ageing, BucketNames) {
  EXPECT_EQ(age_bucket_name(AgeBucket::days_0_1), "0-1");
  EXPECT_EQ(age_bucket_name(AgeBucket::days_2_7), "2-7");
  EXPECT_EQ(age_bucket_name(AgeBucket::days_8_30), "8-30");
  EXPECT_EQ(age_bucket_name(AgeBucket::over_30), ">30");
}

TEST(Ageing, DatesParseStrictly) {
  EXPECT_EQ(parse_business_date("2026-11-01"), kDay);
  EXPECT_EQ(format_business_date(kDay), "2026-11-01");
  EXPECT_EQ(parse_business_date("2026-02-29").error().code, Errc::out_of_range);
  EXPECT_EQ(parse_business_date("2028-02-29"), (BusinessDate{year{2028}, February, day{29}}));
  for (const char* bad : {"", "2026-1-01", "2026/11/01", "2026-11-01 ", "+026-11-01", "2026-11-0x"})
    EXPECT_EQ(parse_business_date(bad).error().code, Errc::malformed) << bad;
}

}  // namespace
}  // namespace tally::reconcile
