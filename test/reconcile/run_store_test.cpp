#include <functional>

#include <gtest/gtest.h>

#include <tally/core/str_cat.hpp>
#include <tally/reconcile/packed_groups.hpp>
#include <tally/reconcile/record_store.hpp>
#include <tally/reconcile/run_store.hpp>

#include "match_fixture.hpp"
#include "support/temp_dir.hpp"

namespace tally::reconcile {
namespace {

using test::record;

constexpr std::string_view kRules = R"({"name": "simple", "key": [{"left": "reference"}],
  "rules": [{"name": "exact", "priority": 1, "kind": "one_to_one"}]})";

class RunStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = RecordStore::open(dir_ / "records.db");
    ASSERT_TRUE(opened) << opened.error().message;
    store_.emplace(std::move(*opened));
  }

  // A run of one matched pair, one amount mismatch and one missing record.
  MatchSummary match(MatchSink& sink, const MatchOptions& options) {
    auto engine = MatchEngine::create(test::rules_from(kRules), options).value();
    EXPECT_TRUE(engine.add(Side::left, test::source_id(1), 0, record("A", 100)));
    EXPECT_TRUE(engine.add(Side::right, test::source_id(2), 0, record("A", 100)));
    EXPECT_TRUE(engine.add(Side::left, test::source_id(1), 1, record("B", 100)));
    EXPECT_TRUE(engine.add(Side::right, test::source_id(2), 1, record("B", 101)));
    EXPECT_TRUE(engine.add(Side::left, test::source_id(1), 2, record("C", 5)));
    return engine.finish(sink).value();
  }

  // What `run` emits, collected, and the same run stored by a RunWriter and committed.
  struct Stored {
    CollectingSink emitted;
    MatchSummary summary;
    std::int64_t run_id = 0;
  };
  Stored emit_and_store(const std::function<MatchSummary(MatchSink&)>& run) {
    Stored out;
    run(out.emitted);
    auto writer = RunWriter::begin(store_->database(), clock_).value();
    out.summary = run(writer);
    out.run_id = writer.commit(test::rules_from(kRules), {}, out.summary).value();
    return out;
  }

  tally::test::TempDir dir_;
  std::optional<RecordStore> store_;
  ManualClock clock_{Instant{std::chrono::seconds{1'700'000'000}}};
};

TEST_F(RunStoreTest, ARunIsStoredWithItsDigestGroupsAndBreaks) {
  auto writer = RunWriter::begin(store_->database(), clock_);
  ASSERT_TRUE(writer) << writer.error().message;
  MatchOptions options;
  options.from = test::day(1);
  options.to = test::day(31);
  const auto summary = match(*writer, options);
  const auto run_id = writer->commit(test::rules_from(kRules), options, summary);
  ASSERT_TRUE(run_id) << run_id.error().message;

  const auto run = read_run(store_->database(), *run_id).value();
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->rules_name, "simple");
  EXPECT_EQ(run->result_digest, summary.digest);
  EXPECT_EQ(run->from, test::day(1));
  EXPECT_EQ(run->records[0], 3u);
  EXPECT_EQ(run->records[1], 2u);
  EXPECT_EQ(run->groups, 1u);
  EXPECT_EQ(run->breaks, 2u);
  EXPECT_NE(run->sources.find(str_cat("left:", test::source_id(1).hex(false))), std::string::npos);

  const auto breaks = read_breaks(store_->database(), *run_id).value();
  ASSERT_EQ(breaks.size(), 2u);
  std::vector<BreakClass> classes = {breaks[0].break_class, breaks[1].break_class};
  std::ranges::sort(classes);
  EXPECT_EQ(classes, (std::vector{BreakClass::missing_right, BreakClass::amount_mismatch}));
  for (const auto& b : breaks) {
    EXPECT_EQ(b.status, "open");
    EXPECT_EQ(b.currency, "CNY");
    if (b.break_class == BreakClass::amount_mismatch) {
      ASSERT_EQ(b.members.size(), 2u);
      EXPECT_EQ(b.members[0].source, test::source_id(1));
      EXPECT_EQ(b.members[0].seq, 1u);
      EXPECT_EQ(b.members[1].side, Side::right);
      EXPECT_EQ(b.amount_minor, 101);
    }
  }
}

TEST_F(RunStoreTest, GroupsAreStoredOneRowEachAndReadBackAsTheEngineEmittedThem) {
  CollectingSink emitted;
  const auto expected = match(emitted, {});
  auto writer = RunWriter::begin(store_->database(), clock_).value();
  const auto summary = match(writer, {});
  const auto run_id = writer.commit(test::rules_from(kRules), {}, summary).value();

  EXPECT_EQ(read_run_sources(store_->database(), run_id).value(), expected.sources);
  std::vector<MatchGroup> stored;
  const auto visited = visit_groups(store_->database(), run_id, [&](const MatchGroup& group) {
    stored.push_back(group);
    return Result<void>{};
  });
  ASSERT_TRUE(visited) << visited.error().message;
  EXPECT_EQ(stored, emitted.groups);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].members.size(), 2u);
  auto rows = store_->database().prepare("SELECT count(*) FROM match_groups").value();
  ASSERT_TRUE(rows.step().value());
  EXPECT_EQ(rows.column_int64(0), 1);
}

