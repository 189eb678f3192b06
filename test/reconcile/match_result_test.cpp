// The canonical text of groups and breaks is what a run's digest hashes: pinned, so that a faster
// way of building it cannot change a stored digest.
#include <gtest/gtest.h>

#include <tally/reconcile/match_result.hpp>

namespace tally::reconcile {
namespace {

TEST(MatchResultTest, TheCanonicalTextOfAGroupIsPinned) {
  const MatchGroup group{
      "tolerant",
      "1:N",
      {{Side::left, 0, 5}, {Side::right, 1, 300}, {Side::right, 1, 18446744073709551615u}}};
  EXPECT_EQ(canonical_text(group),
            "group tolerant 1:N left:0:5 right:1:300 right:1:18446744073709551615\n");
}

TEST(MatchResultTest, TheCanonicalTextOfABreakIsPinned) {
  Break result;
  result.break_class = BreakClass::amount_mismatch;
  result.business_date =
      adapters::Date{std::chrono::year{2024}, std::chrono::March, std::chrono::day{7}};
  result.currency = "CNY";
  result.amount_minor = -1234;
  result.key = "R1|A";
  result.detail = "left 12.34 CNY";
  result.members = {{Side::left, 0, 1}, {Side::ledger, 2, 3}};
  EXPECT_EQ(
      canonical_text(result),
      "break amount_mismatch 2024-3-7 CNY -1234 [R1|A] left 12.34 CNY | left:0:1 ledger:2:3\n");
}

}  // namespace
}  // namespace tally::reconcile
