#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include <gtest/gtest.h>

#include <tally/core/str_cat.hpp>

#include "match_fixture.hpp"
#include "support/seed.hpp"
#include "support/temp_dir.hpp"

namespace tally::reconcile {
namespace {

using test::record;
using test::rules_from;

constexpr std::string_view kCascade = R"({
  "name": "cascade", "key": [{"left": "reference"}],
  "rules": [
    {"name": "exact", "priority": 1, "kind": "one_to_one"},
    {"name": "tolerant", "priority": 2, "kind": "one_to_one",
     "amount_tolerance": {"absolute_minor": 3, "percent_bp": 1}, "date_window_days": 1},
    {"name": "split", "priority": 3, "kind": "one_to_many", "date_window_days": 1},
    {"name": "batched", "priority": 4, "kind": "many_to_one", "date_window_days": 1},
    {"name": "netting", "priority": 5, "kind": "many_to_many", "date_window_days": 2,
     "max_candidates": 8, "max_combinations": 512}
  ]})";

struct Input {
  Side side;
  std::uint8_t source;
  std::uint64_t seq;
  adapters::Record record;
};

// Keys from a small pool so that keys collect several records of each side; amounts from a small
// set so that ties, twins, sums and near misses all happen.
std::vector<Input> random_inputs(std::mt19937_64& rng, std::size_t count) {
  std::vector<Input> inputs;
  std::uint64_t seqs[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < count; ++i) {
    const int pick = static_cast<int>(rng() % 10);
    const Side side = pick < 5 ? Side::left : pick < 9 ? Side::right : Side::ledger;
    const auto source =
        static_cast<std::uint8_t>(side == Side::left ? 1 + rng() % 2 : 3 + (pick == 9));
    const std::string key = str_cat("K", rng() % (count / 3 + 1));
    const std::int64_t amount = static_cast<std::int64_t>(100 * (1 + rng() % 6) + rng() % 4);
    inputs.push_back(
        {side, source, seqs[source - 1]++, record(key, amount, 10 + static_cast<int>(rng() % 4))});
  }
  return inputs;
}

struct Outcome {
  CollectingSink sink;
  MatchSummary summary;
};

Outcome run(const std::vector<Input>& inputs, MatchOptions options) {
  auto engine = MatchEngine::create(rules_from(kCascade), std::move(options)).value();
  for (const Input& input : inputs) {
    const auto added =
        engine.add(input.side, test::source_id(input.source), input.seq, input.record);
    EXPECT_TRUE(added) << added.error().message;
  }
  Outcome outcome;
  auto summary = engine.finish(outcome.sink);
  EXPECT_TRUE(summary) << summary.error().message;
  outcome.summary = std::move(*summary);
  return outcome;
}

std::size_t records_in(const Outcome& outcome) {
  std::size_t count = 0;
  for (const auto& b : outcome.sink.breaks)
    count += b.members.size();
  return count;
}

TEST(MatchDeterminism, ShuffledInputsSpillingAndThreadsGiveByteIdenticalResults) {
  const auto seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  const tally::test::TempDir spill;
  for (std::uint64_t iteration = 0; iteration < tally::test::property_iterations(20); ++iteration) {
    auto inputs = random_inputs(rng, 50 + rng() % 300);
    MatchOptions alone;
    alone.threads = 1;  // partitions matched on the calling thread
    const Outcome first = run(inputs, alone);
    EXPECT_EQ(first.summary.stats.spill_files, 0u);

    std::ranges::shuffle(inputs, rng);
    MatchOptions tiny;
    tiny.memory_bound_bytes = 2'000;  // a few items: spills many times over
    tiny.spill_dir = spill.path();
    tiny.threads = 3;  // asked for; a run this far past its bound is finished on one
    const Outcome second = run(inputs, tiny);
    EXPECT_GT(second.summary.stats.spill_files, 0u);

    std::ranges::shuffle(inputs, rng);
    MatchOptions parallel;
    parallel.threads = 3;  // partitions matched in parallel, emitted in order
    const Outcome third = run(inputs, parallel);
    EXPECT_EQ(first.summary.digest, third.summary.digest);
    EXPECT_EQ(first.sink.groups, third.sink.groups);
    EXPECT_EQ(first.sink.breaks, third.sink.breaks);

    EXPECT_EQ(first.summary.digest, second.summary.digest);
    EXPECT_EQ(first.sink.groups, second.sink.groups);
    EXPECT_EQ(first.sink.breaks, second.sink.breaks);
    EXPECT_EQ(first.summary.stats.groups, second.summary.stats.groups);
    EXPECT_GT(first.sink.groups.size() + records_in(first), 0u);
  }
  EXPECT_TRUE(std::filesystem::is_empty(spill.path()));  // spill folders are removed
}

