#include <algorithm>
#include <array>
#include <cstdio>
#include <tuple>

#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/duplicate_key.hpp>
#include <tally/reconcile/record_store.hpp>
#include <tally/schemas/schemas.hpp>

namespace tally::reconcile {
namespace {

using adapters::Date;
using adapters::Record;

constexpr std::string_view kInsertRecord =
    "INSERT INTO records (file_hash, seq, institution, counterparty, account, business_date,"
    " value_date, booking_date, kind, reference, loan_id, end_to_end_id, currency, amount_minor,"
    " direction, principal, interest, penalty_interest, fee, text, line, element_path,"
    " byte_offset, raw, term, funding_ratio_bp) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)";

// The columns read_record reads, in its order.
constexpr std::string_view kSelectRecordColumns =
    "SELECT institution, counterparty, account, business_date, value_date, booking_date, kind,"
    " reference, loan_id, end_to_end_id, currency, amount_minor, direction, principal, interest,"
    " penalty_interest, fee, text, line, element_path, byte_offset, raw, term, funding_ratio_bp,"
    " seq FROM records";

// Format 2 kept each record's duplicate key in an indexed column; 3 finds duplicates in memory.
constexpr std::string_view kMigrateFrom2 =
    "DROP INDEX IF EXISTS records_by_duplicate_key;"
    " ALTER TABLE records DROP COLUMN duplicate_key;"
    " UPDATE records_meta SET value = '3' WHERE key = 'format_version';";

// YYYY-MM-DD of a year from 0 to 9999, without snprintf: once per date per record.
std::array<char, 10> format_date(const Date& date) {
  const auto year = static_cast<unsigned>(static_cast<int>(date.year()));
  const auto month = static_cast<unsigned>(date.month());
  const auto day = static_cast<unsigned>(date.day());
  const auto digit = [](unsigned value) { return static_cast<char>('0' + value % 10); };
  return {digit(year / 1000),
          digit(year / 100),
          digit(year / 10),
          digit(year),
          '-',
          digit(month / 10),
          digit(month),
          '-',
          digit(day / 10),
          digit(day)};
}

// YYYY-MM-DD as format_date writes it.
Result<Date> parse_date(std::string_view text) {
  const auto digits = [&text](std::size_t at, std::size_t count) -> std::optional<unsigned> {
    unsigned value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9')
        return std::nullopt;
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return value;
  };
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    const auto year = digits(0, 4);
    const auto month = digits(5, 2);
    const auto day = digits(8, 2);
    if (year && month && day) {
      const Date date{std::chrono::year{static_cast<int>(*year)}, std::chrono::month{*month},
                      std::chrono::day{*day}};
      if (date.ok())
        return date;
    }
  }
  return fail(Errc::corrupted, str_cat("records store: bad date '", text, "'"));
}

Result<void> bind_date(sqlite::Statement& statement, int index, const std::optional<Date>& date) {
  if (!date)
    return statement.bind_null(index);
  if (date->year() < std::chrono::year{0} || date->year() > std::chrono::year{9999})
    return fail(Errc::out_of_range, str_cat("records store: the year of a date is not 0 to 9999"));
  const auto text = format_date(*date);
  return statement.bind_text(index, std::string_view(text.data(), text.size()));
}

Result<void> bind_amount(sqlite::Statement& statement,
                         int index,
                         const std::optional<Amount>& amount) {
  return amount ? statement.bind(index, amount->minor_units()) : statement.bind_null(index);
}

Result<std::optional<Date>> column_date(const sqlite::Statement& row, int column) {
  if (row.is_null(column))
    return std::optional<Date>{};
  TALLY_TRY(auto date, parse_date(row.column_text(column)));
  return std::optional<Date>{date};
}

std::optional<Amount> column_amount(const sqlite::Statement& row, int column, Currency currency) {
  if (row.is_null(column))
    return std::nullopt;
  return Amount{row.column_int64(column), currency};
}

// Sets every field of `record` from the row, so one record can be read into again and again.
Result<void> read_record_into(const sqlite::Statement& row,
                              const std::string& file_name,
                              Record& record) {
  TALLY_TRY(const auto currency, Currency::from_code(row.column_text(10)));
  const auto kind = static_cast<adapters::RecordKind>(row.column_int64(6));
  const auto direction = static_cast<adapters::Direction>(row.column_int64(12));
  if (adapters::record_kind_name(kind).empty() || adapters::direction_name(direction).empty())
    return fail(Errc::corrupted, "records store: unknown kind or direction");
  record.amount = Amount{row.column_int64(11), currency};
  record.direction = direction;
  record.institution = row.column_text(0);
  record.counterparty = row.column_text(1);
  record.account = row.column_text(2);
  TALLY_TRY(record.business_date, column_date(row, 3));
  TALLY_TRY(record.value_date, column_date(row, 4));
  TALLY_TRY(record.booking_date, column_date(row, 5));
  record.kind = kind;
  record.reference = row.column_text(7);
  record.loan_id = row.column_text(8);
  record.end_to_end_id = row.column_text(9);
  record.components.principal = column_amount(row, 13, currency);
  record.components.interest = column_amount(row, 14, currency);
  record.components.penalty_interest = column_amount(row, 15, currency);
  record.components.fee = column_amount(row, 16, currency);
  record.text = row.column_text(17);
  record.source.file_id = file_name;
  record.source.line = static_cast<std::uint64_t>(row.column_int64(18));
  record.source.element_path = row.column_text(19);
  record.source.byte_offset = static_cast<std::uint64_t>(row.column_int64(20));
  const BytesView raw = row.column_blob(21);
  record.raw.assign(raw.begin(), raw.end());
  record.term.reset();
  if (!row.is_null(22))
    record.term = static_cast<std::uint32_t>(row.column_int64(22));
  record.funding_ratio_bp.reset();
  if (!row.is_null(23))
    record.funding_ratio_bp = static_cast<std::uint32_t>(row.column_int64(23));
  return {};
}

Result<Record> read_record(const sqlite::Statement& row, const std::string& file_name) {
  TALLY_TRY(const auto currency, Currency::from_code(row.column_text(10)));
  Record record(Amount::zero(currency), adapters::Direction::credit);
  TALLY_TRY_VOID(read_record_into(row, file_name, record));
  return record;
}

}  // namespace

