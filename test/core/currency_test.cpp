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
  std::string previous;
  for (const Currency& currency : Currency::all()) {
    const std::string code(currency.code());
    EXPECT_GT(code, previous);
    previous = code;
    EXPECT_TRUE(codes.insert(code).second) << code;
    for (const char c : code)
      EXPECT_TRUE(c >= 'A' && c <= 'Z') << code;
    EXPECT_LE(currency.exponent(), 4) << code;
    EXPECT_EQ(Currency::from_code(code).value(), currency);
  }
  EXPECT_GT(codes.size(), 150U);
}

}  // namespace
}  // namespace tally
