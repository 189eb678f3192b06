#include <algorithm>
#include <fstream>
#include <map>
#include <new>
#include <string>

#include <gtest/gtest.h>

#include <tally/adapters/mt940.hpp>
#include <tally/core/hash.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/ingest.hpp>

#include "support/temp_dir.hpp"

namespace tally::reconcile {
namespace {

using adapters::Direction;
using adapters::RecordKind;

// One statement: a debit with a reference, a reversal without one, a charge.
constexpr std::string_view kStatement =
    ":20:STMT1\n"
    ":25:DE89370400440532013000\n"
    ":28C:1/1\n"
    ":60F:C231229EUR1000,00\n"
    ":61:2401021231D100,50NTRFINV-1//B1\n"
    ":86:Rent January\n"
    ":61:240102RD20,NMSCNONREF//B2\n"
    ":86:reversed direct debit\n"
    ":61:240102RC0,50NCHGNONREF\n"
    ":62F:C240102EUR919,\n"
    "-\n";

// The rent line twice, balances consistent: only the duplicate check can refuse it.
constexpr std::string_view kDuplicated =
    ":20:STMT1\n"
    ":25:DE89370400440532013000\n"
    ":28C:1/1\n"
    ":60F:C231229EUR1000,00\n"
    ":61:2401021231D100,50NTRFINV-1//B1\n"
    ":86:Rent January\n"
    ":61:2401021231D100,50NTRFINV-1//B1\n"
    ":86:Rent January\n"
    ":62F:C240102EUR799,\n"
    "-\n";

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = RecordStore::open(dir_ / "records.db");
    ASSERT_TRUE(opened) << opened.error().message;
    store_.emplace(std::move(*opened));
  }

  std::filesystem::path write(const std::string& name, std::string_view text) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  IngestOutcome ingest(const std::filesystem::path& path,
                       IngestMode mode = IngestMode::store,
                       const FileParser& parser = adapters::parse_mt940) {
    auto outcome = ingest_file(*store_, {path, "mt940-test", "bank-a"}, parser, clock_, mode);
    EXPECT_TRUE(outcome) << outcome.error().message;
    return outcome ? std::move(*outcome) : IngestOutcome{};
  }

  std::int64_t count(std::string_view table) {
    auto query = store_->database().prepare(str_cat("SELECT count(*) FROM ", table));
    EXPECT_TRUE(query && *query->step());
    return query->column_int64(0);
  }

  test::TempDir dir_;
  ManualClock clock_{Instant{std::chrono::seconds{1'763'700'000}}};
  std::optional<RecordStore> store_;
};

TEST_F(IngestTest, AcceptsAWholeFileWithItsTotals) {
  const auto outcome = ingest(write("stmt.sta", kStatement));
  ASSERT_TRUE(outcome.accepted);
  EXPECT_EQ(outcome.error_count, 0u);
  EXPECT_EQ(outcome.file.record_count, 3u);
  EXPECT_EQ(outcome.file.byte_size, kStatement.size());
  EXPECT_EQ(outcome.file.file_hash, sha256(as_bytes(kStatement)));
  EXPECT_EQ(outcome.file.ingested_at, "2025-11-21T04:40:00.000Z");
  // Sorted by kind, then direction, then currency.
  ASSERT_EQ(outcome.totals.size(), 3u);
  // "RD" reverses a debit (money back in), "RC" a credit (money out).
  EXPECT_EQ(outcome.totals[0],
            (KindTotal{RecordKind::transfer, Direction::debit, "EUR", 1, 10050}));
  EXPECT_EQ(outcome.totals[1],
            (KindTotal{RecordKind::reversal, Direction::credit, "EUR", 1, 2000}));
  EXPECT_EQ(outcome.totals[2], (KindTotal{RecordKind::reversal, Direction::debit, "EUR", 1, 50}));

  auto stored = store_->find_file(outcome.file.file_hash);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ(**stored, outcome.file);
}

TEST_F(IngestTest, StoredRecordsReadBackAsTheParserGaveThem) {
  const auto path = write("stmt.sta", kStatement);
  const auto outcome = ingest(path);
  ASSERT_TRUE(outcome.accepted);

  std::vector<adapters::Record> parsed;
  adapters::MemorySource source(as_bytes(kStatement));
  const auto report =
      adapters::parse_mt940(source, {"stmt.sta", "bank-a"}, [&](adapters::Record&& record) {
        parsed.push_back(std::move(record));
        return Result<void>{};
      });
  ASSERT_TRUE(report.ok());
  auto stored = store_->records_of(outcome.file.file_hash);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(*stored, parsed);
}

TEST_F(IngestTest, TheSameBytesAreRefusedUnderAnyName) {
  ASSERT_TRUE(ingest(write("monday.sta", kStatement)).accepted);
  const auto again = ingest(write("copy-of-monday.sta", kStatement));
  EXPECT_FALSE(again.accepted);
  ASSERT_EQ(again.errors.size(), 1u);
  EXPECT_EQ(again.errors[0].where.file_id, "copy-of-monday.sta");
  EXPECT_NE(again.errors[0].reason.find("was ingested as 'monday.sta' at 2025-11-21"),
            std::string::npos)
      << again.errors[0].reason;
  EXPECT_EQ(count("source_files"), 1);
  EXPECT_EQ(count("records"), 3);
}

TEST_F(IngestTest, ADuplicateWithinTheFileRefusesItWhole) {
  const auto outcome = ingest(write("dup.sta", kDuplicated));
  EXPECT_FALSE(outcome.accepted);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].to_string(), "dup.sta:7: duplicate of the record at line 5");
  EXPECT_EQ(count("source_files"), 0);
  EXPECT_EQ(count("records"), 0);
}

TEST_F(IngestTest, AParseErrorRefusesTheFileAndLeavesNothing) {
  std::string broken(kStatement);
  broken.replace(broken.find(":62F:C240102EUR919,"), 19, ":62F:C240102EUR918,");
  const auto outcome = ingest(write("broken.sta", broken));
  EXPECT_FALSE(outcome.accepted);
  ASSERT_GE(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].where.file_id, "broken.sta");
  EXPECT_NE(outcome.errors[0].where.line, 0u);
  EXPECT_EQ(count("source_files"), 0);
  EXPECT_EQ(count("records"), 0);
  // Refused bytes are not remembered: a corrected file is not a repeat, and neither is this one.
  EXPECT_FALSE(ingest(write("broken-again.sta", broken)).errors.empty());
  EXPECT_TRUE(ingest(write("fixed.sta", kStatement)).accepted);
}