// The same inputs in batches (one per source, filled apart, handed over in pieces of random
// size, sources interleaved): what add() gives record by record, spilling or not, with a period
// that leaves some records out and one source with none in it (never numbered either way).
Outcome run_in_batches(std::vector<Input> inputs,
                       MatchOptions options,
                       std::mt19937_64& rng,
                       std::uint64_t mean_batch = 8) {
  auto engine = MatchEngine::create(rules_from(kCascade), std::move(options)).value();
  std::map<std::uint8_t, MatchBatch> batches;
  for (const Input& input : inputs) {
    auto [it, fresh] =
        batches.try_emplace(input.source, engine.batch(input.side, test::source_id(input.source)));
    const auto added = it->second.add(input.seq, input.record);
    EXPECT_TRUE(added) << added.error().message;
    if (rng() % mean_batch == 0) {
      const auto taken = engine.add(it->second);
      EXPECT_TRUE(taken) << taken.error().message;
      EXPECT_EQ(it->second.size(), 0u);
    }
  }
  for (auto& [source, batch] : batches)
    EXPECT_TRUE(engine.add(batch));
  Outcome outcome;
  auto summary = engine.finish(outcome.sink);
  EXPECT_TRUE(summary) << summary.error().message;
  outcome.summary = std::move(*summary);
  return outcome;
}

TEST(MatchDeterminism, BatchesGiveWhatAddGivesRecordByRecord) {
  const auto seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  const tally::test::TempDir spill;
  for (std::uint64_t iteration = 0; iteration < tally::test::property_iterations(20); ++iteration) {
    auto inputs = random_inputs(rng, 50 + rng() % 300);
    for (std::uint64_t seq = 0; seq < 3; ++seq)  // a source wholly outside the period
      inputs.push_back({Side::right, 5, seq, record("K0", 100, 20)});
    std::ranges::shuffle(inputs, rng);
    MatchOptions options;
    options.from = test::day(11);
    options.to = test::day(12);
    if (iteration % 2 == 1) {
      options.memory_bound_bytes = 2'000;
      options.spill_dir = spill.path();
    }
    const Outcome one_by_one = run(inputs, options);
    const Outcome batched = run_in_batches(inputs, options, rng);
    EXPECT_GT(one_by_one.summary.stats.out_of_period, 3u);
    // How many partitions, and how many bytes, had spilled when a bound was crossed depends on
    // the arrival order.
    MatchStats expected = one_by_one.summary.stats;
    expected.spill_files = batched.summary.stats.spill_files;
    expected.spilled_bytes = batched.summary.stats.spilled_bytes;
    EXPECT_EQ(expected, batched.summary.stats);
    EXPECT_EQ(one_by_one.summary.sources, batched.summary.sources);
    EXPECT_EQ(one_by_one.summary.digest, batched.summary.digest);
    EXPECT_EQ(one_by_one.sink.groups, batched.sink.groups);
    EXPECT_EQ(one_by_one.sink.breaks, batched.sink.breaks);
  }
}

