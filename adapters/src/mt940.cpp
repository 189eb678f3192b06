#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tally/adapters/line_reader.hpp>
#include <tally/adapters/mt940.hpp>
#include <tally/adapters/mt940_fields.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

std::string_view as_text(BytesView bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// ":20:", ":28C:", ":NS:": the tag's length (with both colons), or 0.
std::size_t tag_length(std::string_view line) noexcept {
  if (line.size() < 4 || line[0] != ':')
    return 0;
  if (line.starts_with(":NS:"))
    return 4;
  if (!is_digit(line[1]) || !is_digit(line[2]))
    return 0;
  if (line[3] == ':')
    return 4;
  if (line.size() >= 5 && line[3] >= 'A' && line[3] <= 'Z' && line[4] == ':')
    return 5;
  return 0;
}

// "-", "-XXX", "-}", "-}{5:...}" and "-" followed by an ETX byte end a message.
bool is_terminator(std::string_view line) noexcept {
  return line.starts_with('-') && (line.size() <= 4 || line.starts_with("-}"));
}

// Offset of the first byte that is not valid UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + length > text.size())
      return i;
    std::uint32_t code = c & (0x7Fu >> length);
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80)
        return i;
      code = (code << 6) | (next & 0x3Fu);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
      return i;
    i += length;
  }
  return std::string_view::npos;
}

struct FieldLine {
  std::uint64_t number;
  std::uint64_t byte_offset;
  std::size_t text_offset;  // where this line's bytes start in Field::text
  std::size_t column_base;  // columns before the text on this line (the tag on the first)
};

// A tag and its continuation lines.
struct Field {
  std::string tag;  // "61", "28C"
  std::string text;
  std::vector<FieldLine> lines;
  Bytes raw;
  bool too_long = false;
};

struct Entry {
  Mt940StatementLine line;
  std::uint64_t line_number;
  std::uint64_t byte_offset;
  Bytes raw;
  std::string details;
  bool has_details = false;
};

struct Message {
  std::uint64_t line = 0;  // of its first tag
  std::uint64_t byte_offset = 0;
  std::string account;
  bool has_reference = false, has_account = false, has_number = false, is_942 = false;
  int phase = 0;  // 0 header, 1 opened, 2 statement lines, 3 closed
  std::optional<Currency> currency;
  std::optional<Amount> opening;
  std::optional<Amount> closing;
  std::uint64_t closing_line = 0;
  std::optional<Amount> movements;  // signed sum; nullopt once a statement line failed
  std::uint32_t debit_count = 0, credit_count = 0;
  std::optional<Amount> debit_sum, credit_sum;
  bool lines_failed = false;
  bool has_64 = false;
  bool has_opening_tag = false, has_closing_tag = false;
  std::uint64_t closing_offset = 0;
  std::optional<Entry> pending;
};

RecordKind kind_of(const Mt940StatementLine& line) noexcept {
  if (line.mark == Mt940Mark::reversal_of_credit || line.mark == Mt940Mark::reversal_of_debit)
    return RecordKind::reversal;
  const std::string_view code = std::string_view(line.type_code).substr(1);
  if (code == "TRF")
    return RecordKind::transfer;
  if (code == "CHG" || code == "COM" || code == "BRF")
    return RecordKind::fee;
  return RecordKind::other;
}

class Mt940Parser {
 public:
  Mt940Parser(const ParseOptions& options, const RecordSink& sink, ParseReport& report)
      : options_(options), sink_(sink), report_(report) {}

  // False when the sink refused a record: the parse stops.
  bool on_line(const Line& line);
  bool finish();

 private:
  void error(std::uint64_t line,
             std::uint64_t byte_offset,
             std::size_t column,
             std::string reason) {
    report_.add_error(LocatedError{SourcePosition{options_.file_id, line, {}, byte_offset},
                                   static_cast<std::uint32_t>(column), std::move(reason)});
  }
  void field_error(const Field& field, std::size_t text_offset, std::string reason);
  void field_error(const Field& field, const Mt940FieldError& e) {
    field_error(field, e.offset, e.reason);
  }

