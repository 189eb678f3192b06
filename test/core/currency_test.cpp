#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include <tally/core/currency.hpp>

namespace tally {
namespace {

TEST(Currency, KnowsCodesNumbersAndExponents) {
  const Currency cny = Currency::from_code("CNY").value();
  EXPECT_EQ(cny.code(), "CNY");
  EXPECT_EQ(cny.numeric(), 156);
  EXPECT_EQ(cny.exponent(), 2);
  EXPECT_EQ(Currency::from_code("JPY")->exponent(), 0);
  EXPECT_EQ(Currency::from_code("KRW")->exponent(), 0);
  EXPECT_EQ(Currency::from_code("KWD")->exponent(), 3);
  EXPECT_EQ(Currency::from_code("BHD")->exponent(), 3);
  EXPECT_EQ(Currency::from_code("CLF")->exponent(), 4);
  EXPECT_EQ(Currency::from_numeric(840)->code(), "USD");
  EXPECT_EQ(Currency::from_numeric(978)->code(), "EUR");
  EXPECT_EQ(Currency::from_numeric(344)->code(), "HKD");
}

TEST(Currency, RefusesUnknownAndNonCanonicalCodes) {
  for (const char* code : {"cny", "XXX", "CN", "CNYY", "", "XAU"}) {
    const auto result = Currency::from_code(code);
    ASSERT_FALSE(result) << code;
    EXPECT_EQ(result.error().code, Errc::not_found);
  }
  EXPECT_FALSE(Currency::from_numeric(0));
  EXPECT_FALSE(Currency::from_numeric(999));
}

TEST(Currency, ReusedNumericCodeResolvesToTheCurrentCurrency) {
  EXPECT_EQ(Currency::from_numeric(532)->code(), "XCG");
  EXPECT_NE(Currency::from_code("ANG").value(), Currency::from_code("XCG").value());
}

TEST(Currency, TableIsSortedUniqueAndWellFormed) {
  std::set<std::string> codes;
  std::set<std::uint16_t> numerics;
  std::string previous;
  for (const Currency& currency : Currency::all()) {
    const std::string code(currency.code());
    EXPECT_GT(code, previous);
    previous = code;
    EXPECT_TRUE(codes.insert(code).second) << code;
    // 532 is the one numeric code two entries share (ANG, withdrawn, and XCG).
    EXPECT_TRUE(numerics.insert(currency.numeric()).second || currency.numeric() == 532) << code;
    ASSERT_EQ(code.size(), 3U);
    for (const char c : code)
      EXPECT_TRUE(c >= 'A' && c <= 'Z') << code;
    EXPECT_TRUE(currency.numeric() > 0 && currency.numeric() < 1000) << code;
    EXPECT_EQ(Currency::from_code(code)->numeric(), currency.numeric());
  }
  EXPECT_GT(codes.size(), 150U);
}

// ISO 4217's minor units: every currency has 2 except these.
TEST(Currency, ExponentsFollowIso4217) {
  const std::map<std::string, int> kNotTwo = {
      {"BIF", 0}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"ISK", 0}, {"JPY", 0}, {"KMF", 0},
      {"KRW", 0}, {"PYG", 0}, {"RWF", 0}, {"UGX", 0}, {"UYI", 0}, {"VND", 0}, {"VUV", 0},
      {"XAF", 0}, {"XOF", 0}, {"XPF", 0}, {"BHD", 3}, {"IQD", 3}, {"JOD", 3}, {"KWD", 3},
      {"LYD", 3}, {"OMR", 3}, {"TND", 3}, {"CLF", 4}, {"UYW", 4}};
  for (const Currency& currency : Currency::all()) {
    const auto it = kNotTwo.find(std::string(currency.code()));
    EXPECT_EQ(currency.exponent(), it == kNotTwo.end() ? 2 : it->second) << currency.code();
  }
  for (const auto& [code, exponent] : kNotTwo)
    EXPECT_TRUE(Currency::from_code(code)) << code;
}

TEST(Currency, CodeViewsOutliveTheValue) {
  const std::string_view code = Currency::from_code("CNY")->code();
  EXPECT_EQ(code, "CNY");
}

}  // namespace
}  // namespace tally
