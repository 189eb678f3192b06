#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <tally/core/amount.hpp>

#include "support/seed.hpp"

namespace tally {
namespace {

const Currency kCny = Currency::from_code("CNY").value();
const Currency kJpy = Currency::from_code("JPY").value();
const Currency kKwd = Currency::from_code("KWD").value();
constexpr AmountFormat kEuropean{.decimal_separator = ',', .grouping_separator = '.'};
constexpr AmountFormat kGrouped{.decimal_separator = '.', .grouping_separator = ','};

std::int64_t minor(std::string_view text, Currency currency, AmountFormat format = {}) {
  const auto amount = Amount::parse(text, currency, format);
  EXPECT_TRUE(amount) << text << ": " << to_string(amount.error());
  return amount ? amount->minor_units() : 0;
}

std::string parse_error(std::string_view text, Currency currency, AmountFormat format = {}) {
  const auto amount = Amount::parse(text, currency, format);
  EXPECT_FALSE(amount) << text << " parsed as " << amount->minor_units();
  return amount ? std::string() : amount.error().message;
}

TEST(AmountParse, ReadsMinorUnitsExactly) {
  EXPECT_EQ(minor("1234.56", kCny), 123456);
  EXPECT_EQ(minor("-1234.5", kCny), -123450);
  EXPECT_EQ(minor("+0.01", kCny), 1);
  EXPECT_EQ(minor("7", kCny), 700);
  EXPECT_EQ(minor(".5", kCny), 50);
  EXPECT_EQ(minor("1234", kJpy), 1234);
  EXPECT_EQ(minor("1.234", kKwd), 1234);
  EXPECT_EQ(minor("-0", kCny), 0);
}

TEST(AmountParse, AcceptsTrailingZerosBeyondTheMinorUnitButNeverRounds) {
  EXPECT_EQ(minor("12.3400", kCny), 1234);
  EXPECT_EQ(minor("12.000", kJpy), 12);
  EXPECT_NE(parse_error("12.345", kCny).find("more than 2 decimals for CNY"), std::string::npos);
  EXPECT_NE(parse_error("12.5", kJpy).find("offset 3"), std::string::npos);
}

TEST(AmountParse, HonoursConfiguredSeparators) {
  EXPECT_EQ(minor("1,234,567.89", kCny, kGrouped), 123456789);
  EXPECT_EQ(minor("1.234.567,89", kCny, kEuropean), 123456789);
  EXPECT_EQ(minor("1234567,89", kCny, kEuropean), 123456789);
  EXPECT_EQ(minor("1 234,5", kCny, {.decimal_separator = ',', .grouping_separator = ' '}), 123450);
  // Without a grouping separator configured, a comma is just a bad character.
  EXPECT_NE(parse_error("1,234.00", kCny).find("offset 1: unexpected character"),
            std::string::npos);
}

TEST(AmountParse, RefusesMisplacedGrouping) {
  for (const char* text :
       {",123.00", "1,,234.00", "1,23.00", "1,2345.00", "1234,567.00", "1,234,", "12,34"}) {
    EXPECT_FALSE(Amount::parse(text, kCny, kGrouped)) << text;
  }
  EXPECT_FALSE(Amount::parse("1.234,567", kCny, kEuropean));  // grouping inside the fraction
}

TEST(AmountParse, RefusesMalformedTextNamingTheOffset) {
  EXPECT_NE(parse_error("", kCny).find("no digits"), std::string::npos);
  EXPECT_NE(parse_error("-", kCny).find("no digits"), std::string::npos);
  EXPECT_NE(parse_error("12.", kCny).find("no digits after"), std::string::npos);
  EXPECT_NE(parse_error("1x2", kCny).find("offset 1"), std::string::npos);
  EXPECT_NE(parse_error("1.2.3", kCny).find("offset 3"), std::string::npos);
  EXPECT_NE(parse_error("--1", kCny).find("offset 1"), std::string::npos);
  EXPECT_FALSE(Amount::parse(" 1", kCny));
  EXPECT_FALSE(Amount::parse("1 ", kCny));
  EXPECT_FALSE(Amount::parse("1e5", kCny));
  const auto same = Amount::parse("1", kCny, {.decimal_separator = ',', .grouping_separator = ','});
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().code, Errc::invalid_argument);
}

TEST(AmountParse, BoundsTextLengthAndRange) {
  const auto long_text = Amount::parse(std::string(Amount::kMaxTextLength + 1, '1'), kJpy);
  ASSERT_FALSE(long_text);
  EXPECT_EQ(long_text.error().code, Errc::limit_exceeded);
  EXPECT_TRUE(Amount::parse(std::string(Amount::kMaxTextLength, '0'), kJpy));

  EXPECT_EQ(minor("92233720368547758.07", kCny), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(minor("-92233720368547758.08", kCny), std::numeric_limits<std::int64_t>::min());
  EXPECT_NE(parse_error("92233720368547758.08", kCny).find("overflow"), std::string::npos);
  EXPECT_NE(parse_error("-92233720368547758.09", kCny).find("overflow"), std::string::npos);
  EXPECT_NE(parse_error("99999999999999999999", kJpy).find("overflow"), std::string::npos);
}

TEST(AmountFormatting, WritesEveryMinorDigit) {
  EXPECT_EQ(Amount(123456, kCny).to_string(), "1234.56");
  EXPECT_EQ(Amount(-5, kCny).to_string(), "-0.05");
  EXPECT_EQ(Amount(0, kCny).to_string(), "0.00");
  EXPECT_EQ(Amount(-1234, kJpy).to_string(), "-1234");
  EXPECT_EQ(Amount(1, kKwd).to_string(), "0.001");
  EXPECT_EQ(Amount(123456789, kCny).to_string(kGrouped), "1,234,567.89");
  EXPECT_EQ(Amount(-100000, kCny).to_string(kEuropean), "-1.000,00");
  EXPECT_EQ(Amount(std::numeric_limits<std::int64_t>::min(), kCny).to_string(),
            "-92233720368547758.08");
}

TEST(AmountFormatting, RoundTripsThroughParse) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  const std::vector<AmountFormat> formats = {
      {}, kGrouped, kEuropean, {.decimal_separator = ',', .grouping_separator = ' '}};
  const auto currencies = Currency::all();
  for (std::uint64_t i = 0; i < test::property_iterations(200'000); ++i) {
    const Currency currency = currencies[rng() % currencies.size()];
    // Mix full-range values with small ones, where separators and padding matter most.
    const auto minor_units = static_cast<std::int64_t>(i % 2 == 0 ? rng() : rng() % 2'000'001) -
                             (i % 2 == 0 ? 0 : 1'000'000);
    const Amount amount(minor_units, currency);
    const AmountFormat format = formats[rng() % formats.size()];
    const auto text = amount.to_string(format);
    const auto parsed = Amount::parse(text, currency, format);
    ASSERT_TRUE(parsed) << text << ": " << to_string(parsed.error());
    ASSERT_EQ(*parsed, amount) << text;
  }
}

TEST(AmountArithmetic, IsCheckedAndSingleCurrency) {
  const Amount a(150, kCny);
  EXPECT_EQ(a.plus(Amount(-50, kCny)).value(), Amount(100, kCny));
  EXPECT_EQ(a.minus(Amount(200, kCny)).value(), Amount(-50, kCny));
  EXPECT_EQ(a.times(-3).value(), Amount(-450, kCny));
  EXPECT_EQ(a.negated().value(), Amount(-150, kCny));

  const auto mixed = a.plus(Amount(1, kJpy));
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().code, Errc::invalid_argument);
  EXPECT_NE(mixed.error().message.find("CNY and JPY"), std::string::npos);

  const Amount max(std::numeric_limits<std::int64_t>::max(), kCny);
  const Amount min(std::numeric_limits<std::int64_t>::min(), kCny);
  EXPECT_EQ(max.plus(Amount(1, kCny)).error().code, Errc::overflow);
  EXPECT_EQ(min.minus(Amount(1, kCny)).error().code, Errc::overflow);
  EXPECT_EQ(min.negated().error().code, Errc::overflow);
  EXPECT_EQ(max.times(2).error().code, Errc::overflow);
  EXPECT_EQ(min.times(-1).error().code, Errc::overflow);
}

TEST(AmountArithmetic, OrdersWithinACurrencyOnly) {
  EXPECT_LT(Amount(1, kCny), Amount(2, kCny));
  EXPECT_GT(Amount(0, kCny), Amount(-2, kCny));
  EXPECT_EQ(Amount(1, kCny) <=> Amount(2, kJpy), std::partial_ordering::unordered);
  EXPECT_NE(Amount(1, kCny), Amount(1, kJpy));
}

std::vector<std::int64_t> split(std::int64_t minor_units, std::vector<std::uint64_t> weights) {
  const auto parts = Amount(minor_units, kCny).allocate(weights);
  EXPECT_TRUE(parts) << to_string(parts.error());
  std::vector<std::int64_t> out;
  for (const Amount& part : parts.value_or(std::vector<Amount>{}))
    out.push_back(part.minor_units());
  return out;
}

TEST(AmountAllocate, SplitsJointLoansByFundingRatio) {
  EXPECT_EQ(split(1000001, {30, 70}), (std::vector<std::int64_t>{300000, 700001}));
  EXPECT_EQ(split(100, {20, 80}), (std::vector<std::int64_t>{20, 80}));
  EXPECT_EQ(split(-1000001, {30, 70}), (std::vector<std::int64_t>{-300000, -700001}));
}

TEST(AmountAllocate, GivesLeftoversToLargestRemaindersThenEarlierParts) {
  EXPECT_EQ(split(100, {1, 1, 1}), (std::vector<std::int64_t>{34, 33, 33}));
  EXPECT_EQ(split(5, {1, 1, 1, 1, 1, 1}), (std::vector<std::int64_t>{1, 1, 1, 1, 1, 0}));
  // 10 by 1:2:3 is 1.67, 3.33, 5.0: the first part has the largest remainder.
  EXPECT_EQ(split(10, {1, 2, 3}), (std::vector<std::int64_t>{2, 3, 5}));
  EXPECT_EQ(split(7, {0, 1}), (std::vector<std::int64_t>{0, 7}));
  EXPECT_EQ(split(0, {3, 7}), (std::vector<std::int64_t>{0, 0}));
}

TEST(AmountAllocate, HandlesExtremeAmountsAndWeights) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  constexpr auto kHeavy = std::numeric_limits<std::uint64_t>::max();
  const auto max_parts = split(kMax, {kHeavy, kHeavy, 1});
  EXPECT_EQ(max_parts[0] + max_parts[1] + max_parts[2], kMax);
  const auto min_parts = split(kMin, {1, 1});
  EXPECT_EQ(min_parts, (std::vector<std::int64_t>{kMin / 2, kMin / 2}));
}