  void start_field(std::string_view line, std::size_t tag_len, const Line& at);
  void continue_field(std::string_view line, const Line& at);
  bool flush_field();
  bool process(const Field& field);
  void start_message(const Field& field);
  bool end_message();
  bool emit_pending();
  void check_currency(const Field& field, Currency currency, std::size_t text_offset);
  void on_balance(const Field& field);
  void on_statement_line(const Field& field);
  void on_details(const Field& field);
  void on_entry_sum(const Field& field, Direction direction);
  void add_movement(const Mt940StatementLine& line);

  const ParseOptions& options_;
  const RecordSink& sink_;
  ParseReport& report_;
  std::optional<Field> field_;
  std::optional<Message> message_;
  std::uint64_t messages_ = 0;
  std::uint64_t last_line_ = 0;
};

void Mt940Parser::field_error(const Field& field, std::size_t text_offset, std::string reason) {
  TALLY_ASSERT(!field.lines.empty());
  const FieldLine* at = &field.lines.front();
  for (const FieldLine& line : field.lines) {
    if (line.text_offset <= text_offset)
      at = &line;
  }
  error(at->number, at->byte_offset, at->column_base + (text_offset - at->text_offset) + 1,
        str_cat(":", field.tag, ": ", reason));
}

bool Mt940Parser::on_line(const Line& line) {
  last_line_ = line.number;
  std::string_view text = as_text(line.bytes);
  if (text.empty())
    return true;
  if (text.size() >= 3 && text[0] == '{' && is_digit(text[1]) && text[2] == ':') {
    // SWIFT blocks: the text block {4: opens the message body, the rest is envelope.
    const std::size_t body = text.find("{4:");
    if (body == std::string_view::npos)
      return true;
    text.remove_prefix(body + 3);
    if (text.empty())
      return true;
  }
  if (message_ || field_) {
    const std::size_t bad = invalid_utf8_at(text);
    if (bad != std::string_view::npos)
      error(line.number, line.byte_offset, bad + 1, "text is not valid UTF-8");
  }
  if (const std::size_t tag_len = tag_length(text); tag_len > 0) {
    if (!flush_field())
      return false;
    start_field(text, tag_len, line);
    return true;
  }
  if (is_terminator(text)) {
    if (!flush_field())
      return false;
    return !message_ || end_message();
  }
  if (field_) {
    continue_field(text, line);
  }
  // Otherwise a line outside any message: a bank's envelope, skipped.
  return true;
}

void Mt940Parser::start_field(std::string_view line, std::size_t tag_len, const Line& at) {
  field_.emplace();
  field_->tag = std::string(line.substr(1, tag_len - 2));
  field_->text = std::string(line.substr(tag_len));
  field_->lines.push_back(FieldLine{at.number, at.byte_offset, 0, tag_len});
  field_->raw = to_bytes(line);
}

void Mt940Parser::continue_field(std::string_view line, const Line& at) {
  if (field_->too_long)
    return;
  if (field_->text.size() + line.size() + 1 > kMt940MaxFieldBytes) {
    field_->too_long = true;
    error(at.number, at.byte_offset, 1,
          str_cat(":", field_->tag, ": field longer than ", kMt940MaxFieldBytes, " bytes"));
    return;
  }
  field_->text += '\n';
  field_->lines.push_back(FieldLine{at.number, at.byte_offset, field_->text.size(), 0});
  field_->text += line;
  field_->raw.push_back('\n');
  const BytesView bytes = as_bytes(line);
  field_->raw.insert(field_->raw.end(), bytes.begin(), bytes.end());
}

bool Mt940Parser::flush_field() {
  if (!field_)
    return true;
  Field field = std::move(*field_);
  field_.reset();
  return process(field);
}

void Mt940Parser::start_message(const Field& field) {
  message_.emplace();
  message_->line = field.lines.front().number;
  message_->byte_offset = field.lines.front().byte_offset;
  ++messages_;
}

