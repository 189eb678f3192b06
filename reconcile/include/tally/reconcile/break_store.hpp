#pragma once
// The breaks workflow on SQLite. The matching engine writes breaks into the `breaks` table
// (schemas/sql/reconcile.sql); this store reads them, keeps what the workflow adds in its own
// tables (schemas/sql/breaks.sql) and updates breaks.status. Each action runs in one db_txn: read
// the break's state, apply_action (break_workflow.hpp), write the new state and status, append the
// audit entry. So there is no action without its entry and no entry without its action.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tally/core/clock.hpp>
#include <tally/core/sqlite.hpp>
#include <tally/reconcile/ageing.hpp>
#include <tally/reconcile/audit_log.hpp>
#include <tally/reconcile/break_workflow.hpp>

namespace tally::reconcile {

inline constexpr int kBreaksFormatVersion = 1;

// A break as the engine found it, with its workflow state.
struct BreakView {
  std::int64_t break_id = 0;
  std::int64_t run_id = 0;
  std::string break_class;  // missing_left, amount_mismatch, ...
  std::optional<BusinessDate> business_date;
  std::string currency;
  std::int64_t amount_minor = 0;
  std::string key;  // the normalised key the members share
  std::string detail;
  BreakState state;
  std::optional<std::int64_t> age_days;  // when listed with an as-of date and the break is dated
  std::optional<AgeBucket> age_bucket;

  bool operator==(const BreakView&) const = default;
};

struct BreakFilter {
  std::optional<BreakStatus> status;
  std::optional<BusinessDate> as_of;  // computes ages; breaks dated after it have none
};

// The replayed audit log against the stored states.
struct ReplayVerdict {
  std::uint64_t entries = 0;
  std::optional<std::int64_t> first_bad_break;  // the first break whose state disagrees
  std::string reason;

  bool consistent() const noexcept { return !first_bad_break.has_value(); }
};

class BreakStore {
 public:
  // Takes a database that holds the engine's `breaks` table (it is refused otherwise) and creates
  // the workflow's tables in it when missing. The clock stamps audit entries.
  static Result<BreakStore> open(sqlite::Database database, const Clock& clock);
  static Result<BreakStore> open(const std::filesystem::path& path, const Clock& clock);

  Result<BreakView> get(std::int64_t break_id);
  // In break_id order.
  Result<std::vector<BreakView>> list(const BreakFilter& filter = {});

  // Applies the action in one db_txn. A refusal by a workflow rule is Errc::invalid_argument
  // whose message names the break and the rule ("break 7: four-eyes: ..."); an unknown break is
  // Errc::not_found.
  Result<BreakState> act(std::int64_t break_id, const Action& action, const User& actor);

  AuditLog& audit_log() noexcept { return audit_log_; }
  // Replays every audit entry through apply_action from fresh states and compares the result with
  // each stored break's state: an action written without its entry (or an entry whose action was
  // rolled back by hand) shows here, even when the chain itself verifies.
  Result<ReplayVerdict> check_replay();

  sqlite::Database& database() noexcept { return *database_; }

 private:
  BreakStore(std::unique_ptr<sqlite::Database> database, const Clock& clock)
      : database_(std::move(database)), clock_(&clock), audit_log_(*database_) {}
  Result<void> prepare_schema();
  Result<BreakState> read_state(std::int64_t break_id, std::string_view status);
  Result<void> write_state(std::int64_t break_id, const BreakState& state, std::uint64_t seq);

  // Behind a pointer so the AuditLog's reference survives moving the store.
  std::unique_ptr<sqlite::Database> database_;
  const Clock* clock_;
  AuditLog audit_log_;
};

}  // namespace tally::reconcile