TEST(AmountAllocate, RefusesDegenerateWeights) {
  EXPECT_EQ(Amount(1, kCny).allocate(std::vector<std::uint64_t>{}).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(Amount(1, kCny).allocate(std::vector<std::uint64_t>{0, 0}).error().code,
            Errc::invalid_argument);
  const std::vector<std::uint64_t> too_many(Amount::kMaxAllocationParts + 1, 1);
  EXPECT_FALSE(Amount(1, kCny).allocate(too_many));
  const std::vector<std::uint64_t> most(Amount::kMaxAllocationParts, 1);
  EXPECT_TRUE(Amount(1, kCny).allocate(most));
}

TEST(AmountAllocate, PartsAlwaysSumExactlyAndStayWithinOneUnitOfTheirShare) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  __extension__ using int128 = __int128;
  for (std::uint64_t i = 0; i < test::property_iterations(20'000); ++i) {
    const auto minor_units = static_cast<std::int64_t>(rng() >> (rng() % 64));
    const std::int64_t signed_units = rng() % 2 == 0 ? minor_units : -minor_units;
    std::vector<std::uint64_t> weights(1 + rng() % 8);
    for (auto& weight : weights)
      weight = rng() >> (rng() % 64);
    int128 total_weight = 0;
    for (const auto weight : weights)
      total_weight += weight;
    if (total_weight == 0)
      continue;

    const auto parts = Amount(signed_units, kCny).allocate(weights);
    ASSERT_TRUE(parts);
    int128 sum = 0;
    for (std::size_t k = 0; k < weights.size(); ++k) {
      const int128 part = (*parts)[k].minor_units();
      sum += part;
      // |part - amount * w / W| < 1, i.e. |part * W - amount * w| < W.
      const int128 scaled = part * total_weight - int128{signed_units} * weights[k];
      ASSERT_LT(scaled < 0 ? -scaled : scaled, total_weight) << "part " << k;
    }
    ASSERT_TRUE(sum == signed_units);
  }
}

}  // namespace
}  // namespace tally