TEST_F(IngestTest, CheckModeKeepsNothing) {
  const auto path = write("stmt.sta", kStatement);
  const auto checked = ingest(path, IngestMode::check);
  EXPECT_TRUE(checked.accepted);
  EXPECT_EQ(checked.totals.size(), 3u);
  EXPECT_EQ(count("source_files"), 0);
  EXPECT_EQ(count("records"), 0);
  EXPECT_TRUE(ingest(path).accepted);
}

TEST_F(IngestTest, ARecordBreakingItsOwnRulesIsRefusedWhereItStands) {
  // A parser that hands over a record whose components do not sum to its amount.
  const FileParser lying = [](adapters::ByteSource&, const adapters::ParseOptions& options,
                              const adapters::RecordSink& sink) {
    adapters::ParseReport report;
    const Currency cny = *Currency::from_code("CNY");
    adapters::Record record(Amount{10'000, cny}, Direction::credit);
    record.reference = "R1";
    record.components.principal = Amount{9'000, cny};
    record.components.interest = Amount{500, cny};
    record.source = {options.file_id, 4, "", 120};
    if (sink(std::move(record)))
      report.count_record();
    return report;
  };
  const auto outcome = ingest(write("lying.csv", "x"), IngestMode::store, lying);
  EXPECT_FALSE(outcome.accepted);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].where.line, 4u);
  EXPECT_NE(outcome.errors[0].reason.find("sum"), std::string::npos) << outcome.errors[0].reason;
  EXPECT_EQ(count("records"), 0);
}

TEST_F(IngestTest, AFileRewrittenWhileItIsReadIsRefused) {
  const auto path = write("moving.sta", kStatement);
  // Someone appends to the file after it was hashed, before the parser reads it.
  const FileParser appending = [&path](adapters::ByteSource& source,
                                       const adapters::ParseOptions& options,
                                       const adapters::RecordSink& sink) {
    std::ofstream(path, std::ios::binary | std::ios::app) << kStatement;
    return adapters::parse_mt940(source, options, sink);
  };
  const auto outcome = ingest(path, IngestMode::store, appending);
  EXPECT_FALSE(outcome.accepted);
  // (The appended copy also duplicates every record; the change is what matters here.)
  const auto changed = std::count_if(
      outcome.errors.begin(), outcome.errors.end(), [](const adapters::LocatedError& error) {
        return error.reason.starts_with("the file changed while it was read");
      });
  EXPECT_EQ(changed, 1);
  EXPECT_EQ(count("source_files"), 0);
  EXPECT_EQ(count("records"), 0);
}

TEST_F(IngestTest, AMissingFileIsAnErrorNotARefusal) {
  auto outcome =
      ingest_file(*store_, {dir_ / "absent.sta", "p", "bank-a"}, adapters::parse_mt940, clock_);
  EXPECT_FALSE(outcome);
}

// A parser of generated records: `count` transfers, the ones whose number is in `repeats`
// stating again the movement of the record `repeats` maps them to.
FileParser generating(std::size_t count, std::map<std::size_t, std::size_t> repeats = {}) {
  return [count, repeats](adapters::ByteSource&, const adapters::ParseOptions& options,
                          const adapters::RecordSink& sink) {
    adapters::ParseReport report;
    const Currency cny = *Currency::from_code("CNY");
    for (std::size_t i = 0; i < count; ++i) {
      const auto it = repeats.find(i);
      const std::size_t movement = it == repeats.end() ? i : it->second;
      adapters::Record record(Amount{static_cast<std::int64_t>(100 + movement), cny},
                              Direction::credit);
      record.reference = str_cat("R", movement);
      record.source = {options.file_id, i + 2, "", i * 20};
      if (!sink(std::move(record)))
        break;
      report.count_record();
    }
    return report;
  };
}

TEST_F(IngestTest, TheTapSeesEveryRecordInFileOrderWithItsSequenceNumber) {
  std::vector<std::pair<std::uint64_t, std::string>> seen;
  const RecordTap tap = [&seen](std::uint64_t seq, const adapters::Record& record) {
    seen.emplace_back(seq, record.reference);
    return Result<void>{};
  };
  // More than one chunk of the relay between the parsing thread and the store.
  constexpr std::size_t kCount = 5'000;
  auto outcome = ingest_file(*store_, {write("many.csv", "x"), "p", "bank-a"}, generating(kCount),
                             clock_, IngestMode::store, tap);
  ASSERT_TRUE(outcome && outcome->accepted);
  ASSERT_EQ(seen.size(), kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    ASSERT_EQ(seen[i], std::pair(std::uint64_t{i}, str_cat("R", i)));
  }
  std::uint64_t visited = 0;
  ASSERT_TRUE(store_->visit_records(outcome->file.file_hash,
                                    [&](std::uint64_t seq, const adapters::Record& record) {
                                      EXPECT_EQ(seen[seq].second, record.reference);
                                      ++visited;
                                      return Result<void>{};
                                    }));
  EXPECT_EQ(visited, kCount);
}

TEST_F(IngestTest, AFailingTapStopsTheIngestAndLeavesNothing) {
  std::uint64_t calls = 0;
  const RecordTap tap = [&calls](std::uint64_t seq, const adapters::Record&) -> Result<void> {
    ++calls;
    if (seq == 3'000)
      return fail(Errc::limit_exceeded, "the engine is full");
    return {};
  };
  auto outcome = ingest_file(*store_, {write("many.csv", "x"), "p", "bank-a"}, generating(10'000),
                             clock_, IngestMode::store, tap);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error(), (Error{Errc::limit_exceeded, "the engine is full"}));
  EXPECT_EQ(calls, 3'001u);  // the parser stopped at the failing record
  EXPECT_EQ(count("source_files"), 0);
  EXPECT_EQ(count("records"), 0);
}

TEST_F(IngestTest, AParserThatThrowsLeavesNothingAndTheExceptionReachesTheCaller) {
  const FileParser throwing = [](adapters::ByteSource& source,
                                 const adapters::ParseOptions& options,
                                 const adapters::RecordSink& sink) -> adapters::ParseReport {
    (void)generating(2'500)(source, options, sink);
    throw std::bad_alloc();
  };
  EXPECT_THROW(
      (void)ingest_file(*store_, {write("boom.csv", "x"), "p", "bank-a"}, throwing, clock_),
      std::bad_alloc);
  EXPECT_EQ(count("source_files"), 0);
  EXPECT_EQ(count("records"), 0);
  EXPECT_TRUE(ingest(write("stmt.sta", kStatement)).accepted);
}

TEST_F(IngestTest, AStagingFailureStopsTheParserSoonAndLeavesNothing) {
  // Record 5 breaks the store's CHECK (a negative amount); 200,000 more follow it.
  constexpr std::size_t kCount = 200'000;
  std::size_t made = 0;
  const FileParser parser = [&made](adapters::ByteSource&, const adapters::ParseOptions& options,
                                    const adapters::RecordSink& sink) {
    adapters::ParseReport report;
    const Currency cny = *Currency::from_code("CNY");
    for (std::size_t i = 0; i < kCount; ++i) {
      adapters::Record record(Amount{i == 5 ? -1 : 100, cny}, Direction::credit);
      record.reference = str_cat("R", i);
      record.source = {options.file_id, i + 2, "", i * 20};
      ++made;
      if (!sink(std::move(record)))
        break;
      report.count_record();
    }
    return report;
  };
  std::uint64_t tapped = 0;
  auto outcome = ingest_file(*store_, {write("bad.csv", "x"), "p", "bank-a"}, parser, clock_,
                             IngestMode::store, [&tapped](std::uint64_t, const adapters::Record&) {
                               ++tapped;
                               return Result<void>{};
                             });
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("CHECK"), std::string::npos) << outcome.error().message;
  // At most the chunks waiting and the ones in hand were made past the failure, not the file.
  EXPECT_LT(made, 20'000u);
  EXPECT_LE(tapped, made);
  EXPECT_EQ(count("source_files"), 0);
  EXPECT_EQ(count("records"), 0);
}

TEST_F(IngestTest, TotalsPastInt64AreAnErrorAndLeaveNothing) {
  const FileParser parser = [](adapters::ByteSource&, const adapters::ParseOptions& options,
                               const adapters::RecordSink& sink) {
    adapters::ParseReport report;
    const Currency cny = *Currency::from_code("CNY");
    for (std::uint64_t i = 0; i < 3; ++i) {
      adapters::Record record(Amount{std::int64_t{1} << 62, cny}, Direction::credit);
      record.reference = str_cat("R", i);
      record.source = {options.file_id, i + 2, "", i * 20};
      if (sink(std::move(record)))
        report.count_record();
    }
    return report;
  };
  auto outcome = ingest_file(*store_, {write("big.csv", "x"), "p", "bank-a"}, parser, clock_);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, Errc::limit_exceeded);
  EXPECT_NE(outcome.error().message.find("CNY amounts of big.csv"), std::string::npos)
      << outcome.error().message;
  EXPECT_EQ(count("records"), 0);
}

TEST_F(IngestTest, AnExpectedHashIsTheFilesIdentityAndAChangedFileIsRefused) {
  const auto path = write("stmt.sta", kStatement);
  const Hash256 hash = sha256(as_bytes(kStatement));
  auto accepted = ingest_file(*store_, {path, "mt940-test", "bank-a", hash}, adapters::parse_mt940,
                              clock_, IngestMode::check);
  ASSERT_TRUE(accepted && accepted->accepted);
  EXPECT_EQ(accepted->file.file_hash, hash);
  EXPECT_EQ(accepted->file.byte_size, kStatement.size());
  // The caller hashed other bytes than those now in the file.
  Hash256 stale = hash;
  stale.data()[0] ^= 1;
  auto refused =
      ingest_file(*store_, {path, "mt940-test", "bank-a", stale}, adapters::parse_mt940, clock_);
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->accepted);
  ASSERT_EQ(refused->errors.size(), 1u);
  EXPECT_TRUE(refused->errors[0].reason.starts_with("the file changed while it was read"))
      << refused->errors[0].reason;
  EXPECT_EQ(count("records"), 0);
}

TEST_F(IngestTest, DuplicatesAreEachLocatedAgainstTheFirstInFileOrderUpToTheBound) {
  // Record 9 repeats 2; 7 and 12 repeat 5 (both against 5, the first); 3,000 and up repeat 1,000
  // onwards, many more than are reported.
  std::map<std::size_t, std::size_t> repeats{{9, 2}, {7, 5}, {12, 5}};
  for (std::size_t i = 3'000; i < 4'500; ++i)
    repeats[i] = i - 2'000;
  const auto outcome =
      ingest(write("dups.csv", "x"), IngestMode::store, generating(5'000, repeats));
  EXPECT_FALSE(outcome.accepted);
  EXPECT_EQ(outcome.error_count, adapters::kMaxReportedErrors);
  ASSERT_EQ(outcome.errors.size(), adapters::kMaxReportedErrors);
  // Lines are the record's number + 2.
  EXPECT_EQ(outcome.errors[0].to_string(), "dups.csv:9: duplicate of the record at line 7");
  EXPECT_EQ(outcome.errors[1].to_string(), "dups.csv:11: duplicate of the record at line 4");
  EXPECT_EQ(outcome.errors[2].to_string(), "dups.csv:14: duplicate of the record at line 7");
  EXPECT_EQ(outcome.errors[3].to_string(), "dups.csv:3002: duplicate of the record at line 1002");
  EXPECT_EQ(outcome.errors[3].where.byte_offset, 3'000u * 20);
  EXPECT_EQ(count("records"), 0);
}

TEST(RecordStore, RefusesADatabaseOfSomethingElse) {
  test::TempDir dir;
  {
    auto database = sqlite::Database::open(dir / "other.db");
    ASSERT_TRUE(database);
    ASSERT_TRUE(database->execute("CREATE TABLE t (x INTEGER)"));
  }
  auto store = RecordStore::open(dir / "other.db");
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("something else"), std::string::npos);
}

TEST(RecordStore, ReopensWhatItCreated) {
  test::TempDir dir;
  ASSERT_TRUE(RecordStore::open(dir / "records.db"));
  EXPECT_TRUE(RecordStore::open(dir / "records.db"));
}

}  // namespace
}  // namespace tally::reconcile
