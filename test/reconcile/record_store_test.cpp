#include <gtest/gtest.h>

#include <tally/reconcile/record_store.hpp>

#include "match_fixture.hpp"
#include "support/temp_dir.hpp"

namespace tally::reconcile {
namespace {

TEST(RecordStore, JointLoanFieldsRoundTripAndVisitGivesSequenceNumbers) {
  const tally::test::TempDir dir;
  auto store = RecordStore::open(dir / "records.db").value();
  SourceFile file;
  file.file_hash.data()[0] = 7;
  file.name = "platform.csv";
  file.profile = "platform-joint-loan";
  file.institution = "PLATFORM-BANK";
  file.ingested_at = "2024-01-31T00:00:00.000Z";
  auto staging = FileStaging::begin(store, file).value();
  adapters::Record with = test::record("TX1", 100);
  with.term = 3;
  with.funding_ratio_bp = 3'000;
  with.source.file_id = "platform.csv";
  adapters::Record without = test::record("TX2", 200);
  without.source.file_id = "platform.csv";
  ASSERT_TRUE(staging.add(with));
  ASSERT_TRUE(staging.add(without));
  ASSERT_TRUE(staging.commit());

  const auto records = store.records_of(file.file_hash).value();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], with);
  EXPECT_EQ(records[1], without);
  std::vector<std::uint64_t> seqs;
  ASSERT_TRUE(store.visit_records(file.file_hash, [&](std::uint64_t seq, const adapters::Record&) {
    seqs.push_back(seq);
    return Result<void>{};
  }));
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{0, 1}));
}

// Format 2, as its records.sql created it: each record's duplicate key in an indexed column.
constexpr std::string_view kFormat2 = R"sql(
CREATE TABLE IF NOT EXISTS records_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS source_files (
  file_hash    BLOB PRIMARY KEY CHECK (length(file_hash) = 32),
  name         TEXT NOT NULL,     -- the file's name as submitted
  profile      TEXT NOT NULL,     -- the profile it was read with
  institution  TEXT NOT NULL,     -- who sent it
  byte_size    INTEGER NOT NULL CHECK (byte_size >= 0),
  record_count INTEGER NOT NULL CHECK (record_count >= 0),
  ingested_at  TEXT NOT NULL      -- RFC 3339 UTC
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS records (
  file_hash        BLOB NOT NULL REFERENCES source_files (file_hash),
  seq              INTEGER NOT NULL,  -- 0-based order in the file
  institution      TEXT NOT NULL,
  counterparty     TEXT NOT NULL,
  account          TEXT NOT NULL,
  business_date    TEXT,              -- YYYY-MM-DD, NULL when the file does not say
  value_date       TEXT,
  booking_date     TEXT,
  kind             INTEGER NOT NULL,  -- adapters::RecordKind
  reference        TEXT NOT NULL,
  loan_id          TEXT NOT NULL,
  end_to_end_id    TEXT NOT NULL,
  currency         TEXT NOT NULL,     -- ISO 4217 alphabetic code
  amount_minor     INTEGER NOT NULL CHECK (amount_minor >= 0),
  direction        INTEGER NOT NULL,  -- adapters::Direction
  principal        INTEGER,           -- components in minor units, NULL when not given
  interest         INTEGER,
  penalty_interest INTEGER,
  fee              INTEGER,
  text             TEXT NOT NULL,
  line             INTEGER NOT NULL,
  element_path     TEXT NOT NULL,
  byte_offset      INTEGER NOT NULL,
  raw              BLOB NOT NULL,
  duplicate_key    BLOB,              -- see reconcile/duplicate_key.hpp; NULL: not checked
  term             INTEGER,           -- joint loans: the instalment number, NULL when not given
  funding_ratio_bp INTEGER,           -- joint loans: the sender's share in basis points
  PRIMARY KEY (file_hash, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_duplicate_key
  ON records (file_hash, duplicate_key) WHERE duplicate_key IS NOT NULL;
INSERT INTO records_meta (key, value) VALUES ('format_version', '2');
)sql";

TEST(RecordStore, AStoreOfFormat2IsMigratedAndKeepsItsRecords) {
  const tally::test::TempDir dir;
  SourceFile file;
  file.file_hash.data()[0] = 9;
  file.name = "old.csv";
  file.profile = "p";
  file.institution = "BANK";
  file.byte_size = 10;
  file.record_count = 1;
  file.ingested_at = "2024-01-31T00:00:00.000Z";
  {
    auto database = sqlite::Database::open(dir / "records.db").value();
    ASSERT_TRUE(database.execute(kFormat2));
    for (const std::string_view insert :
         {"INSERT INTO source_files VALUES (?1, 'old.csv', 'p', 'BANK', 10, 1, "
          "'2024-01-31T00:00:00.000Z')",
          "INSERT INTO records VALUES (?1, 0, 'BANK', '', '', NULL, '2024-01-02', NULL, 0, 'TX1', "
          "'', '', 'CNY', 100, 0, NULL, NULL, NULL, NULL, '', 2, '', 0, x'', x'01', NULL, NULL)"}) {
      auto statement = database.prepare(insert).value();
      ASSERT_TRUE(statement.bind(1, file.file_hash.view()));
      ASSERT_TRUE(statement.run());
    }
  }
  auto store = RecordStore::open(dir / "records.db");
  ASSERT_TRUE(store) << store.error().message;
  auto version =
      store->database().prepare("SELECT value FROM records_meta WHERE key = 'format_version'");
  ASSERT_TRUE(version && *version->step());
  EXPECT_EQ(version->column_text(0), "3");
  version->reset();
  auto columns = store->database().prepare(
      "SELECT count(*) FROM pragma_table_info('records') WHERE name = 'duplicate_key'");
  ASSERT_TRUE(columns && *columns->step());
  EXPECT_EQ(columns->column_int64(0), 0);
  columns->reset();
  EXPECT_EQ(store->find_file(file.file_hash).value(), file);
  const auto records = store->records_of(file.file_hash).value();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].reference, "TX1");
  EXPECT_EQ(records[0].amount.minor_units(), 100);
  // Reopened, it is format 3 as it stands.
  store = RecordStore::open(dir / "records.db");
  EXPECT_TRUE(store) << store.error().message;
}

TEST(RecordStore, AMigrationThatFailsLeavesTheStoreAsItWas) {
  const tally::test::TempDir dir;
  {
    auto database = sqlite::Database::open(dir / "records.db").value();
    ASSERT_TRUE(database.execute(kFormat2));
    // Something of the operator's that reads the column: SQLite will not drop it.
    ASSERT_TRUE(database.execute(
        "CREATE VIEW keyed AS SELECT file_hash, seq FROM records WHERE duplicate_key IS NOT NULL"));
  }
  auto store = RecordStore::open(dir / "records.db");
  ASSERT_FALSE(store);
  auto database = sqlite::Database::open(dir / "records.db").value();
  auto state = database
                   .prepare(
                       "SELECT (SELECT value FROM records_meta WHERE key = 'format_version'), "
                       "(SELECT count(*) FROM sqlite_schema WHERE name = "
                       "'records_by_duplicate_key')")
                   .value();
  ASSERT_TRUE(*state.step());
  EXPECT_EQ(state.column_text(0), "2");
  EXPECT_EQ(state.column_int64(1), 1);  // the index is back: the whole migration rolled back
  state.reset();
  ASSERT_TRUE(database.execute("DROP VIEW keyed"));
  EXPECT_TRUE(RecordStore::open(dir / "records.db"));
}

}  // namespace
}  // namespace tally::reconcile