// Batches big enough that the engine takes their chunks as they are (a partition then holds
// several chunks, in memory and in its spill file): the same result again.
TEST(MatchDeterminism, LargeBatchesHandedOverWholeGiveWhatAddGives) {
  const auto seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  const tally::test::TempDir spill;
  for (std::uint64_t iteration = 0; iteration < tally::test::property_iterations(4); ++iteration) {
    const auto inputs = random_inputs(rng, 6'000 + rng() % 3'000);
    MatchOptions options;
    options.partitions = 2;  // a few thousand records a partition: chunks past the hand-over size
    if (iteration % 2 == 1) {
      options.memory_bound_bytes = 200'000;
      options.spill_dir = spill.path();
    }
    const Outcome one_by_one = run(inputs, options);
    const Outcome batched = run_in_batches(inputs, options, rng, 2'000);
    EXPECT_EQ(one_by_one.summary.digest, batched.summary.digest);
    EXPECT_EQ(one_by_one.sink.groups, batched.sink.groups);
    EXPECT_EQ(one_by_one.sink.breaks, batched.sink.breaks);
    EXPECT_EQ(one_by_one.summary.stats.groups, batched.summary.stats.groups);
    if (iteration % 2 == 1) {
      EXPECT_GT(batched.summary.stats.spill_files, 0u);
    }
  }
}

// The digest of a fixed input, pinned: a change to the key hash, the partitioning, the emission
// order, the packing of groups or the canonical text of breaks changes every stored run's digest,
// and must come with a new digest version ("tally match v2") and a new value here.
TEST(MatchDeterminism, TheDigestOfAFixedInputIsPinned) {
  std::mt19937_64 rng(20261121);
  const auto inputs = random_inputs(rng, 400);
  MatchOptions options;
  options.threads = 2;
  const Outcome outcome = run(inputs, options);
  EXPECT_EQ(outcome.summary.digest.hex(false),
            "9b32d803cb27416c719374ae27799685f563b640d8fd50d33aa7725569ff74ee");
}

TEST(MatchDeterminism, ABatchRefusesARecordAsAddDoes) {
  auto engine = MatchEngine::create(rules_from(kCascade), {}).value();
  const auto bad = record("K\xFF", 100);  // a key that is not UTF-8
  const auto one = engine.add(Side::left, test::source_id(1), 7, bad);
  auto batch = engine.batch(Side::left, test::source_id(1));
  const auto batched = batch.add(7, bad);
  ASSERT_FALSE(one);
  ASSERT_FALSE(batched);
  EXPECT_EQ(batched.error(), one.error());
  EXPECT_EQ(batch.size(), 0u);
}

TEST(MatchDeterminism, EveryLeftAndRightRecordEndsInExactlyOneGroupOrBreakOfItsPass) {
  const auto seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  for (std::uint64_t iteration = 0; iteration < tally::test::property_iterations(20); ++iteration) {
    auto inputs = random_inputs(rng, 50 + rng() % 200);
    std::erase_if(inputs, [](const Input& input) { return input.side == Side::ledger; });
    const Outcome outcome = run(inputs, {});
    std::vector<MemberRef> seen;
    for (const auto& g : outcome.sink.groups)
      seen.insert(seen.end(), g.members.begin(), g.members.end());
    for (const auto& b : outcome.sink.breaks)
      seen.insert(seen.end(), b.members.begin(), b.members.end());
    std::ranges::sort(seen);
    EXPECT_EQ(std::ranges::adjacent_find(seen), seen.end()) << "a record in two results";
    EXPECT_EQ(seen.size(), inputs.size());
  }
}

// Whatever the cascade did, every group it formed keeps its rule's promise: the sums of its two
// sides agree within the rule's tolerance and its dates lie within the rule's window.
TEST(MatchDeterminism, EveryGroupKeepsItsRulesToleranceAndWindow) {
  const auto seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  const RuleSet rules = rules_from(kCascade);
  for (std::uint64_t iteration = 0; iteration < tally::test::property_iterations(20); ++iteration) {
    const auto inputs = random_inputs(rng, 50 + rng() % 300);
    const Outcome outcome = run(inputs, {});
    std::map<std::tuple<Side, std::uint32_t, std::uint64_t>, const adapters::Record*> by_ref;
    for (const Input& input : inputs) {
      const SourceId id{input.side, test::source_id(input.source)};
      const auto index =
          std::ranges::lower_bound(outcome.summary.sources, id) - outcome.summary.sources.begin();
      by_ref[{input.side, static_cast<std::uint32_t>(index), input.seq}] = &input.record;
    }
    for (const MatchGroup& group : outcome.sink.groups) {
      const auto rule = std::ranges::find(rules.rules, group.rule, &MatchRule::name);
      ASSERT_NE(rule, rules.rules.end());
      std::int64_t sums[2] = {0, 0};
      std::int32_t first = INT32_MAX;
      std::int32_t last = INT32_MIN;
      for (const MemberRef& m : group.members) {
        const adapters::Record* record = by_ref.at({m.side, m.source, m.seq});
        sums[m.side == Side::left ? 0 : 1] += record->amount.minor_units();
        const auto day = static_cast<std::int32_t>(
            std::chrono::sys_days{*record->business_date}.time_since_epoch().count());
        first = std::min(first, day);
        last = std::max(last, day);
      }
      EXPECT_TRUE(rule->tolerance.agrees(sums[0], sums[1]))
          << group.rule << ": " << sums[0] << " vs " << sums[1];
      if (rule->kind == RuleKind::one_to_one || rule->kind == RuleKind::many_to_many)
        EXPECT_LE(last - first, rule->date_window_days) << group.rule;
      else
        EXPECT_LE(last - first, 2 * rule->date_window_days) << group.rule;  // around the one
    }
  }
}

}  // namespace
}  // namespace tally::reconcile