void FileStaging::add_to_totals(const Record& record) {
  const std::string_view currency = record.amount.currency().code();
  auto it = std::find_if(totals_.begin(), totals_.end(), [&](const Total& seen) {
    return seen.total.kind == record.kind && seen.total.direction == record.direction &&
           seen.total.currency == currency;
  });
  if (it == totals_.end()) {
    totals_.push_back({KindTotal{record.kind, record.direction, std::string(currency), 0, 0}});
    it = totals_.end() - 1;
  }
  ++it->total.count;
  it->overflowed |= __builtin_add_overflow(it->total.total_minor, record.amount.minor_units(),
                                           &it->total.total_minor);
}

Result<RecordStore> RecordStore::open(const std::filesystem::path& path) {
  TALLY_TRY(auto database, sqlite::Database::open(path, {.cache_kib = 65'536}));
  RecordStore store(std::move(database));
  TALLY_TRY_VOID(in_context(store.prepare_schema(), path.string()));
  return store;
}

Result<void> RecordStore::prepare_schema() {
  TALLY_TRY(auto db_txn, sqlite::Transaction::begin(database_));
  TALLY_TRY(auto tables, database_.prepare("SELECT count(*) FROM sqlite_schema WHERE type = "
                                           "'table'"));
  TALLY_TRY(const bool has_row, tables.step());
  TALLY_ASSERT(has_row);
  const bool empty = tables.column_int64(0) == 0;
  tables.reset();
  if (empty) {
    const auto ddl = schemas::find("sql/records.sql");
    TALLY_ASSERT(ddl.has_value());
    TALLY_TRY_VOID(database_.execute(*ddl));
    TALLY_TRY(auto stamp, database_.prepare("INSERT INTO records_meta (key, value) VALUES "
                                            "('format_version', ?1)"));
    TALLY_TRY_VOID(stamp.bind_text(1, str_cat(kRecordsFormatVersion)));
    TALLY_TRY_VOID(stamp.run());
    return db_txn.commit();
  }
  auto version = database_.prepare("SELECT value FROM records_meta WHERE key = 'format_version'");
  if (!version)
    return fail(Errc::invalid_argument, "records store: the file is a database of something else");
  sqlite::ResetOnExit reset(*version);
  TALLY_TRY(const bool found, version->step());
  if (found && version->column_text(0) == "2") {
    version->reset();
    TALLY_TRY_VOID(database_.execute(kMigrateFrom2));
    return db_txn.commit();
  }
  if (!found || version->column_text(0) != str_cat(kRecordsFormatVersion)) {
    return fail(Errc::unsupported,
                str_cat("records store: format version '", found ? version->column_text(0) : "none",
                        "', this build reads ", kRecordsFormatVersion));
  }
  return {};
}

Result<std::optional<SourceFile>> RecordStore::find_file(const Hash256& file_hash) {
  TALLY_TRY(auto query,
            database_.prepare("SELECT name, profile, institution, byte_size, record_count, "
                              "ingested_at FROM source_files WHERE file_hash = ?1"));
  TALLY_TRY_VOID(query.bind(1, file_hash.view()));
  TALLY_TRY(const bool found, query.step());
  if (!found)
    return std::optional<SourceFile>{};
  SourceFile file;
  file.file_hash = file_hash;
  file.name = query.column_text(0);
  file.profile = query.column_text(1);
  file.institution = query.column_text(2);
  file.byte_size = static_cast<std::uint64_t>(query.column_int64(3));
  file.record_count = static_cast<std::uint64_t>(query.column_int64(4));
  file.ingested_at = query.column_text(5);
  return std::optional<SourceFile>{std::move(file)};
}

Result<std::vector<Record>> RecordStore::records_of(const Hash256& file_hash) {
  std::vector<Record> records;
  TALLY_TRY_VOID(visit_records(file_hash, [&records](std::uint64_t, const Record& record) {
    records.push_back(record);
    return Result<void>{};
  }));
  return records;
}

Result<void> RecordStore::visit_records(const Hash256& file_hash, const RecordVisitor& visit) {
  TALLY_TRY(const auto file, find_file(file_hash));
  if (!file)
    return fail(Errc::not_found, str_cat("records store: no file ", file_hash.hex(false)));
  TALLY_TRY(auto query,
            database_.prepare(str_cat(kSelectRecordColumns, " WHERE file_hash = ?1 ORDER BY seq")));
  TALLY_TRY_VOID(query.bind(1, file_hash.view()));
  std::optional<Record> record;  // the first row's, read into again for every later row
  for (;;) {
    TALLY_TRY(const bool row, query.step());
    if (!row)
      break;
    if (record) {
      TALLY_TRY_VOID(read_record_into(query, file->name, *record));
    } else {
      TALLY_TRY(auto first, read_record(query, file->name));
      record.emplace(std::move(first));
    }
    TALLY_TRY_VOID(visit(static_cast<std::uint64_t>(query.column_int64(24)), *record));
  }
  return {};
}

Result<FileStaging> FileStaging::begin(RecordStore& store, SourceFile file) {
  sqlite::Database& database = store.database();
  TALLY_TRY(auto db_txn, sqlite::Transaction::begin(database));
  TALLY_TRY(auto insert_file,
            database.prepare("INSERT INTO source_files (file_hash, name, profile, institution, "
                             "byte_size, record_count, ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                             "0, ?6)"));
  TALLY_TRY_VOID(insert_file.bind(1, file.file_hash.view()));
  TALLY_TRY_VOID(insert_file.bind_text(2, file.name));
  TALLY_TRY_VOID(insert_file.bind_text(3, file.profile));
  TALLY_TRY_VOID(insert_file.bind_text(4, file.institution));
  TALLY_TRY_VOID(insert_file.bind(5, static_cast<std::int64_t>(file.byte_size)));
  TALLY_TRY_VOID(insert_file.bind_text(6, file.ingested_at));
  TALLY_TRY_VOID(insert_file.run());
  TALLY_TRY(auto insert, database.prepare(kInsertRecord));
  return FileStaging(store, std::move(file), std::move(db_txn), std::move(insert));
}

Result<void> FileStaging::add(const Record& record) {
  return add(record, duplicate_key(record));
}

Result<void> FileStaging::add(const Record& record, const std::optional<Hash256>& key) {
  sqlite::ResetOnExit reset(insert_);
  sqlite::Statement& s = insert_;
  TALLY_TRY_VOID(s.bind(1, file_.file_hash.view()));
  TALLY_TRY_VOID(s.bind(2, static_cast<std::int64_t>(next_seq_)));
  TALLY_TRY_VOID(s.bind_text(3, record.institution));
  TALLY_TRY_VOID(s.bind_text(4, record.counterparty));
  TALLY_TRY_VOID(s.bind_text(5, record.account));
  TALLY_TRY_VOID(bind_date(s, 6, record.business_date));
  TALLY_TRY_VOID(bind_date(s, 7, record.value_date));
  TALLY_TRY_VOID(bind_date(s, 8, record.booking_date));
  TALLY_TRY_VOID(s.bind(9, static_cast<std::int64_t>(record.kind)));
  TALLY_TRY_VOID(s.bind_text(10, record.reference));
  TALLY_TRY_VOID(s.bind_text(11, record.loan_id));
  TALLY_TRY_VOID(s.bind_text(12, record.end_to_end_id));
  TALLY_TRY_VOID(s.bind_text(13, record.amount.currency().code()));
  TALLY_TRY_VOID(s.bind(14, record.amount.minor_units()));
  TALLY_TRY_VOID(s.bind(15, static_cast<std::int64_t>(record.direction)));
  TALLY_TRY_VOID(bind_amount(s, 16, record.components.principal));
  TALLY_TRY_VOID(bind_amount(s, 17, record.components.interest));
  TALLY_TRY_VOID(bind_amount(s, 18, record.components.penalty_interest));
  TALLY_TRY_VOID(bind_amount(s, 19, record.components.fee));
  TALLY_TRY_VOID(s.bind_text(20, record.text));
  TALLY_TRY_VOID(s.bind(21, static_cast<std::int64_t>(record.source.line)));
  TALLY_TRY_VOID(s.bind_text(22, record.source.element_path));
  TALLY_TRY_VOID(s.bind(23, static_cast<std::int64_t>(record.source.byte_offset)));
  TALLY_TRY_VOID(s.bind(24, record.raw));
  TALLY_TRY_VOID(record.term ? s.bind(25, std::int64_t{*record.term}) : s.bind_null(25));
  TALLY_TRY_VOID(record.funding_ratio_bp ? s.bind(26, std::int64_t{*record.funding_ratio_bp})
                                         : s.bind_null(26));
  TALLY_TRY_VOID(s.run());
  if (key)
    keys_.push_back(duplicate_mark(*key, next_seq_));
  add_to_totals(record);
  ++next_seq_;
  return {};
}

Result<Record> FileStaging::staged_record(sqlite::Statement& query, std::uint64_t seq) {
  sqlite::ResetOnExit reset(query);
  TALLY_TRY_VOID(query.bind(1, file_.file_hash.view()));
  TALLY_TRY_VOID(query.bind(2, static_cast<std::int64_t>(seq)));
  TALLY_TRY(const bool found, query.step());
  if (!found)
    return fail(Errc::corrupted, str_cat("records store: staged record ", seq, " is missing"));
  return read_record(query, file_.name);
}

Result<std::vector<adapters::LocatedError>> FileStaging::duplicates(std::size_t limit) {
  TALLY_TRY(auto query, store_->database().prepare(
                            str_cat(kSelectRecordColumns, " WHERE file_hash = ?1 AND seq = ?2")));
  TALLY_TRY(const auto pairs,
            duplicate_pairs(keys_, limit, [&](std::uint64_t seq) -> Result<Hash256> {
              TALLY_TRY(const auto record, staged_record(query, seq));
              const auto key = duplicate_key(record);
              TALLY_ASSERT(key.has_value());
              return *key;
            }));
  std::vector<adapters::LocatedError> found;
  for (const auto& [later_seq, first_seq] : pairs) {
    TALLY_TRY(const auto later, staged_record(query, later_seq));
    TALLY_TRY(const auto first, staged_record(query, first_seq));
    adapters::LocatedError error;
    error.where = later.source;
    error.reason = first.source.element_path.empty()
                       ? str_cat("duplicate of the record at line ", first.source.line)
                       : str_cat("duplicate of the record at ", first.source.element_path);
    found.push_back(std::move(error));
  }
  return found;
}

Result<std::vector<KindTotal>> FileStaging::totals() const {
  std::vector<KindTotal> totals;
  for (const auto& [total, overflowed] : totals_) {
    if (overflowed) {
      return fail(Errc::limit_exceeded,
                  str_cat("records store: the ", total.currency, " amounts of ", file_.name,
                          " sum past 2^63 minor units"));
    }
    totals.push_back(total);
  }
  std::sort(totals.begin(), totals.end(), [](const KindTotal& a, const KindTotal& b) {
    return std::tie(a.kind, a.direction, a.currency) < std::tie(b.kind, b.direction, b.currency);
  });
  return totals;
}

Result<void> FileStaging::commit() {
  TALLY_TRY(auto count, store_->database().prepare(
                            "UPDATE source_files SET record_count = ?2 WHERE file_hash = ?1"));
  TALLY_TRY_VOID(count.bind(1, file_.file_hash.view()));
  TALLY_TRY_VOID(count.bind(2, static_cast<std::int64_t>(next_seq_)));
  TALLY_TRY_VOID(count.run());
  return db_txn_.commit();
}

}  // namespace tally::reconcile
