#include <string>

#include <gtest/gtest.h>

#include <tally/core/str_cat.hpp>
#include <tally/reconcile/match_rules.hpp>

namespace tally::reconcile {
namespace {

constexpr std::string_view kMinimal = R"({
  "name": "minimal",
  "key": [{"left": "reference"}],
  "rules": [{"name": "exact", "priority": 1, "kind": "one_to_one"}]
})";

TEST(MatchRules, ShippedRuleSetsLoad) {
  for (const std::string_view name : {"bank-statement", "joint-loan"}) {
    const auto rules = load_embedded_rules(name);
    ASSERT_TRUE(rules) << name << ": " << rules.error().message;
    EXPECT_EQ(rules->name, name);
    EXPECT_FALSE(rules->rules.empty());
  }
  const auto joint = load_embedded_rules("joint-loan");
  ASSERT_TRUE(joint);
  EXPECT_TRUE(joint->joint_loan.has_value());
  EXPECT_EQ(joint->date_field, DateField::value_date);
  EXPECT_FALSE(load_embedded_rules("rule.schema"));
  EXPECT_FALSE(load_embedded_rules("no-such-rules"));
}

TEST(MatchRules, DefaultsApplyAndTheCascadeIsSortedByPriority) {
  const auto rules = load_rules(R"({
    "name": "r", "key": [{"left": "loan_id", "right": "reference"}],
    "rules": [
      {"name": "late", "priority": 9, "kind": "many_to_many"},
      {"name": "first", "priority": 2, "kind": "one_to_one",
       "amount_tolerance": {"absolute_minor": 5, "percent_bp": 10}, "date_window_days": 3}
    ]})",
                                "r.json");
  ASSERT_TRUE(rules) << rules.error().message;
  ASSERT_EQ(rules->rules.size(), 2u);
  EXPECT_EQ(rules->rules[0].name, "first");
  EXPECT_EQ(rules->rules[0].tolerance.absolute_minor, 5);
  EXPECT_EQ(rules->rules[0].tolerance.percent_bp, 10);
  EXPECT_EQ(rules->rules[0].date_window_days, 3);
  EXPECT_EQ(rules->rules[1].kind, RuleKind::many_to_many);
  EXPECT_EQ(rules->rules[1].max_candidates, 12u);
  EXPECT_EQ(rules->key[0].left, KeySource::loan_id);
  EXPECT_EQ(rules->key[0].right, KeySource::reference);
  EXPECT_EQ(rules->direction, DirectionMode::same);
  EXPECT_EQ(rules->date_field, DateField::business_date);
}

TEST(MatchRules, SchemaErrorsNameTheField) {
  const auto missing_key = load_rules(R"({"name": "r", "rules": []})", "r.json");
  ASSERT_FALSE(missing_key);
  EXPECT_NE(missing_key.error().message.find("key"), std::string::npos)
      << missing_key.error().message;
  const auto bad_kind = load_rules(R"({"name": "r", "key": [{"left": "reference"}],
    "rules": [{"name": "x", "priority": 1, "kind": "one_to_two"}]})",
                                   "r.json");
  ASSERT_FALSE(bad_kind);
  EXPECT_NE(bad_kind.error().message.find("/rules/0/kind"), std::string::npos)
      << bad_kind.error().message;
  const auto negative = load_rules(R"({"name": "r", "key": [{"left": "reference"}],
    "rules": [{"name": "x", "priority": 1, "kind": "one_to_one",
               "amount_tolerance": {"absolute_minor": -1}}]})",
                                   "r.json");
  ASSERT_FALSE(negative);
  EXPECT_NE(negative.error().message.find("/rules/0/amount_tolerance/absolute_minor"),
            std::string::npos)
      << negative.error().message;
}

TEST(MatchRules, TheManyToManySearchBoundsAreCapped) {
  const auto too_wide = load_rules(R"({"name": "r", "key": [{"left": "reference"}],
    "rules": [{"name": "x", "priority": 1, "kind": "many_to_many", "max_candidates": 21}]})",
                                   "r.json");
  ASSERT_FALSE(too_wide);
  EXPECT_NE(too_wide.error().message.find("/rules/0/max_candidates"), std::string::npos);
  const auto too_many = load_rules(R"({"name": "r", "key": [{"left": "reference"}],
    "rules": [{"name": "x", "priority": 1, "kind": "many_to_many",
               "max_combinations": 1048577}]})",
                                   "r.json");
  ASSERT_FALSE(too_many);
}

TEST(MatchRules, CascadeNeedsDistinctPrioritiesAndNames) {
  const auto same_priority = load_rules(R"({"name": "r", "key": [{"left": "reference"}],
    "rules": [{"name": "a", "priority": 1, "kind": "one_to_one"},
              {"name": "b", "priority": 1, "kind": "one_to_many"}]})",
                                        "r.json");
  ASSERT_FALSE(same_priority);
  EXPECT_NE(same_priority.error().message.find("priority 1"), std::string::npos);
  const auto same_name = load_rules(R"({"name": "r", "key": [{"left": "reference"}],
    "rules": [{"name": "a", "priority": 1, "kind": "one_to_one"},
              {"name": "a", "priority": 2, "kind": "one_to_many"}]})",
                                    "r.json");
  ASSERT_FALSE(same_name);
}

