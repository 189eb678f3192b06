#include <fstream>

#include <gtest/gtest.h>

#include <tally/core/str_cat.hpp>

#include "match_fixture.hpp"
#include "match_item.hpp"  // the engine's key hash, to check the colliding pair below
#include "support/temp_dir.hpp"

namespace tally::reconcile {
namespace {

using test::day;
using test::MatchRun;
using test::record;
using test::rules_from;

// Exact, then within 1.00 CNY and two days, then split and batched payments, then N:M.
constexpr std::string_view kCascade = R"({
  "name": "cascade", "key": [{"left": "reference", "remove_punctuation": true}],
  "rules": [
    {"name": "exact", "priority": 1, "kind": "one_to_one"},
    {"name": "tolerant", "priority": 2, "kind": "one_to_one",
     "amount_tolerance": {"absolute_minor": 100}, "date_window_days": 2},
    {"name": "split", "priority": 3, "kind": "one_to_many", "date_window_days": 2},
    {"name": "batched", "priority": 4, "kind": "many_to_one", "date_window_days": 2},
    {"name": "netting", "priority": 5, "kind": "many_to_many", "date_window_days": 2,
     "max_candidates": 6, "max_combinations": 64}
  ]})";

MemberRef l(std::uint64_t seq) {
  return {Side::left, 0, seq};
}
MemberRef r(std::uint64_t seq) {
  return {Side::right, 1, seq};
}

