#include <map>

#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/action_payload.hpp>
#include <tally/reconcile/break_store.hpp>
#include <tally/schemas/schemas.hpp>

namespace tally::reconcile {
namespace {

constexpr std::string_view kSelectBreaks =
    "SELECT b.break_id, b.run_id, b.class, b.business_date, b.currency, b.amount_minor, b.detail,"
    " b.status, s.owner, s.proposal, s.proposer, s.approved_by, s.reopen_count, s.action_count,"
    " b.key FROM breaks b LEFT JOIN break_state s ON s.break_id = b.break_id";

std::string column_text_or_empty(const sqlite::Statement& row, int column) {
  return row.is_null(column) ? std::string{} : std::string(row.column_text(column));
}

Result<BreakState> read_state(const sqlite::Statement& row) {
  BreakState state;
  const auto status = status_from_name(row.column_text(7));
  if (!status)
    return fail(Errc::corrupted, str_cat("unknown status '", row.column_text(7), "'"));
  state.status = *status;
  if (row.is_null(8))
    return state;  // no action yet
  state.owner = row.column_text(8);
  if (!row.is_null(9)) {
    TALLY_TRY(Action proposed,
              in_context(decode_payload(ActionKind::propose, row.column_text(9)), "proposal"));
    state.proposal = std::move(proposed.proposal);
    state.proposal->proposer = row.column_text(10);
  }
  state.approved_by = row.column_text(11);
  state.reopen_count = static_cast<std::uint32_t>(row.column_int64(12));
  state.action_count = static_cast<std::uint64_t>(row.column_int64(13));
  return state;
}

Result<BreakView> read_view(const sqlite::Statement& row) {
  BreakView view;
  view.break_id = row.column_int64(0);
  const auto context = str_cat("break ", view.break_id);
  view.run_id = row.column_int64(1);
  view.break_class = column_text_or_empty(row, 2);
  if (!row.is_null(3)) {
    auto date = parse_business_date(row.column_text(3));
    if (!date)
      return fail(Errc::corrupted, str_cat(context, ": business date: ", date.error().message));
    view.business_date = *date;
  }
  view.currency = column_text_or_empty(row, 4);
  view.amount_minor = row.is_null(5) ? 0 : row.column_int64(5);
  view.detail = column_text_or_empty(row, 6);
  view.key = column_text_or_empty(row, 14);
  auto state = read_state(row);
  if (!state)
    return fail(Errc::corrupted, str_cat(context, ": ", state.error().message));
  view.state = std::move(*state);
  return view;
}

void add_age(BreakView& view, const std::optional<BusinessDate>& as_of) {
  if (!as_of || !view.business_date)
    return;
  const auto days = age_days(*view.business_date, *as_of);
  if (!days)
    return;  // dated after the as-of date: no age yet
  view.age_days = *days;
  view.age_bucket = age_bucket(*days);
}

Result<std::vector<BreakView>> read_views(sqlite::Statement& query,
                                          const std::optional<BusinessDate>& as_of) {
  sqlite::ResetOnExit reset(query);
  std::vector<BreakView> views;
  for (;;) {
    TALLY_TRY(const bool row, query.step());
    if (!row)
      return views;
    TALLY_TRY(BreakView view, read_view(query));
    add_age(view, as_of);
    views.push_back(std::move(view));
  }
}

}  // namespace

Result<BreakStore> BreakStore::open(sqlite::Database database, const Clock& clock) {
  BreakStore store(std::make_unique<sqlite::Database>(std::move(database)), clock);
  TALLY_TRY_VOID(store.prepare_schema());
  return store;
}

Result<BreakStore> BreakStore::open(const std::filesystem::path& path, const Clock& clock) {
  sqlite::OpenOptions options;
  options.create = false;  // the engine's run made the file; a mistyped path is not a new store
  TALLY_TRY(auto database, in_context(sqlite::Database::open(path, options), path.string()));
  return in_context(open(std::move(database), clock), path.string());
}

Result<void> BreakStore::prepare_schema() {
  TALLY_TRY(auto db_txn, sqlite::Transaction::begin(*database_));
  {
    TALLY_TRY(auto breaks, database_->prepare("SELECT count(*) FROM sqlite_schema WHERE type = "
                                              "'table' AND name = 'breaks'"));
    sqlite::ResetOnExit reset(breaks);
    TALLY_TRY(const bool row, breaks.step());
    TALLY_ASSERT(row);
    if (breaks.column_int64(0) == 0) {
      return fail(Errc::not_found,
                  "breaks store: no breaks table (a reconciliation run creates it)");
    }
  }
  const auto ddl = schemas::find("sql/breaks.sql");
  TALLY_ASSERT(ddl.has_value());
  TALLY_TRY_VOID(database_->execute(*ddl));
  TALLY_TRY_VOID(database_->execute(
      str_cat("INSERT OR IGNORE INTO breaks_meta (key, value) VALUES ('format_version', '",
              kBreaksFormatVersion, "')")));
  TALLY_TRY(auto version,
            database_->prepare("SELECT value FROM breaks_meta WHERE key = 'format_version'"));
  sqlite::ResetOnExit reset(version);
  TALLY_TRY(const bool found, version.step());
  TALLY_ASSERT(found);
  if (version.column_text(0) != str_cat(kBreaksFormatVersion)) {
    return fail(Errc::unsupported, str_cat("breaks store: format version '", version.column_text(0),
                                           "', this build reads ", kBreaksFormatVersion));
  }
  version.reset();
  return db_txn.commit();
}

Result<BreakView> BreakStore::get(std::int64_t break_id) {
  TALLY_TRY(auto query, database_->prepare(str_cat(kSelectBreaks, " WHERE b.break_id = ?1")));
  TALLY_TRY_VOID(query.bind(1, break_id));
  TALLY_TRY(auto views, read_views(query, std::nullopt));
  if (views.empty())
    return fail(Errc::not_found, str_cat("break ", break_id, " does not exist"));
  return std::move(views.front());
}

Result<std::vector<BreakView>> BreakStore::list(const BreakFilter& filter) {
  const std::string where = filter.status ? " WHERE b.status = ?1" : "";
  TALLY_TRY(auto query, database_->prepare(str_cat(kSelectBreaks, where, " ORDER BY b.break_id")));
  if (filter.status)
    TALLY_TRY_VOID(query.bind_text(1, status_name(*filter.status)));
  return read_views(query, filter.as_of);
}

Result<void> BreakStore::write_state(std::int64_t break_id,
                                     const BreakState& state,
                                     std::uint64_t seq) {
  TALLY_TRY(auto upsert,
            database_->prepare(
                "INSERT OR REPLACE INTO break_state (break_id, owner, proposal, proposer, "
                "approved_by, reopen_count, action_count, last_seq) VALUES (?1, ?2, ?3, ?4, ?5, "
                "?6, ?7, ?8)"));
  TALLY_TRY_VOID(upsert.bind(1, break_id));
  TALLY_TRY_VOID(upsert.bind_text(2, state.owner));
  if (state.proposal) {
    TALLY_TRY_VOID(upsert.bind_text(3, encode_payload(Action::propose(*state.proposal))));
    TALLY_TRY_VOID(upsert.bind_text(4, state.proposal->proposer));
  } else {
    TALLY_TRY_VOID(upsert.bind_null(3));
    TALLY_TRY_VOID(upsert.bind_text(4, ""));
  }
  TALLY_TRY_VOID(upsert.bind_text(5, state.approved_by));
  TALLY_TRY_VOID(upsert.bind(6, static_cast<std::int64_t>(state.reopen_count)));
  TALLY_TRY_VOID(upsert.bind(7, static_cast<std::int64_t>(state.action_count)));
  TALLY_TRY_VOID(upsert.bind(8, static_cast<std::int64_t>(seq)));
  TALLY_TRY_VOID(upsert.run());

  TALLY_TRY(auto status, database_->prepare("UPDATE breaks SET status = ?2 WHERE break_id = ?1"));
  TALLY_TRY_VOID(status.bind(1, break_id));
  TALLY_TRY_VOID(status.bind_text(2, status_name(state.status)));
  return status.run();
}

Result<BreakState> BreakStore::act(std::int64_t break_id, const Action& action, const User& actor) {
  TALLY_TRY(auto db_txn, sqlite::Transaction::begin(*database_));
  TALLY_TRY(const BreakView view, get(break_id));
  auto next = apply_action(view.state, action, actor);
  if (!next)
    return fail(Errc::invalid_argument, str_cat("break ", break_id, ": ", next.error().message));
  TALLY_TRY(
      const AuditEntry entry,
      audit_log_.append(*clock_, actor.name, std::string(role_name(actor.role)),
                        std::string(action_name(action.kind)), break_id, encode_payload(action)));
  TALLY_TRY_VOID(write_state(break_id, *next, entry.seq));
  TALLY_TRY_VOID(db_txn.commit());
  return std::move(*next);
}

Result<ReplayVerdict> BreakStore::check_replay() {
  ReplayVerdict verdict;
  const auto bad = [&verdict](std::int64_t break_id, std::string reason) {
    verdict.first_bad_break = break_id;
    verdict.reason = std::move(reason);
    return verdict;
  };
  std::map<std::int64_t, BreakState> replayed;
  TALLY_TRY(const auto entries, audit_log_.entries());
  for (const AuditEntry& entry : entries) {
    const auto context = str_cat("entry ", entry.seq, ": ");
    const auto role = role_from_name(entry.role);
    const auto kind = action_from_name(entry.action);
    if (!role || !kind)
      return bad(entry.break_id, str_cat(context, "unknown role or action"));
    auto action = decode_payload(*kind, entry.payload);
    if (!action)
      return bad(entry.break_id, str_cat(context, action.error().message));
    auto next = apply_action(replayed[entry.break_id], *action, User{entry.user, *role});
    if (!next)
      return bad(entry.break_id, str_cat(context, "refused on replay: ", next.error().message));
    replayed[entry.break_id] = std::move(*next);
    ++verdict.entries;
  }
  TALLY_TRY(const auto views, list());
  for (const BreakView& view : views) {
    const auto found = replayed.find(view.break_id);
    const BreakState expected = found == replayed.end() ? BreakState{} : found->second;
    if (view.state != expected) {
      return bad(view.break_id,
                 str_cat("the stored state (", status_name(view.state.status), ", ",
                         view.state.action_count, " actions) is not the replay of its entries (",
                         status_name(expected.status), ", ", expected.action_count, " actions)"));
    }
    if (found != replayed.end())
      replayed.erase(found);
  }
  if (!replayed.empty())
    return bad(replayed.begin()->first, "audit entries name a break that does not exist");
  return verdict;
}

}  // namespace tally::reconcile
