#include <limits>
#include <mutex>
#include <sqlite3.h>
#include <utility>

#include <tally/core/assert.hpp>
#include <tally/core/sqlite.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::sqlite {
namespace {

// Maps SQLite's result code (extended where it matters) to the project's coarse codes.
Errc errc_of(int code) {
  switch (code) {
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_UNIQUE:
      return Errc::already_exists;
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Errc::corrupted;
    case SQLITE_CONSTRAINT:  // foreign key, not null, check: the write itself is wrong
      return Errc::invalid_argument;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Errc::unavailable;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return Errc::io_error;
    default:
      return Errc::internal;
  }
}

Error sqlite_error(sqlite3* db, int code, std::string_view operation) {
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  return Error{errc_of(code), str_cat("sqlite: ", operation, ": ", message, " (code ", code, ")")};
}

int to_int_size(std::size_t size) {
  TALLY_ASSERT(size <= static_cast<std::size_t>(std::numeric_limits<int>::max()));
  return static_cast<int>(size);
}

// SQLite counts every allocation under a global mutex unless told not to; nothing here reads
// those counts, and on a large insert the lock and unlock cost about a tenth of the time. Only
// possible before SQLite initialises, which the first open does: every open goes through here.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

Result<Database> Database::open(const std::filesystem::path& path, const OpenOptions& options) {
  configure_sqlite_once();
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  }
  sqlite3* raw = nullptr;
  const int code = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database database(raw);  // closes the handle on every path out
  if (code != SQLITE_OK) {
    return std::unexpected(sqlite_error(raw, code, str_cat("open ", path.string())));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  const std::string_view synchronous = options.durability == Durability::full
                                           ? "PRAGMA synchronous=FULL;"
                                           : "PRAGMA synchronous=NORMAL;";
  if (!options.read_only) {
    // The pragma answers with the mode it got; anything but WAL loses the crash guarantees.
    auto mode = database.prepare("PRAGMA journal_mode=WAL");
    if (!mode)
      return std::unexpected(mode.error());
    auto row = mode->step();
    if (!row)
      return std::unexpected(row.error());
    if (!*row || mode->column_text(0) != "wal") {
      return fail(Errc::unsupported, str_cat("sqlite: ", path.string(), " cannot use WAL mode"));
    }
  }
  if (auto pragmas = database.execute(str_cat(
          synchronous, "PRAGMA foreign_keys=ON; PRAGMA cache_size=-", options.cache_kib, ";"));
      !pragmas) {
    return std::unexpected(pragmas.error());
  }
  return database;
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr)
      sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Database::~Database() {
  if (db_ != nullptr)
    sqlite3_close_v2(db_);
}

Result<void> Database::execute(std::string_view sql) {
  const std::string text(sql);  // sqlite3_exec wants a terminated string
  char* message = nullptr;
  const int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (code == SQLITE_OK)
    return {};
  std::string detail = message != nullptr ? message : sqlite3_errstr(code);
  sqlite3_free(message);
  Error error = sqlite_error(db_, code, "execute");
  error.message = str_cat("sqlite: execute: ", detail, " (code ", code, ")");
  return std::unexpected(std::move(error));
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int code = sqlite3_prepare_v3(db_, sql.data(), to_int_size(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (code != SQLITE_OK) {
    return std::unexpected(sqlite_error(db_, code, str_cat("prepare '", sql, "'")));
  }
  Statement statement(db_, stmt);
  if (tail != nullptr && tail != sql.data() + sql.size()) {
    const std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
    if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
      return fail(Errc::invalid_argument,
                  str_cat("sqlite: prepare takes one statement: '", sql, "'"));
    }
  }
  return statement;
}

std::int64_t Database::last_insert_rowid() const noexcept {
  return sqlite3_last_insert_rowid(db_);
}

std::int64_t Database::changes() const noexcept {
  return sqlite3_changes64(db_);
}

bool Database::in_transaction() const noexcept {
  return sqlite3_get_autocommit(db_) == 0;
}

Result<void> Database::check_integrity() {
  auto statement = prepare("PRAGMA integrity_check");
  if (!statement)
    return std::unexpected(statement.error());
  std::string findings;
  for (;;) {
    auto row = statement->step();
    if (!row)
      return fail(Errc::corrupted, str_cat("integrity check failed: ", row.error().message));
    if (!*row)
      break;
    const std::string_view line = statement->column_text(0);
    if (line == "ok")
      continue;
    if (!findings.empty())
      findings += "; ";
    findings += line;
  }
  if (findings.empty())
    return {};
  return fail(Errc::corrupted, str_cat("sqlite: integrity check: ", findings));
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr)
      sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_ != nullptr)
    sqlite3_finalize(stmt_);
}

Error Statement::error(std::string_view operation) const {
  return sqlite_error(db_, sqlite3_extended_errcode(db_),
                      str_cat(operation, " '", sqlite3_sql(stmt_), "'"));
}

Result<void> Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK)
    return std::unexpected(error("bind"));
  return {};
}

Result<void> Statement::bind(int index, BytesView blob) {
  // A zero-length blob must still be a blob, not NULL: SQLite wants a non-null pointer for that.
  static constexpr Byte kEmpty = 0;
  const void* data = blob.empty() ? &kEmpty : blob.data();
  if (sqlite3_bind_blob64(stmt_, index, data, blob.size(), SQLITE_TRANSIENT) != SQLITE_OK) {
    return std::unexpected(error("bind"));
  }
  return {};
}

Result<void> Statement::bind_text(int index, std::string_view text) {
  if (sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) !=
      SQLITE_OK) {
    return std::unexpected(error("bind"));
  }
  return {};
}

Result<void> Statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK)
    return std::unexpected(error("bind"));
  return {};
}

Result<bool> Statement::step() {
  const int code = sqlite3_step(stmt_);
  if (code == SQLITE_ROW)
    return true;
  if (code == SQLITE_DONE)
    return false;
  return std::unexpected(error("step"));
}

Result<void> Statement::run() {
  auto row = step();
  if (!row)
    return std::unexpected(row.error());
  if (*row)
    return fail(Errc::invalid_argument,
                str_cat("sqlite: run '", sqlite3_sql(stmt_), "' returned a row"));
  return {};
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const noexcept {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const noexcept {
  return sqlite3_column_int64(stmt_, column);
}

BytesView Statement::column_blob(int column) const noexcept {
  const auto* data = static_cast<const Byte*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0)
    return {};
  return {data, static_cast<std::size_t>(size)};
}

std::string_view Statement::column_text(int column) const noexcept {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0)
    return {};
  return {data, static_cast<std::size_t>(size)};
}

Result<Transaction> Transaction::begin(Database& database) {
  if (auto begun = database.execute("BEGIN IMMEDIATE;"); !begun) {
    return std::unexpected(begun.error());
  }
  return Transaction(database);
}

Transaction::Transaction(Transaction&& other) noexcept
    : database_(std::exchange(other.database_, nullptr)) {}

Transaction::~Transaction() {
  if (database_ == nullptr || !database_->in_transaction())
    return;
  // A connection stuck inside a half-written transaction would let later reads see part of it and
  // refuse every later BEGIN: that is no state to continue in.
  const bool rolled_back = database_->execute("ROLLBACK;").has_value();
  TALLY_ASSERT(rolled_back || !database_->in_transaction());
}

Result<void> Transaction::commit() {
  TALLY_ASSERT(database_ != nullptr);
  auto committed = database_->execute("COMMIT;");
  if (!committed)
    return committed;  // still open: the destructor rolls back
  database_ = nullptr;
  return {};
}

}  // namespace tally::sqlite
