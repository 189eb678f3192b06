#pragma once
// Matching runs in the records store's database (schemas/sql/reconcile.sql): one row per run with
// its rules, dates, sources, counts and result digest, its sources by run-local index, its match
// groups packed many to a row (packed_groups.hpp), and every break with its members.
// A run is written in one db_txn: RunWriter is the engine's MatchSink, and commit() adds the run's
// row from the engine's summary; a run that fails midway leaves nothing behind.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <tally/core/clock.hpp>
#include <tally/core/sqlite.hpp>
#include <tally/reconcile/match_engine.hpp>
#include <tally/reconcile/packed_groups.hpp>

namespace tally::reconcile {

inline constexpr int kReconcileFormatVersion = 3;

// Creates the tables when missing and checks the format version; the database must already be a
// records store (RecordStore::open prepared it).
Result<void> prepare_run_schema(sqlite::Database& database);

struct RunInfo {
  std::int64_t run_id = 0;
  std::string rules_name;
  Hash256 rules_digest;
  std::optional<adapters::Date> from;
  std::optional<adapters::Date> to;
  std::string sources;
  std::string started_at;
  std::string finished_at;
  std::uint64_t records[3] = {0, 0, 0};
  std::uint64_t groups = 0;
  std::uint64_t breaks = 0;
  Hash256 result_digest;
};

class RunWriter final : public MatchSink {
 public:
  // Starts the db_txn; `started_at` is the clock's time now.
  static Result<RunWriter> begin(sqlite::Database& database, const Clock& clock);

  Result<void> on_sources(const std::vector<SourceId>& sources) override;
  Result<void> on_group(const MatchGroup& group) override;
  // Stored as the row it is (after the groups given one by one so far), not unpacked.
  Result<void> on_packed_groups(BytesView packed, std::size_t count) override;
  Result<void> on_break(const Break& result_break) override;
  Result<void> on_breaks(std::span<const Break> breaks) override;

  // Writes the run's row and commits; the run's id.
  Result<std::int64_t> commit(const RuleSet& rules,
                              const MatchOptions& options,
                              const MatchSummary& summary);

 private:
  struct Statements;
  RunWriter(sqlite::Database& database,
            const Clock& clock,
            sqlite::Transaction db_txn,
            std::unique_ptr<Statements> statements);

  sqlite::Database* database_;
  const Clock* clock_;
  sqlite::Transaction db_txn_;
  std::unique_ptr<Statements> statements_;
  std::int64_t run_id_ = 0;
  std::string started_at_;
  std::int64_t chunk_first_ = 0;  // the group number of the next row's first group
  GroupPacker packer_;            // the groups given one by one, not written yet
  Bytes chunk_;                   // their row, packed

  Result<void> flush_chunk();
  Result<void> insert_groups(BytesView packed, std::int64_t count);
  // Binds a break's eight columns from parameter `first` on.
  Result<void> bind_break(sqlite::Statement& s, int first, const Break& result_break);

 public:
  RunWriter(RunWriter&&) noexcept;
  ~RunWriter() override;
};

// One break as stored, with its members' sources resolved.
struct StoredBreak {
  std::int64_t break_id = 0;
  BreakClass break_class = BreakClass::missing_right;
  std::optional<adapters::Date> business_date;
  std::string currency;
  std::int64_t amount_minor = 0;
  std::string key;
  std::string detail;
  std::string status;
  struct Member {
    Side side = Side::left;
    Hash256 source;
    std::uint64_t seq = 0;
  };
  std::vector<Member> members;
};

Result<std::optional<RunInfo>> read_run(sqlite::Database& database, std::int64_t run_id);
// The run's breaks in break_id order.
Result<std::vector<StoredBreak>> read_breaks(sqlite::Database& database, std::int64_t run_id);

// The run's sources, which MemberRef::source in its groups indexes (MatchSummary::sources).
Result<std::vector<SourceId>> read_run_sources(sqlite::Database& database, std::int64_t run_id);

// Streams the run's groups in emission order, as the engine gave them to RunWriter. A row that does
// not decode, leaves a gap in the group numbers or names a source the run does not have is
// `corrupted`, naming the row by its first group number (the groups before it were visited).
using GroupVisitor = std::function<Result<void>(const MatchGroup&)>;
Result<void> visit_groups(sqlite::Database& database,
                          std::int64_t run_id,
                          const GroupVisitor& visit);

}  // namespace tally::reconcile