TEST_F(RunStoreTest, ManyGroupsAreStoredAChunkToARowAndReadBackInOrder) {
  // 2,500 matched pairs in one partition: two full chunks and a partial one (the engine packs a
  // partition's groups into rows; each partition's last row is partial).
  constexpr std::size_t kPairs = 2 * kGroupsPerChunk + 452;
  MatchOptions one_partition;
  one_partition.partitions = 1;
  const auto run = [&](MatchSink& sink) {
    auto engine = MatchEngine::create(test::rules_from(kRules), one_partition).value();
    for (std::size_t i = 0; i < kPairs; ++i) {
      const std::string reference = str_cat("R", i);
      EXPECT_TRUE(engine.add(Side::left, test::source_id(1), i, record(reference, 100)));
      EXPECT_TRUE(engine.add(Side::right, test::source_id(2), i, record(reference, 100)));
    }
    return engine.finish(sink).value();
  };
  const auto [emitted, summary, run_id] = emit_and_store(run);
  std::vector<MatchGroup> stored;
  ASSERT_TRUE(visit_groups(store_->database(), run_id, [&](const MatchGroup& group) {
    stored.push_back(group);
    return Result<void>{};
  }));
  EXPECT_EQ(stored, emitted.groups);
  auto rows =
      store_->database().prepare("SELECT count(*), sum(group_count) FROM match_groups").value();
  ASSERT_TRUE(rows.step().value());
  EXPECT_EQ(rows.column_int64(0), 3);
  EXPECT_EQ(rows.column_int64(1), static_cast<std::int64_t>(kPairs));
}

