#include <gtest/gtest.h>

#include <tally/adapters/field_formats.hpp>

#include "adapters/fixtures.hpp"

namespace tally::adapters {
namespace {

const Currency kCny = Currency::from_code("CNY").value();

std::vector<DatePattern> patterns(std::initializer_list<std::string_view> list) {
  std::vector<DatePattern> out;
  for (const auto pattern : list)
    out.push_back(DatePattern::parse(pattern).value());
  return out;
}

TEST(FieldFormats, DatesInEachPattern) {
  const auto all =
      patterns({"YYYY-MM-DD", "YYYYMMDD", "YYYY/MM/DD", "DD.MM.YYYY", "YYYY年MM月DD日"});
  EXPECT_EQ(read_date("2024-01-31", all).value(), ymd(2024, 1, 31));
  EXPECT_EQ(read_date("20240229", all).value(), ymd(2024, 2, 29));
  EXPECT_EQ(read_date("2024/12/01", all).value(), ymd(2024, 12, 1));
  EXPECT_EQ(read_date("31.01.2024", all).value(), ymd(2024, 1, 31));
  EXPECT_EQ(read_date("2024年01月31日", all).value(), ymd(2024, 1, 31));
  EXPECT_EQ(read_date("20230229", all).error().message, "date '20230229' is not a calendar date");
  EXPECT_FALSE(read_date("2024-1-31", all));
  EXPECT_FALSE(read_date("2024-01-3x", all));
  EXPECT_FALSE(DatePattern::parse("YYYY-MM"));
}

TEST(FieldFormats, TryReadDateAgreesWithReadDate) {
  const auto all =
      patterns({"YYYY-MM-DD", "YYYYMMDD", "YYYY/MM/DD", "DD.MM.YYYY", "YYYY年MM月DD日"});
  for (const std::string_view text :
       {"2024-01-31", "20240229", "2024/12/01", "31.01.2024", "2024年01月31日", "20230229",
        "2024-1-31", "2024-01-3x", "0000-00-00", "9999-12-31", "2024-13-01", "2024-02-30", "",
        "2024-01-31 ", "31.02.2024"}) {
    SCOPED_TRACE(text);
    const auto full = read_date(text, all);
    std::optional<Date> quick = ymd(1999, 1, 1);  // replaced either way
    EXPECT_EQ(try_read_date(text, all, quick), full.has_value());
    ASSERT_EQ(full.has_value(), quick.has_value());
    if (full) {
      EXPECT_EQ(*full, *quick);
    }
  }
}

TEST(FieldFormats, AmountsWithSymbolsGroupingAndNegativeNotations) {
  AmountNotation notation;
  notation.grouping_separator = ',';
  notation.strip = {"¥", "￥", "CNY"};
  notation.negatives = kLeadingMinus | kTrailingMinus | kParentheses | kCrDrSuffix;
  const auto minor = [&](std::string_view text) {
    auto amount = read_amount(text, kCny, notation);
    return amount ? amount->minor_units() : -999'999'999;
  };
  EXPECT_EQ(minor("1,234.56"), 123'456);
  EXPECT_EQ(minor(" ¥1,234.56 "), 123'456);
  EXPECT_EQ(minor("-￥1.00"), -100);
  EXPECT_EQ(minor("￥-1.00"), -100);
  EXPECT_EQ(minor("1.00-"), -100);
  EXPECT_EQ(minor("(1.00)"), -100);
  EXPECT_EQ(minor("1.00 dr"), -100);
  EXPECT_EQ(minor("1.00CR"), 100);
  EXPECT_EQ(minor("CNY 5"), 500);
  EXPECT_EQ(minor("(-1.00)"), -999'999'999);  // two negations
  EXPECT_EQ(minor("1.005"), -999'999'999);    // finer than a fen
  EXPECT_EQ(minor("$1.00"), -999'999'999);    // not a symbol of this notation
  EXPECT_EQ(minor(""), -999'999'999);
  notation.negatives = kLeadingMinus;
  EXPECT_EQ(minor("(1.00)"), -999'999'999);
  EXPECT_EQ(minor("1.00-"), -999'999'999);
}

TEST(FieldFormats, ImpliedDecimalsOfFixedWidthAmounts) {
  AmountNotation notation;
  notation.implied_decimals = 2;
  EXPECT_EQ(read_amount("000012345", kCny, notation).value().minor_units(), 12'345);
  EXPECT_EQ(read_amount("5", kCny, notation).value().minor_units(), 5);
  EXPECT_FALSE(read_amount("0001.2345", kCny, notation));
  notation.implied_decimals = 3;
  EXPECT_EQ(read_amount("12340", kCny, notation).value().minor_units(), 1'234);
  EXPECT_FALSE(read_amount("12345", kCny, notation));  // 12.345 is not whole fen
  notation.implied_decimals = 0;  // whole yuan; 17 digits take Amount::parse's path
  EXPECT_EQ(read_amount("42", kCny, notation).value().minor_units(), 4'200);
  EXPECT_EQ(read_amount("12345678901234567", kCny, notation).value().minor_units(),
            1'234'567'890'123'456'700);
}

TEST(FieldFormats, RatiosAreExactBasisPoints) {
  EXPECT_EQ(read_ratio_bp("30%").value(), 3000u);
  EXPECT_EQ(read_ratio_bp("30.25%").value(), 3025u);
  EXPECT_EQ(read_ratio_bp("0.3").value(), 3000u);
  EXPECT_EQ(read_ratio_bp("0.30250").value(), 3025u);
  EXPECT_EQ(read_ratio_bp("1").value(), 10'000u);
  EXPECT_FALSE(read_ratio_bp("33.333%"));  // finer than a basis point
  EXPECT_FALSE(read_ratio_bp("1.5"));
  EXPECT_FALSE(read_ratio_bp("abc"));
}

TEST(FieldFormats, CountsAndTrimming) {
  EXPECT_EQ(read_count(" 00000003 ").value(), 3u);
  EXPECT_FALSE(read_count("-3"));
  EXPECT_FALSE(read_count("1234567890123456789"));
  EXPECT_EQ(trim_text("\u3000 张三 \u3000"), "张三");
}

}  // namespace
}  // namespace tally::adapters
