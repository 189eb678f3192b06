#include <optional>
#include <string_view>

#include <tally/adapters/bai2.hpp>
#include <tally/adapters/bai2_tokenizer.hpp>
#include <tally/adapters/bai2_type_codes.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

constexpr std::size_t kMaxAmountDigits = 18;  // fits std::int64_t

bool all_digits(std::string_view text) noexcept {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

int number(std::string_view digits) noexcept {
  int value = 0;
  for (const char c : digits)
    value = value * 10 + (c - '0');
  return value;
}

// What is open while reading: BAI2 nests accounts in groups in a file.
enum class Scope { before_file, file, group, account, after_file };

struct Totals {
  std::int64_t amount = 0;
  std::uint64_t records = 0;
  std::uint64_t children = 0;  // groups of a file, accounts of a group
  bool overflow = false;

  void add(std::int64_t value) noexcept {
    overflow |= __builtin_add_overflow(amount, value, &amount);
  }
};

class Bai2Parser {
 public:
  Bai2Parser(const ParseOptions& options, const RecordSink& sink, ParseReport& report)
      : options_(options), sink_(sink), report_(report) {}

  // False when the sink refused a record: the parse stops.
  bool handle(const Bai2LogicalRecord& record);
  void finish(std::uint64_t last_line);

 private:
  void file_header(const Bai2LogicalRecord& record);
  void group_header(const Bai2LogicalRecord& record);
  void account_header(const Bai2LogicalRecord& record);
  bool detail(const Bai2LogicalRecord& record, std::uint64_t errors_before);
  void account_trailer(const Bai2LogicalRecord& record);
  void group_trailer(const Bai2LogicalRecord& record);
  void file_trailer(const Bai2LogicalRecord& record);
  void check_order(const Bai2LogicalRecord& record);

  void error(const Bai2LogicalRecord& record, std::string reason);
  void error(const Bai2Field& field, std::string reason);
  const Bai2Field* field(const Bai2LogicalRecord& record,
                         std::size_t index,
                         std::string_view name,
                         bool required);
  std::optional<std::int64_t> amount(const Bai2Field& field, bool signed_allowed);
  std::optional<Date> date(const Bai2Field& field);
  void time(const Bai2Field& field);
  std::optional<std::uint16_t> type_code(const Bai2Field& field);
  std::size_t funds(const Bai2LogicalRecord& record, std::size_t at, std::optional<Date>& value);
  std::optional<Currency> currency(const Bai2Field* field, Currency fallback);
  void check_total(const Bai2LogicalRecord& record,
                   std::string_view what,
                   const Totals& totals,
                   bool with_children);

  const ParseOptions& options_;
  const RecordSink& sink_;
  ParseReport& report_;
  Scope scope_ = Scope::before_file;
  Totals file_;
  Totals group_;
  Totals account_;
  Currency group_currency_ = *Currency::from_code("USD");
  Currency account_currency_ = group_currency_;
  std::optional<Date> as_of_date_;
  std::string account_number_;
};

void Bai2Parser::error(const Bai2LogicalRecord& record, std::string reason) {
  report_.add_error({SourcePosition{options_.file_id, record.line, "", record.byte_offset},
                     record.column, std::move(reason)});
}

void Bai2Parser::error(const Bai2Field& field, std::string reason) {
  report_.add_error({SourcePosition{options_.file_id, field.line, "", field.byte_offset},
                     field.column, std::move(reason)});
}

const Bai2Field* Bai2Parser::field(const Bai2LogicalRecord& record,
                                   std::size_t index,
                                   std::string_view name,
                                   bool required) {
  if (index < record.fields.size() && !record.fields[index].text.empty())
    return &record.fields[index];
  if (required)
    error(record, str_cat(name, " is missing"));
  return nullptr;
}

std::optional<std::int64_t> Bai2Parser::amount(const Bai2Field& field, bool signed_allowed) {
  std::string_view text = field.text;
  const bool negative = !text.empty() && text.front() == '-';
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    if (!signed_allowed) {
      error(field, str_cat("amount '", field.text, "' may not carry a sign here"));
      return std::nullopt;
    }
    text.remove_prefix(1);
  }
  if (!all_digits(text) || text.size() > kMaxAmountDigits) {
    error(field, str_cat("amount '", field.text, "' is not up to ", kMaxAmountDigits, " digits"));
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (const char c : text)
    value = value * 10 + (c - '0');
  return negative ? -value : value;
}

std::optional<Date> Bai2Parser::date(const Bai2Field& field) {
  if (field.text.size() != 6 || !all_digits(field.text)) {
    error(field, str_cat("date '", field.text, "' is not YYMMDD"));
    return std::nullopt;
  }
  const int yy = number(field.text.substr(0, 2));
  const Date result{std::chrono::year(yy < 70 ? 2000 + yy : 1900 + yy),
                    std::chrono::month(static_cast<unsigned>(number(field.text.substr(2, 2)))),
                    std::chrono::day(static_cast<unsigned>(number(field.text.substr(4, 2))))};
  if (!result.ok()) {
    error(field, str_cat("date '", field.text, "' does not exist"));
    return std::nullopt;
  }
  return result;
}

void Bai2Parser::time(const Bai2Field& field) {
  // 2400 is the end of the day; some processors write 9999 for it, which the spec accepts.
  const bool ok = field.text.size() == 4 && all_digits(field.text) &&
                  ((number(field.text.substr(0, 2)) < 24 && number(field.text.substr(2)) < 60) ||
                   field.text == "2400" || field.text == "9999");
  if (!ok)
    error(field, str_cat("time '", field.text, "' is not HHMM"));
}

std::optional<std::uint16_t> Bai2Parser::type_code(const Bai2Field& field) {
  if (field.text.size() != 3 || !all_digits(field.text) || field.text == "000") {
    error(field, str_cat("type code '", field.text, "' is not three digits 001-999"));
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(number(field.text));
}

std::optional<Currency> Bai2Parser::currency(const Bai2Field* field, Currency fallback) {
  if (field == nullptr)
    return fallback;
  auto found = Currency::from_code(field->text);
  if (!found) {
    error(*field, str_cat("currency '", field->text, "' is not an ISO 4217 code"));
    return std::nullopt;
  }
  return *found;
}

// Reads the funds type at `at` and its fields; the index after them.
std::size_t Bai2Parser::funds(const Bai2LogicalRecord& record,
                              std::size_t at,
                              std::optional<Date>& value) {
  const auto& fields = record.fields;
  if (at >= fields.size())
    return at;
  const Bai2Field& type = fields[at];
  auto need = [&](std::size_t count) {
    if (at + count >= fields.size()) {
      error(type, str_cat("funds type ", type.text, " needs ", count, " more fields"));
      return false;
    }
    return true;
  };
  if (type.text.empty() || type.text == "0" || type.text == "1" || type.text == "2" ||
      type.text == "Z")
    return at + 1;
  if (type.text == "V") {
    if (need(1)) {
      value = date(fields[at + 1]);
      if (at + 2 < fields.size() && !fields[at + 2].text.empty())
        time(fields[at + 2]);
    }
    return at + 3;
  }
  if (type.text == "S") {
    for (std::size_t i = 1; i <= 3 && at + i < fields.size(); ++i)
      if (!fields[at + i].text.empty())
        amount(fields[at + i], true);
    need(3);
    return at + 4;
  }
  if (type.text == "D") {
    if (!need(1) || !all_digits(fields[at + 1].text) || fields[at + 1].text.size() > 4) {
      error(type, "funds type D needs a number of distributions");
      return fields.size();
    }
    const auto count = static_cast<std::size_t>(number(fields[at + 1].text));
    if (!need(1 + 2 * count))
      return fields.size();
    for (std::size_t i = 0; i < count; ++i) {
      const Bai2Field& days = fields[at + 2 + 2 * i];
      if (!all_digits(days.text))
        error(days, str_cat("availability days '", days.text, "' are not digits"));
      amount(fields[at + 3 + 2 * i], true);
    }
    return at + 2 + 2 * count;
  }
  error(type, str_cat("funds type '", type.text, "' is not 0, 1, 2, V, S, D or Z"));
  return at + 1;
}

void Bai2Parser::check_order(const Bai2LogicalRecord& record) {
  const auto expect = [&](bool ok, std::string_view what) {
    if (!ok)
      error(record, str_cat("record ", record.code < 10 ? "0" : "", record.code, " ", what));
  };
  switch (record.code) {
    case 1:
      expect(scope_ == Scope::before_file, "(file header) must be the first record");
      break;
    case 2:
      expect(scope_ == Scope::file, "(group header) must follow 01 or 98");
      break;
    case 3:
      expect(scope_ == Scope::group, "(account) must follow 02 or 49");
      break;
    case 16:
      expect(scope_ == Scope::account, "(detail) must be inside an account (03..49)");
      break;
    case 49:
      expect(scope_ == Scope::account, "(account trailer) must close an account");
      break;
    case 98:
      expect(scope_ == Scope::group, "(group trailer) must close a group after its accounts");
      break;
    case 99:
      expect(scope_ == Scope::file, "(file trailer) must close the file after its groups");
      break;
    default:
      break;
  }
}

bool Bai2Parser::handle(const Bai2LogicalRecord& record) {
  if (record.refused)
    return true;
  if (scope_ == Scope::after_file) {
    error(record, "record after the file trailer (99)");
    return true;
  }
  const std::uint64_t errors_before = report_.error_count();
  check_order(record);
  file_.records += record.record_count;
  group_.records += record.record_count;
  account_.records += record.record_count;
  switch (record.code) {
    case 1:
      file_header(record);
      break;
    case 2:
      group_header(record);
      break;
    case 3:
      account_header(record);
      break;
    case 16:
      return detail(record, errors_before);
    case 49:
      account_trailer(record);
      break;
    case 98:
      group_trailer(record);
      break;
    case 99:
      file_trailer(record);
      break;
    default:
      break;
  }
  return true;
}

void Bai2Parser::file_header(const Bai2LogicalRecord& record) {
  scope_ = Scope::file;
  field(record, 0, "sender identification", true);
  field(record, 1, "receiver identification", true);
  if (const auto* created = field(record, 2, "file creation date", true))
    date(*created);
  if (const auto* created = field(record, 3, "file creation time", true))
    time(*created);
  field(record, 4, "file identification number", true);
  for (std::size_t i : {5u, 6u}) {
    if (const auto* size = field(record, i, "", false); size && !all_digits(size->text))
      error(*size, str_cat(i == 5 ? "physical record length" : "block size", " '", size->text,
                           "' is not a number"));
  }
  if (const auto* version = field(record, 7, "version number", true);
      version && version->text != "2")
    error(*version, str_cat("version '", version->text, "' is not 2 (BAI2)"));
}

void Bai2Parser::group_header(const Bai2LogicalRecord& record) {
  scope_ = Scope::group;
  group_ = Totals{};
  group_.records = record.record_count;
  ++file_.children;
  field(record, 1, "originator identification", true);
  if (const auto* status = field(record, 2, "group status", true);
      status && (status->text.size() != 1 || status->text[0] < '1' || status->text[0] > '4'))
    error(*status, str_cat("group status '", status->text, "' is not 1-4"));
  as_of_date_.reset();
  if (const auto* as_of = field(record, 3, "as-of date", true))
    as_of_date_ = date(*as_of);
  if (const auto* as_of = field(record, 4, "", false))
    time(*as_of);
  group_currency_ = currency(field(record, 5, "", false), *Currency::from_code("USD"))
                        .value_or(*Currency::from_code("USD"));
  if (const auto* modifier = field(record, 6, "", false);
      modifier &&
      (modifier->text.size() != 1 || modifier->text[0] < '1' || modifier->text[0] > '4'))
    error(*modifier, str_cat("as-of date modifier '", modifier->text, "' is not 1-4"));
}

void Bai2Parser::account_header(const Bai2LogicalRecord& record) {
  scope_ = Scope::account;
  account_ = Totals{};
  account_.records = record.record_count;
  ++group_.children;
  const auto* number_field = field(record, 0, "customer account number", true);
  account_number_ = number_field ? number_field->text : std::string();
  account_currency_ =
      currency(field(record, 1, "", false), group_currency_).value_or(group_currency_);
  // Summaries: type code, amount, item count, funds type and its fields, repeated.
  std::size_t at = 2;
  while (at < record.fields.size()) {
    const Bai2Field& type = record.fields[at];
    const Bai2Field* value = at + 1 < record.fields.size() ? &record.fields[at + 1] : nullptr;
    if (!type.text.empty())
      type_code(type);
    else if (value && !value->text.empty())
      error(*value, "summary amount without a type code");
    if (value && !value->text.empty()) {
      if (const auto parsed = amount(*value, true))
        account_.add(*parsed);
    }
    if (at + 2 < record.fields.size() && !record.fields[at + 2].text.empty() &&
        !all_digits(record.fields[at + 2].text))
      error(record.fields[at + 2],
            str_cat("item count '", record.fields[at + 2].text, "' is not a number"));
    std::optional<Date> ignored;
    at = funds(record, at + 3, ignored);
  }
}

// Hands the record on only when it, and its place in the file, are sound.
bool Bai2Parser::detail(const Bai2LogicalRecord& record, std::uint64_t errors_before) {
  std::optional<Direction> direction;
  if (const auto* type = field(record, 0, "type code", true)) {
    if (const auto code = type_code(*type)) {
      direction = bai2_detail_direction(*code);
      if (!direction)
        error(*type, str_cat("type code ", type->text,
                             " is not a credit or debit detail code (101-399, 401-699, 920-999)"));
    }
  }
  std::optional<std::int64_t> value;
  if (const auto* amount_field = field(record, 1, "amount", true)) {
    value = amount(*amount_field, false);
    if (value)
      account_.add(*value);
  }
  std::optional<Date> value_date;
  const std::size_t references = funds(record, 2, value_date);
  if (!direction || !value || report_.error_count() != errors_before)
    return true;  // the file is refused; nothing to hand on

  Record out(Amount(*value, account_currency_), *direction);
  out.institution = options_.institution;
  out.account = account_number_;
  out.business_date = as_of_date_;
  out.value_date = value_date;
  out.kind = bai2_detail_kind(static_cast<std::uint16_t>(number(record.fields[0].text)));
  if (references < record.fields.size())
    out.reference = record.fields[references].text;
  if (references + 1 < record.fields.size())
    out.end_to_end_id = record.fields[references + 1].text;
  if (record.text)
    out.text = record.text->text;
  out.source = SourcePosition{options_.file_id, record.line, "", record.byte_offset};
  out.raw = record.raw;
  report_.count_record();
  if (auto sunk = sink_(std::move(out)); !sunk) {
    error(record, str_cat("the record sink refused the record: ", to_string(sunk.error())));
    return false;
  }
  return true;
}

void Bai2Parser::check_total(const Bai2LogicalRecord& record,
                             std::string_view what,
                             const Totals& totals,
                             bool with_children) {
  if (totals.overflow)
    error(record, str_cat(what, " control total overflows 64 bits"));
  if (const auto* total = field(record, 0, "control total", true)) {
    if (const auto stated = amount(*total, true);
        stated && *stated != totals.amount && !totals.overflow)
      error(*total, str_cat(what, " control total ", *stated, " is not the sum of its amounts, ",
                            totals.amount));
  }
  std::size_t count_at = 1;
  if (with_children) {
    const char* children = what == "group" ? "accounts" : "groups";
    if (const auto* stated = field(record, 1, str_cat("number of ", children), true)) {
      if (!all_digits(stated->text) || stated->text.size() > 9 ||
          static_cast<std::uint64_t>(number(stated->text)) != totals.children)
        error(*stated,
              str_cat(what, " states ", stated->text, " ", children, ", it has ", totals.children));
    }
    count_at = 2;
  }
  if (const auto* stated = field(record, count_at, "number of records", true)) {
    if (!all_digits(stated->text) || stated->text.size() > 9 ||
        static_cast<std::uint64_t>(number(stated->text)) != totals.records)
      error(*stated, str_cat(what, " states ", stated->text, " records, it has ", totals.records));
  }
}

void Bai2Parser::account_trailer(const Bai2LogicalRecord& record) {
  check_total(record, "account", account_, false);
  group_.add(account_.amount);
  group_.overflow |= account_.overflow;
  scope_ = Scope::group;
}

void Bai2Parser::group_trailer(const Bai2LogicalRecord& record) {
  check_total(record, "group", group_, true);
  file_.add(group_.amount);
  file_.overflow |= group_.overflow;
  scope_ = Scope::file;
}

void Bai2Parser::file_trailer(const Bai2LogicalRecord& record) {
  check_total(record, "file", file_, true);
  scope_ = Scope::after_file;
}

void Bai2Parser::finish(std::uint64_t last_line) {
  if (scope_ == Scope::after_file)
    return;
  report_.add_error({SourcePosition{options_.file_id, last_line, "", 0}, 0,
                     scope_ == Scope::before_file ? "no BAI2 file header (01)"
                                                  : "the file ends without its trailer (99)"});
}

}  // namespace

ParseReport parse_bai2(ByteSource& source, const ParseOptions& options, const RecordSink& sink) {
  ParseReport report;
  Bai2Tokenizer tokenizer(source, report, options.file_id);
  Bai2Parser parser(options, sink, report);
  Bai2LogicalRecord record;
  std::uint64_t last_line = 0;
  for (;;) {
    auto more = tokenizer.next(record);
    if (!more) {
      report.add_error({SourcePosition{options.file_id, tokenizer.line_number() + 1, "", 0}, 0,
                        to_string(more.error())});
      return report;
    }
    if (!*more)
      break;
    last_line = record.line;
    if (!parser.handle(record))
      return report;
  }
  parser.finish(last_line);
  return report;
}

}  // namespace tally::adapters