bool Mt940Parser::process(const Field& field) {
  const std::string& tag = field.tag;
  if (tag == "20") {
    if (message_ && !end_message())
      return false;
    start_message(field);
    message_->has_reference = true;
    if (field.text.empty() || field.text.size() > kMt940MaxReferenceChars ||
        field.text.find('\n') != std::string::npos)
      field_error(field, 0, "transaction reference is not 1 to 16 characters on one line");
    return true;
  }
  if (!message_) {
    field_error(field, 0, "tag before the message's :20: transaction reference");
    start_message(field);
  }
  Message& m = *message_;
  if (tag != "86" && m.pending && !emit_pending())
    return false;
  const bool multi_line_ok = tag == "86" || tag == "61" || tag == "NS";
  if (!multi_line_ok && field.lines.size() > 1)
    field_error(field, field.lines[1].text_offset, "unexpected continuation line");
  const bool in_header = m.phase == 0;
  if (tag == "21") {
    if (!in_header)
      field_error(field, 0, "related reference after the balances");
    if (field.text.empty() || field.text.size() > kMt940MaxReferenceChars)
      field_error(field, 0, "related reference is not 1 to 16 characters");
  } else if (tag == "25") {
    if (!in_header || m.has_account)
      field_error(field, 0, "account identification out of place or repeated");
    m.has_account = true;
    std::string_view first = std::string_view(field.text).substr(0, field.text.find('\n'));
    while (!first.empty() && first.back() == ' ')
      first.remove_suffix(1);  // banks pad fields with blanks
    if (first.empty() || first.size() > kMt940MaxAccountChars)
      field_error(field, 0, "account identification is not 1 to 35 characters");
    m.account = std::string(first);
  } else if (tag == "28C" || tag == "28") {
    if (!in_header || m.has_number)
      field_error(field, 0, "statement number out of place or repeated");
    m.has_number = true;
    if (auto number = parse_mt940_statement_number(field.text); !number)
      field_error(field, number.error());
  } else if (tag == "60F" || tag == "60M" || tag == "62F" || tag == "62M" || tag == "64" ||
             tag == "65") {
    on_balance(field);
  } else if (tag == "61") {
    on_statement_line(field);
  } else if (tag == "86") {
    on_details(field);
  } else if (tag == "13D") {
    m.is_942 = true;
    if (!in_header)
      field_error(field, 0, "date/time indication after the statement lines");
    if (auto when = parse_mt940_date_time(field.text); !when)
      field_error(field, when.error());
  } else if (tag == "34F") {
    m.is_942 = true;
    if (!in_header)
      field_error(field, 0, "floor limit after the statement lines");
    if (auto limit = parse_mt940_floor_limit(field.text); !limit) {
      field_error(field, limit.error());
    } else if (!m.currency) {
      m.currency = limit->amount.currency();
    } else {
      check_currency(field, limit->amount.currency(), 0);
    }
  } else if (tag == "90D" || tag == "90C") {
    on_entry_sum(field, tag == "90D" ? Direction::debit : Direction::credit);
  } else if (tag != "NS") {
    field_error(field, 0, "unknown tag");
  }
  return true;
}

void Mt940Parser::check_currency(const Field& field, Currency currency, std::size_t text_offset) {
  if (!message_->currency) {
    message_->currency = currency;
  } else if (*message_->currency != currency) {
    field_error(field, text_offset,
                str_cat("currency ", currency.code(), " differs from the statement's ",
                        message_->currency->code()));
  }
}