// Breaks are stored several to a statement: more than one statement's worth, and a remainder,
// read back in emission order with every column and member.
TEST_F(RunStoreTest, ManyBreaksAreStoredInEmissionOrder) {
  constexpr std::size_t kBreaks = 3 * 32 + 7;
  MatchOptions one_partition;
  one_partition.partitions = 1;
  const auto run = [&](MatchSink& sink) {
    auto engine = MatchEngine::create(test::rules_from(kRules), one_partition).value();
    for (std::size_t i = 0; i < kBreaks; ++i) {
      const auto reference = str_cat("B", i);
      const auto minor = static_cast<std::int64_t>(100 + i);
      EXPECT_TRUE(engine.add(Side::left, test::source_id(1), i, record(reference, minor)));
      if (i % 3 == 0) {  // an amount mismatch: two members
        EXPECT_TRUE(
            engine.add(Side::right, test::source_id(2), i, record(reference, minor + 5'000)));
      }
    }
    return engine.finish(sink).value();
  };
  const auto [emitted, summary, run_id] = emit_and_store(run);
  const auto stored = read_breaks(store_->database(), run_id).value();
  ASSERT_EQ(stored.size(), kBreaks);
  ASSERT_EQ(emitted.breaks.size(), kBreaks);
  for (std::size_t i = 0; i < kBreaks; ++i) {
    SCOPED_TRACE(i);
    const Break& want = emitted.breaks[i];
    EXPECT_EQ(stored[i].break_class, want.break_class);
    EXPECT_EQ(stored[i].key, want.key);
    EXPECT_EQ(stored[i].detail, want.detail);
    EXPECT_EQ(stored[i].amount_minor, want.amount_minor);
    EXPECT_EQ(stored[i].business_date, want.business_date);
    ASSERT_EQ(stored[i].members.size(), want.members.size());
    for (std::size_t m = 0; m < want.members.size(); ++m) {
      EXPECT_EQ(stored[i].members[m].side, want.members[m].side);
      EXPECT_EQ(stored[i].members[m].source, summary.sources[want.members[m].source].id);
      EXPECT_EQ(stored[i].members[m].seq, want.members[m].seq);
    }
  }
}

// Groups given one by one and rows given packed are stored in the order given, numbered on.
TEST_F(RunStoreTest, GroupsOneByOneAndPackedRowsKeepTheirOrder) {
  auto writer = RunWriter::begin(store_->database(), clock_).value();
  ASSERT_TRUE(
      writer.on_sources({{Side::left, test::source_id(1)}, {Side::right, test::source_id(2)}}));
  const auto group = [](std::uint64_t seq) {
    return MatchGroup{"exact", "1:1", {{Side::left, 0, seq}, {Side::right, 1, seq}}};
  };
  ASSERT_TRUE(writer.on_group(group(0)));
  GroupPacker packer;
  packer.add(group(1));
  packer.add(group(2));
  Bytes packed;
  packer.finish(packed);
  ASSERT_TRUE(writer.on_packed_groups(packed, 2));
  ASSERT_TRUE(writer.on_group(group(3)));
  MatchSummary summary;
  summary.stats.groups = 4;
  summary.sources = {{Side::left, test::source_id(1)}, {Side::right, test::source_id(2)}};
  const auto run_id = writer.commit(test::rules_from(kRules), {}, summary).value();
  std::vector<MatchGroup> stored;
  ASSERT_TRUE(visit_groups(store_->database(), run_id, [&](const MatchGroup& g) {
    stored.push_back(g);
    return Result<void>{};
  }));
  EXPECT_EQ(stored, (std::vector{group(0), group(1), group(2), group(3)}));
}

TEST_F(RunStoreTest, ACorruptedGroupRowIsReportedWithItsPlace) {
  auto writer = RunWriter::begin(store_->database(), clock_).value();
  const auto summary = match(writer, {});
  const auto run_id = writer.commit(test::rules_from(kRules), {}, summary).value();
  const auto no_op = [](const MatchGroup&) { return Result<void>{}; };
  struct Case {
    std::string_view update;
    std::string_view says;
  };
  const Case cases[] = {
      {"groups = x'01'", "groups from 0: packed groups: byte 0: version 1"},
      // rule "e", kind 1:1, one member: left, source 7 (of a run with two), seq cut, then seq 5
      {"groups = x'0201016500011d80'", "groups from 0: packed groups: byte 7: seq cut"},
      {"groups = x'0201016500011d05'", "groups from 0: source 7 is not the run's"},
      {"group_count = 2", "groups from 0: holds 1 groups, says 2"},
      {"first_group_no = 1", "groups from 1: expected groups from 0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.update);
    ASSERT_TRUE(store_->database().execute("SAVEPOINT corrupt"));
    ASSERT_TRUE(store_->database().execute(str_cat("UPDATE match_groups SET ", c.update)));
    const auto visited = visit_groups(store_->database(), run_id, no_op);
    ASSERT_TRUE(store_->database().execute("ROLLBACK TO corrupt; RELEASE corrupt"));
    ASSERT_FALSE(visited);
    EXPECT_EQ(visited.error().code, Errc::corrupted);
    EXPECT_NE(visited.error().message.find(c.says), std::string::npos) << visited.error().message;
  }
}

TEST_F(RunStoreTest, ACorruptedBreakRowIsReportedWithItsPlace) {
  auto writer = RunWriter::begin(store_->database(), clock_).value();
  const auto summary = match(writer, {});
  const auto run_id = writer.commit(test::rules_from(kRules), {}, summary).value();
  ASSERT_FALSE(read_breaks(store_->database(), run_id).value().empty());
  struct Case {
    std::string_view members;
    std::string_view says;
  };
  const Case cases[] = {
      {"x'01'", "packed groups: byte 0: version 1"},
      {"x'02010105ff'", "byte 4: bytes after the last member"},
      {"x'02011d05'", "source 7 of 2"},  // a run with two sources
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.members);
    ASSERT_TRUE(store_->database().execute("SAVEPOINT corrupt"));
    ASSERT_TRUE(store_->database().execute(
        str_cat("UPDATE breaks SET members = ", c.members,
                " WHERE break_id = (SELECT min(break_id) FROM breaks)")));
    const auto read = read_breaks(store_->database(), run_id);
    ASSERT_TRUE(store_->database().execute("ROLLBACK TO corrupt; RELEASE corrupt"));
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, Errc::corrupted);
    EXPECT_NE(read.error().message.find(c.says), std::string::npos) << read.error().message;
    EXPECT_NE(read.error().message.find(str_cat("run ", run_id, " break ")), std::string::npos);
  }
}

TEST_F(RunStoreTest, ARunNotCommittedLeavesNothing) {
  {
    auto writer = RunWriter::begin(store_->database(), clock_);
    ASSERT_TRUE(writer);
    match(*writer, {});
  }
  auto count = store_->database().prepare(
      "SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM breaks) + "
      "(SELECT count(*) FROM match_groups) + (SELECT count(*) FROM run_sources)");
  ASSERT_TRUE(count);
  ASSERT_TRUE(count->step().value());
  EXPECT_EQ(count->column_int64(0), 0);
}

TEST_F(RunStoreTest, TheSchemaIsPreparedOnceAndItsVersionChecked) {
  ASSERT_TRUE(prepare_run_schema(store_->database()));
  ASSERT_TRUE(prepare_run_schema(store_->database()));
  ASSERT_TRUE(store_->database().execute(
      "UPDATE records_meta SET value = '99' WHERE key = 'reconcile_format_version'"));
  const auto refused = prepare_run_schema(store_->database());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unsupported);
}

}  // namespace
}  // namespace tally::reconcile
