#include <algorithm>

#include <gtest/gtest.h>

#include "match_fixture.hpp"
#include "support/temp_dir.hpp"

namespace tally::reconcile {
namespace {

using adapters::Record;
using test::MatchRun;

Amount cny(std::int64_t minor) {
  return Amount{minor, Currency::from_code("CNY").value()};
}

// The platform's repayment of 8,791.67 on loan LOAN-001 instalment 1, at a 30% platform share.
Record platform_repayment() {
  Record r = test::record("JL-00000001", 879'167);
  r.loan_id = "ＬＯＡＮ－００１";  // fullwidth, as some platform files write it
  r.kind = adapters::RecordKind::repayment;
  r.components.principal = cny(833'333);
  r.components.interest = cny(41'667);
  r.components.penalty_interest = cny(2'000);
  r.components.fee = cny(2'167);
  r.funding_ratio_bp = 3'000;
  return r;
}

// Partner's share, component by component, largest remainder at 70%:
//   principal 833333 -> 583333 (remainder .1 loses the spare fen to the platform's .9)
//   interest   41667 ->  29167 (remainder .9 wins it)
//   penalty     2000 ->   1400
//   fee         2167 ->   1517
// total 615417.
Record partner_record(std::int64_t minor) {
  Record r = test::record("P-00000001", minor);
  r.loan_id = "LOAN001";
  r.kind = adapters::RecordKind::repayment;
  return r;
}

RuleSet joint_rules() {
  auto rules = load_embedded_rules("joint-loan");
  EXPECT_TRUE(rules) << rules.error().message;
  return *rules;
}

TEST(JointLoanMatch, ThePartnersExactShareMatches) {
  MatchRun run(joint_rules());
  run.left(platform_repayment()).right(partner_record(615'417));
  const auto& out = run.finish();
  ASSERT_EQ(out.groups.size(), 1u);
  EXPECT_EQ(out.groups[0].rule, "exact-share");
  EXPECT_TRUE(out.breaks.empty());
}

TEST(JointLoanMatch, OneFenOffTheShareIsAnAllocationMismatch) {
  MatchRun run(joint_rules());
  run.left(platform_repayment()).right(partner_record(615'416));
  const auto& out = run.finish();
  EXPECT_TRUE(out.groups.empty());
  ASSERT_EQ(out.breaks.size(), 1u);
  EXPECT_EQ(out.breaks[0].break_class, BreakClass::allocation_mismatch);
  EXPECT_NE(out.breaks[0].detail.find("6154.17"), std::string::npos) << out.breaks[0].detail;
  EXPECT_NE(out.breaks[0].detail.find("7000 bp"), std::string::npos) << out.breaks[0].detail;
}

TEST(JointLoanMatch, ComponentsAreCheckedOneByOne) {
  MatchRun run(joint_rules());
  Record partner = partner_record(615'417);
  partner.components.principal = cny(583'334);  // the total still agrees
  partner.components.interest = cny(29'166);
  partner.components.penalty_interest = cny(1'400);
  partner.components.fee = cny(1'517);
  run.left(platform_repayment()).right(partner);
  const auto& out = run.finish();
  EXPECT_TRUE(out.groups.empty());
  ASSERT_EQ(out.breaks.size(), 1u);
  EXPECT_EQ(out.breaks[0].break_class, BreakClass::allocation_mismatch);
  EXPECT_NE(out.breaks[0].detail.find("principal: share 5833.33 CNY, partner states 5833.34"),
            std::string::npos)
      << out.breaks[0].detail;
  EXPECT_NE(out.breaks[0].detail.find("interest: share 291.67"), std::string::npos);
  EXPECT_EQ(out.breaks[0].detail.find("fee"), std::string::npos);
}

// The shares and components are kept apart from the compact items; they go to spill files and
// come back with them, so a run that spilled finds the same mismatches in the same words.
TEST(JointLoanMatch, SharesAndComponentsSurviveSpilling) {
  const tally::test::TempDir spill;
  MatchOptions tiny;
  tiny.memory_bound_bytes = 1;  // every record spills
  tiny.spill_dir = spill.path();
  std::vector<Break> found[2];
  for (int spilled = 0; spilled < 2; ++spilled) {
    MatchRun run(joint_rules(), spilled ? tiny : MatchOptions{});
    Record partner = partner_record(615'417);
    partner.components.principal = cny(583'334);
    partner.components.interest = cny(29'166);
    partner.components.penalty_interest = cny(1'400);
    partner.components.fee = cny(1'517);
    Record whole = platform_repayment();
    whole.reference = "JL-00000002";
    whole.components = {};
    run.left(platform_repayment()).right(partner).left(whole).right(partner_record(1));
    found[spilled] = run.finish().breaks;
    EXPECT_EQ(run.summary().stats.spill_files > 0, spilled == 1);
  }
  EXPECT_EQ(found[0], found[1]);
  const auto mentions = [&](std::string_view words) {
    return std::ranges::any_of(
        found[1], [&](const Break& b) { return b.detail.find(words) != std::string::npos; });
  };
  EXPECT_TRUE(mentions("principal: share 5833.33 CNY, partner states 5833.34"));
  EXPECT_TRUE(mentions("7000 bp"));
}

TEST(JointLoanMatch, ARuleSetShareOverridesTheRecords) {
  auto rules = joint_rules();
  rules.joint_loan->platform_share_bp = 5'000;
  MatchRun run(rules);
  Record platform = platform_repayment();
  platform.components = {};
  platform.amount = cny(1'001);  // 500.5 each: the spare fen goes to the earlier part
  run.left(platform).right(partner_record(500));
  EXPECT_EQ(run.finish().groups.size(), 1u);
}

TEST(JointLoanMatch, APlatformRecordWithoutARatioIsABreak) {
  MatchRun run(joint_rules());
  Record platform = platform_repayment();
  platform.funding_ratio_bp.reset();
  run.left(platform).right(partner_record(615'417));
  const auto& out = run.finish();
  ASSERT_EQ(out.breaks.size(), 2u);
  EXPECT_EQ(out.breaks[0].break_class, BreakClass::allocation_mismatch);
  EXPECT_NE(out.breaks[0].detail.find("no funding ratio"), std::string::npos);
  EXPECT_EQ(out.breaks[1].break_class, BreakClass::missing_left);
}

TEST(JointLoanMatch, TheLedgerPassComparesThePlatformsWholeAmount) {
  MatchRun run(joint_rules());
  run.left(platform_repayment()).right(partner_record(615'417));
  Record on_ledger = platform_repayment();
  on_ledger.components = {};
  run.ledger(on_ledger);
  const auto& out = run.finish();
  EXPECT_EQ(out.groups.size(), 2u);
  EXPECT_TRUE(out.breaks.empty());
}

}  // namespace
}  // namespace tally::reconcile