TEST(MatchEngine, ExactPairsMatchByTheFirstRuleAcrossKeyNormalisation) {
  MatchRun run(rules_from(kCascade));
  run.left(record("INV-1", 10'000)).left(record("INV-2", 500));
  run.right(record("inv 1", 10'000)).right(record("INV2", 500));
  const auto& out = run.finish();
  ASSERT_EQ(out.groups.size(), 2u);
  EXPECT_TRUE(out.breaks.empty());
  for (const auto& group : out.groups) {
    EXPECT_EQ(group.rule, "exact");
    EXPECT_EQ(group.kind, "1:1");
  }
  EXPECT_EQ(run.summary().stats.matched[0], 2u);
  EXPECT_EQ(run.summary().stats.matched[1], 2u);
}

TEST(MatchEngine, ToleranceEdgeIsInclusiveAndBeyondItIsAnAmountMismatch) {
  MatchRun run(rules_from(kCascade));
  run.left(record("A", 10'000)).right(record("A", 10'100));  // 1.00 apart: tolerant
  run.left(record("B", 10'000)).right(record("B", 10'101));  // 1.01 apart: a break
  const auto& out = run.finish();
  ASSERT_EQ(out.groups.size(), 1u);
  EXPECT_EQ(out.groups[0].rule, "tolerant");
  EXPECT_EQ(out.groups[0].members, (std::vector{l(0), r(0)}));
  ASSERT_EQ(out.breaks.size(), 1u);
  EXPECT_EQ(out.breaks[0].break_class, BreakClass::amount_mismatch);
  EXPECT_EQ(out.breaks[0].members, (std::vector{l(1), r(1)}));
  EXPECT_EQ(out.breaks[0].key, "B");
  EXPECT_NE(out.breaks[0].detail.find("101.01 CNY"), std::string::npos) << out.breaks[0].detail;
}

TEST(MatchEngine, DateWindowEdgeIsInclusiveAndBeyondItIsADateMismatch) {
  MatchRun run(rules_from(kCascade));
  run.left(record("A", 700, 10)).right(record("A", 700, 12));  // two days: inside
  run.left(record("B", 700, 10)).right(record("B", 700, 13));  // three: outside
  const auto& out = run.finish();
  ASSERT_EQ(out.groups.size(), 1u);
  EXPECT_EQ(out.groups[0].rule, "tolerant");
  ASSERT_EQ(out.breaks.size(), 1u);
  EXPECT_EQ(out.breaks[0].break_class, BreakClass::date_mismatch);
  EXPECT_EQ(out.breaks[0].business_date, day(10));
}

TEST(MatchEngine, EquallyGoodCandidatesAreFlaggedAmbiguousNeverGuessed) {
  MatchRun run(rules_from(kCascade));
  run.left(record("A", 10'000));
  run.right(record("A", 9'950)).right(record("A", 10'050));  // both 0.50 away
  const auto& out = run.finish();
  EXPECT_TRUE(out.groups.empty());
  ASSERT_EQ(out.breaks.size(), 1u);
  EXPECT_EQ(out.breaks[0].break_class, BreakClass::ambiguous);
  EXPECT_EQ(out.breaks[0].members, (std::vector{l(0), r(0), r(1)}));
}

TEST(MatchEngine, ACloserCandidateIsNotAmbiguous) {
  MatchRun run(rules_from(kCascade));
  run.left(record("A", 10'000));
  run.right(record("A", 9'950)).right(record("A", 10'020));
  const auto& out = run.finish();
  ASSERT_EQ(out.groups.size(), 1u);
  EXPECT_EQ(out.groups[0].members, (std::vector{l(0), r(1)}));
  ASSERT_EQ(out.breaks.size(), 1u);
  EXPECT_EQ(out.breaks[0].break_class, BreakClass::missing_left);
}

TEST(MatchEngine, IndistinguishableRecordsPairInOrderAndARepeatIsADuplicate) {
  MatchRun run(rules_from(kCascade));
  run.left(record("A", 500)).left(record("A", 500));
  run.right(record("A", 500)).right(record("A", 500)).right(record("A", 500));
  const auto& out = run.finish();
  ASSERT_EQ(out.groups.size(), 2u);
  EXPECT_EQ(out.groups[0].members, (std::vector{l(0), r(0)}));
  EXPECT_EQ(out.groups[1].members, (std::vector{l(1), r(1)}));
  ASSERT_EQ(out.breaks.size(), 1u);
  EXPECT_EQ(out.breaks[0].break_class, BreakClass::duplicate);
  EXPECT_EQ(out.breaks[0].members, (std::vector{r(2)}));
}

TEST(MatchEngine, OneToManyAndManyToOneAggregateByKey) {
  MatchRun run(rules_from(kCascade));
  run.left(record("S", 30'000)).right(record("S", 10'000)).right(record("S", 20'000, 16));
  run.left(record("B", 700)).left(record("B", 300)).right(record("B", 1'000));
  const auto& out = run.finish();
  ASSERT_EQ(out.groups.size(), 2u) << out.breaks.size();
  EXPECT_TRUE(out.breaks.empty());
  for (const auto& group : out.groups) {
    if (group.rule == "split") {
      EXPECT_EQ(group.kind, "1:N");
      EXPECT_EQ(group.members, (std::vector{l(0), r(0), r(1)}));
    } else {
      EXPECT_EQ(group.rule, "batched");
      EXPECT_EQ(group.kind, "N:1");
      EXPECT_EQ(group.members, (std::vector{l(1), l(2), r(2)}));
    }
  }
}

TEST(MatchEngine, AggregationOutsideTheWindowDoesNotMatch) {
  MatchRun run(rules_from(kCascade));
  run.left(record("S", 30'000, 10)).right(record("S", 10'000, 10)).right(record("S", 20'000, 20));
  const auto& out = run.finish();
  EXPECT_TRUE(out.groups.empty());
  EXPECT_EQ(out.breaks.size(), 3u);
}

TEST(MatchEngine, ManyToManyFindsTheSmallestAgreeingSets) {
  MatchRun run(rules_from(kCascade));
  run.left(record("N", 10'000)).left(record("N", 20'000));
  run.right(record("N", 15'000)).right(record("N", 14'000)).right(record("N", 1'000));
  const auto& out = run.finish();
  ASSERT_EQ(out.groups.size(), 1u);
  EXPECT_EQ(out.groups[0].rule, "netting");
  EXPECT_EQ(out.groups[0].kind, "N:M");
  EXPECT_EQ(out.groups[0].members.size(), 5u);
}

TEST(MatchEngine, ManyToManyOverItsCandidateBoundIsLeftUnmatchedAndCounted) {
  MatchRun run(rules_from(kCascade));
  for (int i = 0; i < 4; ++i)
    run.left(record("N", 100 + i));
  for (int i = 0; i < 3; ++i)
    run.right(record("N", 1'000 + i));  // 7 records: over max_candidates 6
  const auto& out = run.finish();
  EXPECT_TRUE(out.groups.empty());
  EXPECT_EQ(run.summary().stats.over_search_bound, 1u);
  ASSERT_EQ(out.breaks.size(), 7u);
  EXPECT_NE(out.breaks[0].detail.find("over its bound"), std::string::npos);
}

TEST(MatchEngine, ManyToManyOverItsCombinationBoundIsLeftUnmatched) {
  constexpr std::string_view kRules = R"({"name": "nm", "key": [{"left": "reference"}],
    "rules": [{"name": "nm", "priority": 1, "kind": "many_to_many", "max_candidates": 10,
               "max_combinations": 64}]})";
  const auto run_with = [&](int right_count) {
    MatchRun run(rules_from(kRules));
    for (int i = 0; i < 3; ++i)
      run.left(record("N", 100 + i));
    for (int i = 0; i < right_count; ++i)
      run.right(record("N", 1'000 + i));
    run.finish();
    return run.summary().stats.over_search_bound;
  };
  EXPECT_EQ(run_with(3), 0u);  // 7 x 7 = 49 pairs of subsets: searched
  EXPECT_EQ(run_with(4), 1u);  // 7 x 15 = 105 > 64: not searched
}

TEST(MatchEngine, ManyToManyTiesAreAmbiguous) {
  MatchRun run(rules_from(R"({"name": "nm", "key": [{"left": "reference"}],
    "rules": [{"name": "nm", "priority": 1, "kind": "many_to_many"}]})"));
  run.left(record("N", 300));
  run.right(record("N", 100))
      .right(record("N", 200))
      .right(record("N", 120))
      .right(record("N", 180));
  const auto& out = run.finish();
  // {300} = {100, 200} = {120, 180}: two answers of three records each, neither smaller.
  EXPECT_TRUE(out.groups.empty());
  ASSERT_EQ(out.breaks.size(), 1u);
  EXPECT_EQ(out.breaks[0].break_class, BreakClass::ambiguous);
  EXPECT_EQ(out.breaks[0].members.size(), 5u);
}

TEST(MatchEngine, AKeyWithTooManyPairsIsNotSearchedAndCounted) {
  constexpr std::string_view kOneToOne = R"({"name": "o", "key": [{"left": "reference"}],
    "rules": [{"name": "exact", "priority": 1, "kind": "one_to_one"}]})";
  const auto run_with = [&](int per_side) {
    MatchRun run(rules_from(kOneToOne));
    for (int i = 0; i < per_side; ++i)
      run.left(record("HOT", 1'000 + i)).right(record("HOT", 1'000 + i));
    run.finish();
    return run.summary().stats;
  };
  const auto at_bound = run_with(256);  // 256 x 256 classes: at the bound, searched
  EXPECT_EQ(at_bound.over_search_bound, 0u);
  EXPECT_EQ(at_bound.groups, 256u);
  const auto over = run_with(257);
  EXPECT_EQ(over.over_search_bound, 1u);
  EXPECT_EQ(over.groups, 0u);
  EXPECT_EQ(over.breaks, 2u * 257u);
}

TEST(MatchEngine, UnmatchedRecordsAreMissingOnTheOtherSide) {
  MatchRun run(rules_from(kCascade));
  run.left(record("ONLY-LEFT", 100)).right(record("ONLY-RIGHT", 200));
  const auto& out = run.finish();
  ASSERT_EQ(out.breaks.size(), 2u);
  for (const auto& b : out.breaks) {
    EXPECT_EQ(b.break_class, b.members[0].side == Side::left ? BreakClass::missing_right
                                                             : BreakClass::missing_left);
  }
}

TEST(MatchEngine, CurrenciesNeverMatchEachOther) {
  MatchRun run(rules_from(kCascade));
  auto usd = record("A", 100);
  usd.amount = Amount{100, Currency::from_code("USD").value()};
  run.left(record("A", 100)).right(usd);
  const auto& out = run.finish();
  EXPECT_TRUE(out.groups.empty());
  EXPECT_EQ(out.breaks.size(), 2u);
}

// The key hash as specified (match_item.hpp): 8-byte little-endian words, the last zero-padded,
// each folded in by a multiply; then the currency and length, then splitmix64's finaliser. The
// engine's loads differ for the tail; the value must not.
std::uint64_t reference_key_hash(std::string_view key, std::uint16_t currency) {
  std::uint64_t hash = 0x243F6A8885A308D3ULL;
  for (std::size_t at = 0; at < key.size(); at += 8) {
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < 8 && at + i < key.size(); ++i)
      word |= std::uint64_t{static_cast<std::uint8_t>(key[at + i])} << (8 * i);
    hash = (hash ^ word) * 0x9E3779B97F4A7C15ULL;
    hash ^= hash >> 32;
  }
  hash ^= (std::uint64_t{currency} << 32) ^ key.size();
  hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9ULL;
  hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBULL;
  return hash ^ (hash >> 31);
}

TEST(MatchEngine, TheKeyHashIsItsSpecificationAtEveryLength) {
  std::string key;
  for (std::size_t size = 0; size <= 40; ++size) {
    SCOPED_TRACE(size);
    EXPECT_EQ(key_hash(key, 156), reference_key_hash(key, 156));
    EXPECT_NE(key_hash(key, 156), key_hash(key, 840));
    key += static_cast<char>(0x21 + (size * 37) % 0x5e);
  }
  EXPECT_EQ(key_hash("R000000001", 156), 0x1e76c92a6ec0aa89ULL);  // pinned
}

// The schema allows rule names of 100 code points: 300 bytes of CJK text name a group.
TEST(MatchEngine, ALongRuleNameNamesItsGroups) {
  std::string name;
  for (int i = 0; i < 100; ++i)
    name += "匹";
  MatchRun run(
      rules_from(str_cat(R"({"name": "long", "key": [{"left": "reference"}], "rules": [)",
                         R"({"name": ")", name, R"(", "priority": 1, "kind": "one_to_one"}]})")));
  run.left(record("A", 100)).right(record("A", 100));
  const auto& out = run.finish();
  ASSERT_EQ(out.groups.size(), 1u);
  EXPECT_EQ(out.groups[0].rule, name);
}

// Two keys whose 64-bit hashes collide, with different currencies (found by inverting the hash for
// 8-byte keys). They sort into one run of one hash; the engine must still match them as two
// buckets, never across.
TEST(MatchEngine, KeysSharingTheirHashStayApart) {
  constexpr std::string_view kFirst = "XQPJQ7XZ";   // in CNY (156)
  constexpr std::string_view kSecond = "tN`w25G@";  // in USD (840)
  ASSERT_EQ(key_hash(kFirst, 156), key_hash(kSecond, 840));
  MatchRun run(rules_from(R"({"name": "h", "key": [{"left": "reference", "nfkc": false,
      "trim": false, "case": "keep"}], "rules": [{"name": "exact", "priority": 1,
      "kind": "one_to_one"}]})"));
  const auto usd = [&](std::int64_t minor) {
    auto r = record(kSecond, minor);
    r.amount = Amount{minor, Currency::from_code("USD").value()};
    return r;
  };
  run.left(record(kFirst, 100)).right(record(kFirst, 100));
  run.left(usd(100)).right(usd(100));
  run.left(record(kFirst, 300)).right(usd(300));
  const auto& out = run.finish();
  ASSERT_EQ(out.groups.size(), 2u);
  EXPECT_EQ(out.groups[0].members, (std::vector{l(0), r(0)}));
  EXPECT_EQ(out.groups[1].members, (std::vector{l(1), r(1)}));
  ASSERT_EQ(out.breaks.size(), 2u);
  EXPECT_EQ(out.breaks[0].members, std::vector{l(2)});
  EXPECT_EQ(out.breaks[0].key, kFirst);
  EXPECT_EQ(out.breaks[0].break_class, BreakClass::missing_right);
  EXPECT_EQ(out.breaks[1].members, std::vector{r(2)});
  EXPECT_EQ(out.breaks[1].key, kSecond);
  EXPECT_EQ(out.breaks[1].currency, "USD");
}

TEST(MatchEngine, OppositeDirectionsMatchWhenTheRulesSaySo) {
  const std::string json(R"({"name": "o", "direction": "opposite", "key": [{"left": "reference"}],
    "rules": [{"name": "exact", "priority": 1, "kind": "one_to_one"}]})");
  MatchRun opposite(rules_from(json));
  opposite.left(record("A", 100, 15, adapters::Direction::debit)).right(record("A", 100));
  EXPECT_EQ(opposite.finish().groups.size(), 1u);
  MatchRun same(rules_from(kCascade));
  same.left(record("A", 100, 15, adapters::Direction::debit)).right(record("A", 100));
  EXPECT_TRUE(same.finish().groups.empty());
}

TEST(MatchEngine, OnlyRecordsOfTheRunsDatesTakePart) {
  MatchOptions options;
  options.from = day(10);
  options.to = day(11);
  MatchRun run(rules_from(kCascade), options);
  run.left(record("A", 100, 10)).right(record("A", 100, 11));
  run.left(record("B", 100, 12)).right(record("B", 100, 9));
  auto undated = record("C", 1);
  undated.business_date.reset();
  run.left(undated);
  const auto& out = run.finish();
  EXPECT_EQ(out.groups.size(), 1u);
  EXPECT_TRUE(out.breaks.empty());
  EXPECT_EQ(run.summary().stats.out_of_period, 3u);
}

TEST(MatchEngine, ThreeWayAgainstTheLedger) {
  MatchRun run(rules_from(kCascade));
  run.left(record("A", 100)).right(record("A", 100)).ledger(record("A", 100));
  run.left(record("B", 200)).right(record("B", 200));  // not on the ledger
  run.ledger(record("C", 300));                        // only on the ledger
  const auto& out = run.finish();
  EXPECT_EQ(out.groups.size(), 3u);  // A left-right, A left-ledger, B left-right
  ASSERT_EQ(out.breaks.size(), 2u);
  std::vector<BreakClass> classes;
  for (const auto& b : out.breaks)
    classes.push_back(b.break_class);
  std::ranges::sort(classes);
  EXPECT_EQ(classes, (std::vector{BreakClass::missing_left, BreakClass::missing_ledger}));
  EXPECT_EQ(run.summary().stats.records[2], 2u);
}

TEST(MatchEngine, LedgerSourceFeedsTheRunsDates) {
  std::vector<LedgerEntry> entries;
  entries.push_back({test::source_id(9), 0, record("A", 100, 10)});
  entries.push_back({test::source_id(9), 1, record("A", 100, 20)});
  const VectorLedgerSource ledger(std::move(entries));
  MatchOptions options;
  options.from = day(10);
  options.to = day(10);
  auto engine = MatchEngine::create(rules_from(kCascade), options).value();
  ASSERT_TRUE(engine.add(Side::left, test::source_id(1), 0, record("A", 100, 10)));
  ASSERT_TRUE(engine.add_ledger(ledger));
  CollectingSink sink;
  const auto summary = engine.finish(sink);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->stats.records[2], 1u);
  EXPECT_EQ(sink.groups.size(), 1u);
}

TEST(MatchEngine, SourcesAreNumberedBySideAndId) {
  MatchRun run(rules_from(kCascade));
  run.add(Side::left, 7, record("A", 1)).add(Side::left, 3, record("A", 1));
  run.finish();
  const auto& sources = run.summary().sources;
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].id, test::source_id(3));
  EXPECT_EQ(sources[1].id, test::source_id(7));
}

TEST(MatchEngine, NegativeAmountsAreRefused) {
  auto engine = MatchEngine::create(rules_from(kCascade), {}).value();
  auto negative = record("A", 1);
  negative.amount = Amount{INT64_MIN, negative.amount.currency()};
  const auto refused = engine.add(Side::ledger, test::source_id(3), 0, negative);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
}

TEST(MatchEngine, KeysThatAreNotUtf8AreRefusedNamingTheRecord) {
  auto engine = MatchEngine::create(rules_from(kCascade), {}).value();
  const auto bad = engine.add(Side::left, test::source_id(1), 42, record("\xff\xfe", 1));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("#42"), std::string::npos) << bad.error().message;
}

TEST(MatchEngine, AnAddThatFailsHalfwayLeavesTheEngineUnusable) {
  tally::test::TempDir dir;
  std::ofstream(dir / "not-a-folder") << "x";
  MatchOptions options;
  options.memory_bound_bytes = 1;  // the first record spills
  options.spill_dir = dir / "not-a-folder";
  auto engine = MatchEngine::create(rules_from(kCascade), options).value();
  Hash256 file;
  file.data()[0] = 1;
  const auto first = engine.add(Side::left, file, 0, record("A", 100));
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, Errc::io_error);
  // What it held is part of what it was given: it refuses to go on, with the same error.
  EXPECT_EQ(engine.add(Side::left, file, 1, record("B", 100)).error(), first.error());
  auto batch = engine.batch(Side::right, file);
  ASSERT_TRUE(batch.add(0, record("A", 100)));
  EXPECT_EQ(engine.add(batch).error(), first.error());
  CollectingSink sink;
  const auto summary = engine.finish(sink);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error(), first.error());
  EXPECT_TRUE(sink.groups.empty());
}

TEST(MatchEngine, ARefusedRecordLeavesTheEngineAsItWas) {
  auto engine = MatchEngine::create(rules_from(kCascade), {}).value();
  Hash256 file;
  file.data()[0] = 1;
  Hash256 other;
  other.data()[0] = 2;
  // Refused: its source is not numbered either (it would change the run's sources and digest).
  ASSERT_FALSE(engine.add(Side::left, other, 0, record(std::string(5'000, 'K'), 100)));
  ASSERT_TRUE(engine.add(Side::left, file, 1, record("A", 100)));
  ASSERT_TRUE(engine.add(Side::right, file, 0, record("A", 100)));
  CollectingSink sink;
  const auto summary = engine.finish(sink);
  ASSERT_TRUE(summary);
  EXPECT_EQ(sink.groups.size(), 1u);
  EXPECT_EQ(summary->sources, (std::vector<SourceId>{{Side::left, file}, {Side::right, file}}));
}

TEST(MatchEngine, ALedgerThatFailsPartwayLeavesTheEngineUnusable) {
  auto engine = MatchEngine::create(rules_from(kCascade), {}).value();
  Hash256 batch;
  batch.data()[0] = 9;
  const VectorLedgerSource ledger({{batch, 0, record("A", 100)},
                                   {batch, 1, record(std::string(5'000, 'K'), 100)},
                                   {batch, 2, record("B", 100)}});
  const auto added = engine.add_ledger(ledger);
  ASSERT_FALSE(added);
  CollectingSink sink;
  const auto summary = engine.finish(sink);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error(), added.error());
}

}  // namespace
}  // namespace tally::reconcile
