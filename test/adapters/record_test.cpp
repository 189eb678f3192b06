#include <gtest/gtest.h>

#include <tally/adapters/parse_report.hpp>
#include <tally/adapters/record.hpp>

namespace tally::adapters {
namespace {

const Currency kCny = Currency::from_code("CNY").value();

TEST(Record, ComponentsMustSumToTheAmount) {
  Record record(Amount(100'000, kCny), Direction::credit);
  EXPECT_TRUE(record.check());
  record.components.principal = Amount(90'000, kCny);
  record.components.interest = Amount(9'000, kCny);
  const auto short_by_one = record.check();
  ASSERT_FALSE(short_by_one);
  EXPECT_NE(short_by_one.error().message.find("990.00, not the amount 1000.00"), std::string::npos)
      << short_by_one.error();
  record.components.fee = Amount(1'000, kCny);
  EXPECT_TRUE(record.check());
  record.components.penalty_interest = Amount(0, Currency::from_code("USD").value());
  EXPECT_FALSE(record.check());
}

TEST(Record, AmountsAreNeverNegative) {
  const Record negative(Amount(-1, kCny), Direction::debit);
  EXPECT_FALSE(negative.check());
  Record part(Amount(10, kCny), Direction::debit);
  part.components.principal = Amount(11, kCny);
  part.components.fee = Amount(-1, kCny);
  EXPECT_FALSE(part.check());
}

TEST(Record, TermsStartAtOneAndFundingRatiosAreAtMostTheWholeLoan) {
  Record record(Amount(100, kCny), Direction::credit);
  record.term = 1;
  record.funding_ratio_bp = 10'000;
  EXPECT_TRUE(record.check());
  record.term = 0;
  EXPECT_FALSE(record.check());
  record.term = 12;
  record.funding_ratio_bp = 10'001;
  EXPECT_FALSE(record.check());
}

TEST(RecordKind, NamesRoundTrip) {
  for (int k = 1; k <= 8; ++k) {
    const auto kind = static_cast<RecordKind>(k);
    EXPECT_EQ(parse_record_kind(record_kind_name(kind)).value(), kind);
  }
  EXPECT_FALSE(parse_record_kind("refund"));
}

TEST(ParseReport, LocatesErrorsAndBoundsHowManyItKeeps) {
  ParseReport report;
  EXPECT_TRUE(report.ok());
  report.add_error({{"statement.sta", 12, "", 300}, 5, "amount has no decimal comma"});
  EXPECT_EQ(report.errors()[0].to_string(), "statement.sta:12:5: amount has no decimal comma");
  for (std::size_t i = 0; i < kMaxReportedErrors + 5; ++i)
    report.add_error({{}, 0, "again"});
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(report.truncated());
  EXPECT_EQ(report.errors().size(), kMaxReportedErrors);
  EXPECT_EQ(report.error_count(), kMaxReportedErrors + 6);
}

}  // namespace
}  // namespace tally::adapters
