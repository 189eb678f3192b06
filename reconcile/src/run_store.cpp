#include <cstdio>

#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/packed_groups.hpp>
#include <tally/reconcile/run_store.hpp>
#include <tally/schemas/schemas.hpp>

namespace tally::reconcile {
namespace {

using adapters::Date;

std::string date_text(const Date& date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

std::optional<Date> parse_date(std::string_view text) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  const std::string copy(text);
  if (text.size() != 10 || std::sscanf(copy.c_str(), "%4d-%2u-%2u", &year, &month, &day) != 3)
    return std::nullopt;
  const Date date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  return date.ok() ? std::optional<Date>(date) : std::nullopt;
}

Result<void> bind_date(sqlite::Statement& statement, int index, const std::optional<Date>& date) {
  return date ? statement.bind_text(index, date_text(*date)) : statement.bind_null(index);
}

std::string sources_text(const std::vector<SourceId>& sources) {
  std::string out;
  for (const SourceId& source : sources)
    out += str_cat(out.empty() ? "" : " ", side_name(source.side), ":", source.id.hex(false));
  return out;
}

Hash256 hash_of(BytesView bytes) {
  Hash256 hash;
  if (bytes.size() == Hash256::size())
    std::copy(bytes.begin(), bytes.end(), hash.data());
  return hash;
}

}  // namespace

Result<void> prepare_run_schema(sqlite::Database& database) {
  TALLY_TRY(auto db_txn, sqlite::Transaction::begin(database));
  auto version =
      database.prepare("SELECT value FROM records_meta WHERE key = 'reconcile_format_version'");
  if (!version)
    return fail(Errc::invalid_argument, "runs: the database is not a records store");
  TALLY_TRY(const bool found, version->step());
  const std::string stored = found ? std::string(version->column_text(0)) : std::string();
  version->reset();
  if (found && stored != str_cat(kReconcileFormatVersion)) {
    return fail(Errc::unsupported, str_cat("runs: format version '", stored, "', this build reads ",
                                           kReconcileFormatVersion));
  }
  if (!found) {
    const auto ddl = schemas::find("sql/reconcile.sql");
    TALLY_ASSERT(ddl.has_value());
    TALLY_TRY_VOID(database.execute(*ddl));
    TALLY_TRY(auto stamp, database.prepare("INSERT INTO records_meta (key, value) VALUES "
                                           "('reconcile_format_version', ?1)"));
    TALLY_TRY_VOID(stamp.bind_text(1, str_cat(kReconcileFormatVersion)));
    TALLY_TRY_VOID(stamp.run());
  }
  return db_txn.commit();
}

namespace {

// Breaks a multi-row insert takes: a statement per row was most of storing a break.
constexpr std::size_t kBreaksPerInsert = 32;
constexpr int kBreakColumns = 8;

std::string break_insert_sql(std::size_t rows) {
  std::string sql =
      "INSERT INTO breaks (run_id, class, business_date, currency, amount_minor, key, detail, "
      "members) VALUES ";
  for (std::size_t row = 0; row < rows; ++row)
    sql += row == 0 ? "(?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?)";
  return sql;
}

}  // namespace

struct RunWriter::Statements {
  sqlite::Statement group;
  sqlite::Statement result_break;
  sqlite::Statement many_breaks;  // kBreaksPerInsert rows
  std::vector<SourceId> sources;
  Bytes members;  // a break's, packed
};

RunWriter::RunWriter(sqlite::Database& database,
                     const Clock& clock,
                     sqlite::Transaction db_txn,
                     std::unique_ptr<Statements> statements)
    : database_(&database),
      clock_(&clock),
      db_txn_(std::move(db_txn)),
      statements_(std::move(statements)) {}
RunWriter::RunWriter(RunWriter&&) noexcept = default;
RunWriter::~RunWriter() = default;

Result<RunWriter> RunWriter::begin(sqlite::Database& database, const Clock& clock) {
  TALLY_TRY_VOID(prepare_run_schema(database));
  TALLY_TRY(auto db_txn, sqlite::Transaction::begin(database));
  TALLY_TRY(auto group, database.prepare("INSERT INTO match_groups (run_id, first_group_no, "
                                         "group_count, groups) VALUES (?1, ?2, ?3, ?4)"));
  TALLY_TRY(auto result_break, database.prepare(break_insert_sql(1)));
  TALLY_TRY(auto many_breaks, database.prepare(break_insert_sql(kBreaksPerInsert)));
  auto statements = std::make_unique<Statements>(
      Statements{std::move(group), std::move(result_break), std::move(many_breaks), {}, {}});
  RunWriter writer(database, clock, std::move(db_txn), std::move(statements));
  writer.started_at_ = to_rfc3339_ms(clock.now());
  // The run's row first, so groups and breaks can refer to it; commit() fills it in.
  TALLY_TRY(auto insert,
            database.prepare("INSERT INTO runs (rules_name, rules_digest, sources, started_at, "
                             "finished_at, left_count, right_count, ledger_count, group_count, "
                             "break_count, result_digest) VALUES ('', zeroblob(32), '', ?1, '', 0, "
                             "0, 0, 0, 0, zeroblob(32))"));
  TALLY_TRY_VOID(insert.bind_text(1, writer.started_at_));
  TALLY_TRY_VOID(insert.run());
  writer.run_id_ = database.last_insert_rowid();
  return writer;
}

Result<void> RunWriter::on_sources(const std::vector<SourceId>& sources) {
  statements_->sources = sources;
  TALLY_TRY(auto insert, database_->prepare("INSERT INTO run_sources (run_id, source, side, "
                                            "source_id) VALUES (?1, ?2, ?3, ?4)"));
  for (std::size_t i = 0; i < sources.size(); ++i) {
    sqlite::ResetOnExit reset(insert);
    TALLY_TRY_VOID(insert.bind(1, run_id_));
    TALLY_TRY_VOID(insert.bind(2, static_cast<std::int64_t>(i)));
    TALLY_TRY_VOID(insert.bind(3, static_cast<std::int64_t>(sources[i].side)));
    TALLY_TRY_VOID(insert.bind(4, sources[i].id.view()));
    TALLY_TRY_VOID(insert.run());
  }
  return {};
}

Result<void> RunWriter::on_group(const MatchGroup& group) {
  for (const MemberRef& member : group.members)
    TALLY_ASSERT(member.source < statements_->sources.size());
  packer_.add(group);
  if (packer_.size() == kGroupsPerChunk)
    return flush_chunk();
  return {};
}

Result<void> RunWriter::flush_chunk() {
  if (packer_.size() == 0)
    return {};
  const auto count = static_cast<std::int64_t>(packer_.size());
  packer_.finish(chunk_);
  return insert_groups(chunk_, count);
}

Result<void> RunWriter::on_packed_groups(BytesView packed, std::size_t count) {
  TALLY_ASSERT(count >= 1 && count <= kGroupsPerChunk);
  TALLY_ASSERT(!packed.empty() && packed[0] == kPackedGroupsVersion);
  TALLY_TRY_VOID(flush_chunk());
  return insert_groups(packed, static_cast<std::int64_t>(count));
}

Result<void> RunWriter::insert_groups(BytesView packed, std::int64_t count) {
  sqlite::Statement& s = statements_->group;
  sqlite::ResetOnExit reset(s);
  TALLY_TRY_VOID(s.bind(1, run_id_));
  TALLY_TRY_VOID(s.bind(2, chunk_first_));
  TALLY_TRY_VOID(s.bind(3, count));
  TALLY_TRY_VOID(s.bind(4, packed));
  TALLY_TRY_VOID(s.run());
  chunk_first_ += count;
  return {};
}

Result<void> RunWriter::bind_break(sqlite::Statement& s, int first, const Break& result_break) {
  for (const MemberRef& member : result_break.members)
    TALLY_ASSERT(member.source < statements_->sources.size());
  pack_members(result_break.members, statements_->members);  // bound as a copy: reused
  TALLY_TRY_VOID(s.bind(first, run_id_));
  TALLY_TRY_VOID(s.bind_text(first + 1, break_class_name(result_break.break_class)));
  TALLY_TRY_VOID(bind_date(s, first + 2, result_break.business_date));
  TALLY_TRY_VOID(s.bind_text(first + 3, result_break.currency));
  TALLY_TRY_VOID(s.bind(first + 4, result_break.amount_minor));
  TALLY_TRY_VOID(s.bind_text(first + 5, result_break.key));
  TALLY_TRY_VOID(s.bind_text(first + 6, result_break.detail));
  return s.bind(first + 7, BytesView(statements_->members));
}

Result<void> RunWriter::on_break(const Break& result_break) {
  sqlite::Statement& s = statements_->result_break;
  sqlite::ResetOnExit reset(s);
  TALLY_TRY_VOID(bind_break(s, 1, result_break));
  return s.run();
}

Result<void> RunWriter::on_breaks(std::span<const Break> breaks) {
  for (; breaks.size() >= kBreaksPerInsert; breaks = breaks.subspan(kBreaksPerInsert)) {
    sqlite::Statement& s = statements_->many_breaks;
    sqlite::ResetOnExit reset(s);
    for (std::size_t row = 0; row < kBreaksPerInsert; ++row)
      TALLY_TRY_VOID(bind_break(s, static_cast<int>(row) * kBreakColumns + 1, breaks[row]));
    TALLY_TRY_VOID(s.run());
  }
  for (const Break& result_break : breaks)
    TALLY_TRY_VOID(on_break(result_break));
  return {};
}

Result<std::int64_t> RunWriter::commit(const RuleSet& rules,
                                       const MatchOptions& options,
                                       const MatchSummary& summary) {
  TALLY_TRY_VOID(flush_chunk());
  TALLY_TRY(auto update, database_->prepare(
                             "UPDATE runs SET rules_name = ?2, rules_digest = ?3, date_from = ?4, "
                             "date_to = ?5, sources = ?6, finished_at = ?7, left_count = ?8, "
                             "right_count = ?9, ledger_count = ?10, group_count = ?11, "
                             "break_count = ?12, result_digest = ?13 WHERE run_id = ?1"));
  TALLY_TRY_VOID(update.bind(1, run_id_));
  TALLY_TRY_VOID(update.bind_text(2, rules.name));
  TALLY_TRY_VOID(update.bind(3, rules.digest.view()));
  TALLY_TRY_VOID(bind_date(update, 4, options.from));
  TALLY_TRY_VOID(bind_date(update, 5, options.to));
  TALLY_TRY_VOID(update.bind_text(6, sources_text(summary.sources)));
  TALLY_TRY_VOID(update.bind_text(7, to_rfc3339_ms(clock_->now())));
  for (int side = 0; side < 3; ++side)
    TALLY_TRY_VOID(update.bind(8 + side, static_cast<std::int64_t>(summary.stats.records[side])));
  TALLY_TRY_VOID(update.bind(11, static_cast<std::int64_t>(summary.stats.groups)));
  TALLY_TRY_VOID(update.bind(12, static_cast<std::int64_t>(summary.stats.breaks)));
  TALLY_TRY_VOID(update.bind(13, summary.digest.view()));
  TALLY_TRY_VOID(update.run());
  TALLY_TRY_VOID(db_txn_.commit());
  return run_id_;
}

Result<std::optional<RunInfo>> read_run(sqlite::Database& database, std::int64_t run_id) {
  TALLY_TRY(auto query, database.prepare(
                            "SELECT rules_name, rules_digest, date_from, date_to, sources, "
                            "started_at, finished_at, left_count, right_count, ledger_count, "
                            "group_count, break_count, result_digest FROM runs WHERE run_id = ?1"));
  TALLY_TRY_VOID(query.bind(1, run_id));
  TALLY_TRY(const bool found, query.step());
  if (!found)
    return std::optional<RunInfo>{};
  RunInfo run;
  run.run_id = run_id;
  run.rules_name = query.column_text(0);
  run.rules_digest = hash_of(query.column_blob(1));
  if (!query.is_null(2))
    run.from = parse_date(query.column_text(2));
  if (!query.is_null(3))
    run.to = parse_date(query.column_text(3));
  run.sources = query.column_text(4);
  run.started_at = query.column_text(5);
  run.finished_at = query.column_text(6);
  for (int side = 0; side < 3; ++side)
    run.records[side] = static_cast<std::uint64_t>(query.column_int64(7 + side));
  run.groups = static_cast<std::uint64_t>(query.column_int64(10));
  run.breaks = static_cast<std::uint64_t>(query.column_int64(11));
  run.result_digest = hash_of(query.column_blob(12));
  return std::optional<RunInfo>{std::move(run)};
}

Result<std::vector<StoredBreak>> read_breaks(sqlite::Database& database, std::int64_t run_id) {
  TALLY_TRY(const auto sources, read_run_sources(database, run_id));
  TALLY_TRY(auto query,
            database.prepare("SELECT break_id, class, business_date, currency, amount_minor, key, "
                             "detail, status, members FROM breaks WHERE run_id = ?1 ORDER BY "
                             "break_id"));
  TALLY_TRY_VOID(query.bind(1, run_id));
  std::vector<StoredBreak> out;
  for (;;) {
    TALLY_TRY(const bool row, query.step());
    if (!row)
      break;
    StoredBreak b;
    b.break_id = query.column_int64(0);
    TALLY_TRY(b.break_class, parse_break_class(query.column_text(1)));
    if (!query.is_null(2))
      b.business_date = parse_date(query.column_text(2));
    b.currency = query.column_text(3);
    b.amount_minor = query.column_int64(4);
    b.key = query.column_text(5);
    b.detail = query.column_text(6);
    b.status = query.column_text(7);
    const auto place = [&] { return str_cat("run ", run_id, " break ", b.break_id, ": "); };
    auto members = unpack_members(query.column_blob(8));
    if (!members)
      return fail(Errc::corrupted, str_cat(place(), members.error().message));
    for (const MemberRef& member : *members) {
      if (member.source >= sources.size())
        return fail(Errc::corrupted,
                    str_cat(place(), "source ", member.source, " of ", sources.size()));
      b.members.push_back({member.side, sources[member.source].id, member.seq});
    }
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<SourceId>> read_run_sources(sqlite::Database& database, std::int64_t run_id) {
  TALLY_TRY(auto query, database.prepare("SELECT source, side, source_id FROM run_sources WHERE "
                                         "run_id = ?1 ORDER BY source"));
  TALLY_TRY_VOID(query.bind(1, run_id));
  std::vector<SourceId> sources;
  for (;;) {
    TALLY_TRY(const bool row, query.step());
    if (!row)
      return sources;
    const std::int64_t side = query.column_int64(1);
    if (query.column_int64(0) != static_cast<std::int64_t>(sources.size()) || side < 1 ||
        side > 3 || query.column_blob(2).size() != Hash256::size()) {
      return fail(Errc::corrupted,
                  str_cat("run ", run_id, ": run_sources row ", sources.size(), " is malformed"));
    }
    sources.push_back({static_cast<Side>(side), hash_of(query.column_blob(2))});
  }
}

Result<void> visit_groups(sqlite::Database& database,
                          std::int64_t run_id,
                          const GroupVisitor& visit) {
  TALLY_TRY(const auto sources, read_run_sources(database, run_id));
  TALLY_TRY(auto query, database.prepare("SELECT first_group_no, group_count, groups FROM "
                                         "match_groups WHERE run_id = ?1 ORDER BY first_group_no"));
  TALLY_TRY_VOID(query.bind(1, run_id));
  std::int64_t next = 0;  // the group number the next row must start at
  for (;;) {
    TALLY_TRY(const bool row, query.step());
    if (!row)
      return {};
    const std::int64_t first = query.column_int64(0);
    const auto place = [&] { return str_cat("run ", run_id, ", groups from ", first, ": "); };
    if (first != next)
      return fail(Errc::corrupted, str_cat(place(), "expected groups from ", next));
    auto groups = unpack_groups(query.column_blob(2));
    if (!groups)
      return fail(Errc::corrupted, str_cat(place(), groups.error().message));
    if (static_cast<std::int64_t>(groups->size()) != query.column_int64(1)) {
      return fail(Errc::corrupted, str_cat(place(), "holds ", groups->size(), " groups, says ",
                                           query.column_int64(1)));
    }
    for (const MatchGroup& group : *groups) {
      for (const MemberRef& member : group.members) {
        if (member.source >= sources.size()) {
          return fail(Errc::corrupted,
                      str_cat(place(), "source ", member.source, " is not the run's"));
        }
      }
      TALLY_TRY_VOID(visit(group));
    }
    next += static_cast<std::int64_t>(groups->size());
  }
}

}  // namespace tally::reconcile