void Mt940Parser::on_balance(const Field& field) {
  Message& m = *message_;
  const std::string& tag = field.tag;
  const bool opening = tag.starts_with("60");
  const bool closing = tag.starts_with("62");
  if (opening && (m.phase != 0 || m.opening))
    field_error(field, 0, "opening balance out of place or repeated");
  if (closing && (m.phase == 0 || m.phase == 3 || m.closing))
    field_error(field, 0, "closing balance out of place or repeated");
  if (tag == "64" && (m.phase != 3 || m.has_64))
    field_error(field, 0, "closing available balance out of place or repeated");
  if (tag == "65" && m.phase != 3)
    field_error(field, 0, "forward available balance before the closing balance");
  if (opening) {
    m.phase = 1;
    m.has_opening_tag = true;
  }
  if (closing) {
    m.phase = 3;
    m.has_closing_tag = true;
  }
  if (tag == "64")
    m.has_64 = true;
  auto balance = parse_mt940_balance(field.text);
  if (!balance) {
    field_error(field, balance.error());
    if (opening)
      m.lines_failed = true;  // the balance check has nothing to start from
    return;
  }
  check_currency(field, balance->signed_amount.currency(), 7);
  if (opening) {
    m.opening = balance->signed_amount;
    m.movements = Amount::zero(balance->signed_amount.currency());
  }
  if (closing) {
    m.closing = balance->signed_amount;
    m.closing_line = field.lines.front().number;
    m.closing_offset = field.lines.front().byte_offset;
  }
}

void Mt940Parser::add_movement(const Mt940StatementLine& line) {
  Message& m = *message_;
  const bool debit = mt940_mark_direction(line.mark) == Direction::debit;
  auto& count = debit ? m.debit_count : m.credit_count;
  auto& sum = debit ? m.debit_sum : m.credit_sum;
  ++count;
  if (!sum)
    sum = Amount::zero(line.amount.currency());
  // 15-digit amounts cannot overflow 64 bits below ~10^3 lines, and a file that does is refused.
  auto total = sum->plus(line.amount);
  if (!total) {
    m.lines_failed = true;
    return;
  }
  sum = *total;
  if (m.movements) {
    auto moved = debit ? m.movements->minus(line.amount) : m.movements->plus(line.amount);
    if (moved)
      m.movements = *moved;
    else
      m.lines_failed = true;
  }
}

void Mt940Parser::on_statement_line(const Field& field) {
  Message& m = *message_;
  if (m.phase == 3)
    field_error(field, 0, "statement line after the closing balance");
  else if (m.phase == 0 && !m.is_942)
    field_error(field, 0, "statement line before the opening balance");
  if (m.phase != 3)
    m.phase = 2;
  if (!m.currency) {
    // When the opening balance failed to parse its error is reported already.
    if (!m.has_opening_tag)
      field_error(field, 0, "statement line without a balance or floor limit giving the currency");
    m.lines_failed = true;
    return;
  }
  auto parsed = parse_mt940_statement_line(field.text, *m.currency);
  if (!parsed) {
    field_error(field, parsed.error());
    m.lines_failed = true;
    return;
  }
  add_movement(*parsed);
  m.pending = Entry{std::move(*parsed),
                    field.lines.front().number,
                    field.lines.front().byte_offset,
                    field.raw,
                    {},
                    false};
}

void Mt940Parser::on_details(const Field& field) {
  Message& m = *message_;
  std::size_t content = 0;
  for (const char c : field.text)
    content += c != '\n' ? 1 : 0;
  if (content > kMt940MaxDetailsChars) {
    field_error(field, 0,
                str_cat("information to account owner has ", content, " characters, more than ",
                        kMt940MaxDetailsChars));
  }
  if (!m.pending)
    return;  // statement-level information: checked, not a movement's
  Entry& entry = *m.pending;
  if (entry.has_details)
    entry.details += '\n';
  entry.details += field.text;
  entry.has_details = true;
  entry.raw.push_back('\n');
  entry.raw.insert(entry.raw.end(), field.raw.begin(), field.raw.end());
}