TEST(MatchRules, ExtractionNeedsOneCaptureGroupAndAValidRegex) {
  const auto no_group = load_rules(R"({"name": "r",
    "key": [{"left": "reference", "extract": "[0-9]+"}],
    "rules": [{"name": "a", "priority": 1, "kind": "one_to_one"}]})",
                                   "r.json");
  ASSERT_FALSE(no_group);
  EXPECT_NE(no_group.error().message.find("/key/0/extract"), std::string::npos)
      << no_group.error().message;
  const auto broken = load_rules(R"({"name": "r",
    "key": [{"left": "reference", "extract": "([0-9]+"}],
    "rules": [{"name": "a", "priority": 1, "kind": "one_to_one"}]})",
                                 "r.json");
  ASSERT_FALSE(broken);
}

Result<RuleSet> rules_extracting(const std::string& pattern) {
  return load_rules(
      str_cat(R"({"name": "r", "key": [{"left": "reference", "extract": ")", pattern,
              R"("}], "rules": [{"name": "a", "priority": 1, "kind": "one_to_one"}]})"),
      "r.json");
}

TEST(MatchRules, ExtractionRefusesNestedQuantifiers) {
  // Each would make std::regex backtrack exponentially on a subject that does not match (the
  // first came from the match_rules fuzz target, a 15 s time-out on one input).
  for (const std::string pattern :
       {"([9-9]**+)$", "((a+)+)", "((?:ab*)*)", "(a{2,}*)", "(x+?+)", "((a|b+){3})"}) {
    SCOPED_TRACE(pattern);
    const auto refused = rules_extracting(pattern);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("/key/0/extract: offset"), std::string::npos)
        << refused.error().message;
  }
  // Single quantifiers, lazy ones, escaped or bracketed quantifier characters, literal braces.
  for (const std::string pattern : {"([0-9]+)$", "TX-(\\\\d+?)-", "([*+?]+)", "(a\\\\*+)",
                                    "([A-Z]{2}[0-9]{3,})", "(?:ID)([0-9]+)"}) {
    SCOPED_TRACE(pattern);
    const auto accepted = rules_extracting(pattern);
    EXPECT_TRUE(accepted) << accepted.error().message;
  }
}

TEST(MatchRules, DigestIsTheTextsSha256) {
  const auto a = load_rules(kMinimal, "a.json");
  const auto b = load_rules(std::string(kMinimal) + " ", "b.json");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->digest, b->digest);
  EXPECT_EQ(a->digest, load_rules(kMinimal, "c.json")->digest);
}

TEST(KeyNormalization, FoldsFullwidthTrimsCasesAndDropsPunctuation) {
  KeyNormalization n;
  n.remove_punctuation = true;
  EXPECT_EQ(normalize_key_text("  ＬＯＡＮ－００１ ", n).value(), "LOAN001");
  EXPECT_EQ(normalize_key_text("loan-001", n).value(), "LOAN001");
  n.letter_case = LetterCase::lower;
  n.remove_punctuation = false;
  EXPECT_EQ(normalize_key_text(" Loan-001\t", n).value(), "loan-001");
  n.letter_case = LetterCase::keep;
  n.trim = false;
  n.nfkc = false;
  EXPECT_EQ(normalize_key_text(" Ｌoan ", n).value(), " Ｌoan ");
}

TEST(KeyNormalization, ExtractsTheCaptureGroupOrNothing) {
  KeyNormalization n;
  n.extract = std::make_shared<const std::regex>("([0-9]+)$");
  EXPECT_EQ(normalize_key_text("TX-000123", n).value(), "000123");
  EXPECT_EQ(normalize_key_text("ＴＸ－１２３", n).value(), "123");  // after NFKC
  EXPECT_EQ(normalize_key_text("no digits", n).value(), "");
  EXPECT_TRUE(normalize_key_text(std::string(kMaxExtractSubjectBytes, '7'), n));
  const auto too_long = normalize_key_text(std::string(kMaxExtractSubjectBytes + 1, '7'), n);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, Errc::limit_exceeded);
}

TEST(AmountTolerance, AbsoluteEdgeIsInclusive) {
  const AmountTolerance t{100, 0};
  EXPECT_TRUE(t.agrees(10'000, 10'100));
  EXPECT_TRUE(t.agrees(10'100, 10'000));
  EXPECT_FALSE(t.agrees(10'000, 10'101));
  EXPECT_TRUE(t.agrees(-50, 50));
  EXPECT_FALSE(t.agrees(-51, 50));
}

TEST(AmountTolerance, PercentIsBasisPointsOfTheLargerMagnitude) {
  const AmountTolerance t{0, 10};            // 0.10%
  EXPECT_TRUE(t.agrees(100'000, 100'100));   // 100 of 100100 is 9.99 bp
  EXPECT_TRUE(t.agrees(99'900, 100'000));    // exactly 10 bp of 100000
  EXPECT_FALSE(t.agrees(99'899, 100'000));   // 10.01 bp
  EXPECT_FALSE(t.agrees(100'000, 100'101));  // 101 > 100.101
  EXPECT_TRUE(t.agrees(0, 0));
  EXPECT_FALSE(t.agrees(0, 1));
}

TEST(AmountTolerance, ExactByDefaultAndNoOverflowAtTheExtremes) {
  const AmountTolerance exact;
  EXPECT_TRUE(exact.agrees(5, 5));
  EXPECT_FALSE(exact.agrees(5, 6));
  const AmountTolerance wide{0, 10'000};
  EXPECT_TRUE(wide.agrees(INT64_MAX, 0));
  EXPECT_FALSE(wide.agrees(INT64_MAX, INT64_MIN));  // a difference of twice the larger
  EXPECT_FALSE(exact.agrees(INT64_MIN, INT64_MAX));
}

}  // namespace
}  // namespace tally::reconcile
