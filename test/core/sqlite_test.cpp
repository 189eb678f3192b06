#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include <tally/core/sqlite.hpp>

#include "support/temp_dir.hpp"

namespace tally::sqlite {
namespace {

class SqliteTest : public ::testing::Test {
 protected:
  Database open_db(const OpenOptions& options = {}) {
    auto database = Database::open(dir_ / "test.db", options);
    EXPECT_TRUE(database) << database.error();
    return std::move(*database);
  }

  static std::int64_t count_rows(Database& database) {
    auto statement = database.prepare("SELECT count(*) FROM t");
    EXPECT_TRUE(statement && statement->step().value_or(false));
    return statement->column_int64(0);
  }

  test::TempDir dir_;
};

TEST_F(SqliteTest, StoresAndReadsEveryColumnType) {
  Database database = open_db();
  ASSERT_TRUE(database.execute("CREATE TABLE t (i INTEGER, b BLOB, s TEXT, n BLOB);"));
  auto insert = database.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
  ASSERT_TRUE(insert);
  const Bytes blob{0x00, 0xff, 0x10};
  ASSERT_TRUE(insert->bind(1, std::int64_t{-42}));
  ASSERT_TRUE(insert->bind(2, blob));
  ASSERT_TRUE(insert->bind_text(3, "中文"));
  ASSERT_TRUE(insert->bind_null(4));
  ASSERT_TRUE(insert->run());
  EXPECT_EQ(database.changes(), 1);

  auto select = database.prepare("SELECT i, b, s, n FROM t");
  ASSERT_TRUE(select);
  ASSERT_TRUE(select->step().value());
  EXPECT_EQ(select->column_int64(0), -42);
  const BytesView read = select->column_blob(1);
  EXPECT_EQ(Bytes(read.begin(), read.end()), blob);
  EXPECT_EQ(select->column_text(2), "中文");
  EXPECT_TRUE(select->is_null(3));
  EXPECT_FALSE(select->step().value());
}

TEST_F(SqliteTest, EmptyBlobIsNotNull) {
  Database database = open_db();
  ASSERT_TRUE(database.execute("CREATE TABLE t (b BLOB);"));
  auto insert = database.prepare("INSERT INTO t VALUES (?1)");
  ASSERT_TRUE(insert->bind(1, BytesView{}));
  ASSERT_TRUE(insert->run());
  auto select = database.prepare("SELECT b IS NULL, length(b) FROM t");
  ASSERT_TRUE(select->step().value());
  EXPECT_EQ(select->column_int64(0), 0);
  EXPECT_EQ(select->column_int64(1), 0);
}

TEST_F(SqliteTest, UncommittedTransactionRollsBack) {
  Database database = open_db();
  ASSERT_TRUE(database.execute("CREATE TABLE t (i INTEGER);"));
  {
    auto db_txn = Transaction::begin(database);
    ASSERT_TRUE(db_txn);
    ASSERT_TRUE(database.execute("INSERT INTO t VALUES (1);"));
    EXPECT_TRUE(database.in_transaction());
  }
  EXPECT_FALSE(database.in_transaction());
  EXPECT_EQ(count_rows(database), 0);

  auto db_txn = Transaction::begin(database);
  ASSERT_TRUE(database.execute("INSERT INTO t VALUES (1);"));
  ASSERT_TRUE(db_txn->commit());
  EXPECT_EQ(count_rows(database), 1);
}

TEST_F(SqliteTest, CommittedDataSurvivesReopening) {
  {
    Database database = open_db();
    ASSERT_TRUE(database.execute("CREATE TABLE t (i INTEGER); INSERT INTO t VALUES (7);"));
  }
  Database reopened = open_db({.read_only = true});
  EXPECT_EQ(count_rows(reopened), 1);
  EXPECT_FALSE(reopened.execute("INSERT INTO t VALUES (8);"));
}

TEST_F(SqliteTest, ErrorsNameTheStatementAndKind) {
  Database database = open_db();
  const auto bad = database.prepare("SELEC 1");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("SELEC 1"), std::string::npos) << bad.error();
  const auto two = database.prepare("SELECT 1; SELECT 2");
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code, Errc::invalid_argument);

  ASSERT_TRUE(database.execute("CREATE TABLE t (i INTEGER PRIMARY KEY);"));
  ASSERT_TRUE(database.execute("INSERT INTO t VALUES (1);"));
  const auto duplicate = database.execute("INSERT INTO t VALUES (1);");
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, Errc::already_exists);
}

TEST_F(SqliteTest, ConstraintFailuresSayWhatKindTheyAre) {
  Database database = open_db();
  ASSERT_TRUE(
      database.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                       "CREATE TABLE child (parent INTEGER NOT NULL REFERENCES parent (id));"
                       "INSERT INTO parent VALUES (1);"));
  EXPECT_EQ(database.execute("INSERT INTO parent VALUES (1);").error().code, Errc::already_exists);
  EXPECT_EQ(database.execute("INSERT INTO child VALUES (2);").error().code, Errc::invalid_argument);
  EXPECT_EQ(database.execute("INSERT INTO child VALUES (NULL);").error().code,
            Errc::invalid_argument);
}

TEST_F(SqliteTest, ABusyDatabaseIsUnavailableNotBroken) {
  Database first = open_db();
  ASSERT_TRUE(first.execute("CREATE TABLE t (i INTEGER);"));
  Database second = open_db({.busy_timeout_ms = 0});
  auto writing = Transaction::begin(first);
  ASSERT_TRUE(writing);
  const auto blocked = Transaction::begin(second);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, Errc::unavailable) << blocked.error();
}

TEST_F(SqliteTest, MissingFileIsRefusedWithoutCreate) {
  const auto missing = Database::open(dir_ / "absent.db", {.create = false});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::io_error);
}

TEST_F(SqliteTest, AFileThatIsNotADatabaseIsCorrupted) {
  std::ofstream(dir_ / "test.db") << std::string(8192, 'x');
  auto database = Database::open(dir_ / "test.db");
  const Result<void> usable = database ? database->check_integrity() : Result<void>{};
  ASSERT_FALSE(database && usable);
  EXPECT_EQ(database ? usable.error().code : database.error().code, Errc::corrupted);
}

TEST_F(SqliteTest, IntegrityCheckFindsDamagedPages) {
  {
    Database database = open_db();
    ASSERT_TRUE(database.execute(
        "PRAGMA journal_mode=DELETE; CREATE TABLE t (i INTEGER PRIMARY KEY, b BLOB);"
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000)"
        " INSERT INTO t SELECT x, randomblob(100) FROM n;"));
    EXPECT_TRUE(database.check_integrity());
  }
  {
    // Overwrite the middle of the file, where table pages live, with garbage.
    std::fstream file(dir_ / "test.db", std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(4096 * 5);
    const std::string garbage(4096 * 3, '\x5a');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  auto database = Database::open(dir_ / "test.db");
  ASSERT_TRUE(database);
  const auto check = database->check_integrity();
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().code, Errc::corrupted) << check.error();
}

}  // namespace
}  // namespace tally::sqlite
