#pragma once
// A thin, strict wrapper over SQLite: a Database owns one connection, a Statement one prepared
// statement, a Transaction (db_txn) one BEGIN IMMEDIATE .. COMMIT that rolls back unless
// committed. Every SQLite failure becomes an Error naming the operation and SQLite's message.
// Connections are not shared between threads: each thread that needs the database opens its own
// (SQLite in WAL mode lets readers run beside one writer).
//
// sqlite3.h stays out of this header; only the opaque handle types are declared.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace tally::sqlite {

// How much a committed db_txn survives (PRAGMA synchronous in WAL mode):
//   full:   a commit is on disk before it returns; survives power loss.
//   normal: survives a process crash, but the last commits may be lost on power loss (never torn).
enum class Durability : std::uint8_t { full, normal };

struct OpenOptions {
  bool read_only = false;
  bool create = true;  // create the file when missing (ignored when read_only)
  Durability durability = Durability::full;
  int busy_timeout_ms = 5'000;
  // SQLite's page cache for this connection (PRAGMA cache_size), in KiB. Its default, 2 MiB, is
  // far too small for a ledger whose trie nodes are read at random.
  std::int64_t cache_kib = 2'048;
};

class Statement;

class Database {
 public:
  // Opens (or creates) the file in WAL mode with foreign keys on.
  static Result<Database> open(const std::filesystem::path& path, const OpenOptions& options = {});

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  // Runs one or more statements that return no rows (DDL, PRAGMA).
  Result<void> execute(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);

  std::int64_t last_insert_rowid() const noexcept;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  std::int64_t changes() const noexcept;
  bool in_transaction() const noexcept;

  // "PRAGMA integrity_check": ok, or corrupted with SQLite's findings.
  Result<void> check_integrity();

  sqlite3* handle() const noexcept { return db_; }

 private:
  explicit Database(sqlite3* db) noexcept : db_(db) {}
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  ~Statement();

  // Parameters are numbered from 1, as in SQL's ?1. A blob or text is copied by SQLite.
  Result<void> bind(int index, std::int64_t value);
  Result<void> bind(int index, BytesView blob);
  Result<void> bind_text(int index, std::string_view text);
  Result<void> bind_null(int index);

  // Advances to the next row: true when a row is available, false when done.
  Result<bool> step();
  // step() for statements that return no rows; fails if one does.
  Result<void> run();
  // Ready to run again, bindings cleared. A statement left on a row keeps its connection's read
  // transaction open: the connection stops seeing other connections' commits and the WAL cannot
  // be checkpointed past it. Reset (or use ResetOnExit) as soon as the row is read.
  void reset() noexcept;

  // Columns are numbered from 0. Views are valid until the next step() or reset().
  bool is_null(int column) const noexcept;
  std::int64_t column_int64(int column) const noexcept;
  BytesView column_blob(int column) const noexcept;
  std::string_view column_text(int column) const noexcept;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) noexcept : db_(db), stmt_(stmt) {}
  Error error(std::string_view operation) const;

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when the scope ends, whichever way it ends.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& statement) noexcept : statement_(statement) {}
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;
  ~ResetOnExit() { statement_.reset(); }

 private:
  Statement& statement_;
};

// A database transaction (db_txn): BEGIN IMMEDIATE on creation (so a writer never fails halfway
// for a lock), COMMIT on commit(), ROLLBACK when destroyed uncommitted.
class Transaction {
 public:
  static Result<Transaction> begin(Database& database);

  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Result<void> commit();

 private:
  explicit Transaction(Database& database) noexcept : database_(&database) {}
  Database* database_;  // null once committed, rolled back or moved from
};

}  // namespace tally::sqlite
