#pragma once
// The records store (schemas/sql/records.sql): accepted bank files and their normalized records,
// on SQLite. A file's records are staged inside one db_txn (FileStaging) while its parser streams
// them, so the records themselves are not held in memory; the checks that need every record of
// the file (duplicates) keep 16 bytes a record that carries an identifier (160 MB for 10 million)
// and read back only the few records they suspect; and the file lands whole on commit() or not
// at all. The same bytes (by SHA-256) are never taken twice.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <tally/adapters/parse_report.hpp>
#include <tally/adapters/record.hpp>
#include <tally/core/clock.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/sqlite.hpp>
#include <tally/reconcile/duplicate_key.hpp>

namespace tally::reconcile {

inline constexpr int kRecordsFormatVersion = 3;

// An accepted file, as the store keeps it.
struct SourceFile {
  Hash256 file_hash;  // SHA-256 of the file's bytes
  std::string name;
  std::string profile;
  std::string institution;
  std::uint64_t byte_size = 0;
  std::uint64_t record_count = 0;
  std::string ingested_at;  // RFC 3339 UTC

  bool operator==(const SourceFile&) const = default;
};

// Records of one file summed by kind, currency and direction.
struct KindTotal {
  adapters::RecordKind kind = adapters::RecordKind::other;
  adapters::Direction direction = adapters::Direction::credit;
  std::string currency;
  std::uint64_t count = 0;
  std::int64_t total_minor = 0;

  bool operator==(const KindTotal&) const = default;
};

class RecordStore {
 public:
  // Opens or creates the store; a store of format version 2 is migrated to 3 (README); a
  // database of something else, or of another format version, is refused.
  static Result<RecordStore> open(const std::filesystem::path& path);

  Result<std::optional<SourceFile>> find_file(const Hash256& file_hash);
  // Every record of an accepted file, in file order; their source's file_id is the file's name.
  Result<std::vector<adapters::Record>> records_of(const Hash256& file_hash);
  // The same, one at a time with its sequence number, without holding them all; stops at the
  // visitor's first error.
  using RecordVisitor = std::function<Result<void>(std::uint64_t seq, const adapters::Record&)>;
  Result<void> visit_records(const Hash256& file_hash, const RecordVisitor& visit);

  sqlite::Database& database() noexcept { return database_; }

 private:
  explicit RecordStore(sqlite::Database database) : database_(std::move(database)) {}
  Result<void> prepare_schema();

  sqlite::Database database_;
};

// One file's records on their way into the store. Nothing is visible to other readers, and
// nothing stays, unless commit() succeeds.
class FileStaging {
 public:
  // Starts the db_txn. `file.record_count` is filled in by commit().
  static Result<FileStaging> begin(RecordStore& store, SourceFile file);

  Result<void> add(const adapters::Record& record);
  // The same, with the record's duplicate_key(record) worked out already (on another thread).
  Result<void> add(const adapters::Record& record, const std::optional<Hash256>& duplicate_key);
  std::uint64_t staged() const noexcept { return next_seq_; }

  // Records that duplicate an earlier record of this file (duplicate_key.hpp), each located
  // against the first record with its key, in file order, at most `limit` of them.
  Result<std::vector<adapters::LocatedError>> duplicates(std::size_t limit);
  // By kind, direction and currency, in that order; an amount sum past int64 is limit_exceeded.
  Result<std::vector<KindTotal>> totals() const;

  Result<void> commit();

 private:
  FileStaging(RecordStore& store,
              SourceFile file,
              sqlite::Transaction db_txn,
              sqlite::Statement insert)
      : store_(&store),
        file_(std::move(file)),
        db_txn_(std::move(db_txn)),
        insert_(std::move(insert)) {}

  struct Total {
    KindTotal total;
    bool overflowed = false;
  };
  Result<adapters::Record> staged_record(sqlite::Statement& query, std::uint64_t seq);
  void add_to_totals(const adapters::Record& record);

  RecordStore* store_;
  SourceFile file_;
  sqlite::Transaction db_txn_;
  sqlite::Statement insert_;
  std::uint64_t next_seq_ = 0;
  std::vector<DuplicateMark> keys_;  // of records that carry an identifier
  std::vector<Total> totals_;        // few: one per kind, direction and currency seen
};

}  // namespace tally::reconcile