void Mt940Parser::on_entry_sum(const Field& field, Direction direction) {
  Message& m = *message_;
  auto stated = parse_mt940_entry_sum(field.text);
  if (!stated) {
    field_error(field, stated.error());
    return;
  }
  check_currency(field, stated->sum.currency(), 0);
  if (m.lines_failed)
    return;  // the entries are not all known; their errors are reported
  const bool debit = direction == Direction::debit;
  const std::uint32_t count = debit ? m.debit_count : m.credit_count;
  const auto& sum = debit ? m.debit_sum : m.credit_sum;
  const Amount actual = sum.value_or(Amount::zero(stated->sum.currency()));
  if (stated->count != count || stated->sum != actual) {
    field_error(field, 0,
                str_cat("states ", stated->count, " ", debit ? "debit" : "credit",
                        " entries summing to ", stated->sum.to_string(), ", the message has ",
                        count, " summing to ", actual.to_string()));
  }
}

bool Mt940Parser::emit_pending() {
  Message& m = *message_;
  Entry entry = std::move(*m.pending);
  m.pending.reset();
  const Mt940StatementLine& line = entry.line;
  Record record(line.amount, mt940_mark_direction(line.mark));
  record.institution = options_.institution;
  record.account = m.account;
  record.value_date = line.value_date;
  record.booking_date = line.entry_date;
  record.kind = kind_of(line);
  const Mt940Details details = parse_mt940_details(entry.details);
  record.counterparty = details.counterparty;
  record.end_to_end_id = details.end_to_end_id;
  record.text = details.text;
  if (line.customer_reference != "NONREF")
    record.reference = line.customer_reference;
  else if (!line.bank_reference.empty())
    record.reference = line.bank_reference;
  else
    record.reference = details.customer_reference;
  record.source = SourcePosition{options_.file_id, entry.line_number, {}, entry.byte_offset};
  record.raw = std::move(entry.raw);
  TALLY_ASSERT(record.check().has_value());
  if (auto sunk = sink_(std::move(record)); !sunk) {
    error(entry.line_number, entry.byte_offset, 0,
          str_cat("record refused by its sink: ", sunk.error().message));
    return false;
  }
  report_.count_record();
  return true;
}

bool Mt940Parser::end_message() {
  Message& m = *message_;
  if (m.pending && !emit_pending())
    return false;
  auto missing = [&](std::string_view what) {
    error(m.line, m.byte_offset, 1, str_cat("message has no ", what));
  };
  if (!m.has_account)
    missing(":25: account identification");
  if (!m.has_number)
    missing(":28C: statement number");
  if (!m.is_942 || m.has_opening_tag || m.has_closing_tag) {
    if (!m.has_opening_tag)
      missing(":60F:/:60M: opening balance");
    if (!m.has_closing_tag)
      missing(":62F:/:62M: closing balance");
  }
  if (m.opening && m.closing && m.movements && !m.lines_failed &&
      m.opening->currency() == m.closing->currency()) {
    auto expected = m.opening->plus(*m.movements);
    if (expected && *expected != *m.closing) {
      error(m.closing_line, m.closing_offset, 1,
            str_cat("closing balance ", m.closing->to_string(), " is not the opening balance ",
                    m.opening->to_string(), " plus movements ", m.movements->to_string(), " = ",
                    expected->to_string()));
    }
  }
  message_.reset();
  return true;
}

bool Mt940Parser::finish() {
  if (!flush_field())
    return false;
  if (message_ && !end_message())
    return false;
  if (messages_ == 0)
    error(last_line_ == 0 ? 1 : last_line_, 0, 0, "no MT940/MT942 message (no :20: tag) found");
  return true;
}

}  // namespace

ParseReport parse_mt940(ByteSource& source, const ParseOptions& options, const RecordSink& sink) {
  ParseReport report;
  Mt940Parser parser(options, sink, report);
  LineReader reader(source, kMt940MaxLineBytes);
  while (true) {
    auto line = reader.next();
    if (!line) {
      report.add_error(
          LocatedError{SourcePosition{options.file_id, 0, {}, 0}, 0, line.error().message});
      return report;
    }
    if (!*line)
      break;
    if (!parser.on_line(**line))
      return report;
  }
  parser.finish();
  return report;
}

}  // namespace tally::adapters
