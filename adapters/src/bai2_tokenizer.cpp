#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

#include <tally/adapters/bai2_tokenizer.hpp>
#include <tally/adapters/line_reader.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

constexpr std::size_t kPeekBytes = 4096;
constexpr std::array kRecordCodes = {1, 2, 3, 16, 49, 88, 98, 99};

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// The record code at `at` when it is two digits and a comma, else -1.
int code_at(std::string_view line, std::size_t at) noexcept {
  if (at + 2 >= line.size() || !is_digit(line[at]) || !is_digit(line[at + 1]) ||
      line[at + 2] != ',')
    return -1;
  return (line[at] - '0') * 10 + (line[at + 1] - '0');
}

bool is_record_code(int code) noexcept {
  return std::ranges::find(kRecordCodes, code) != kRecordCodes.end();
}

std::size_t skip_spaces(std::string_view line, std::size_t at) noexcept {
  while (at < line.size() && (line[at] == ' ' || line[at] == '\t'))
    ++at;
  return at;
}

// The "/" that ends a text starting at `from`, or npos: one followed by spaces and then the end
// of the physical record, or by at least one space and another record ("pay/49, inv" is text).
std::size_t text_end(std::string_view line, std::size_t from) noexcept {
  for (std::size_t slash = line.find('/', from); slash != std::string_view::npos;
       slash = line.find('/', slash + 1)) {
    const std::size_t next = skip_spaces(line, slash + 1);
    if (next == line.size() || (next > slash + 1 && is_record_code(code_at(line, next))))
      return slash;
  }
  return std::string_view::npos;
}

// Where the field starting at `from` ends: at a comma, or at a "/" that ends the record the way
// text_end says (references may hold "/" too), or npos at the end of the physical record.
std::size_t field_end(std::string_view line, std::size_t from) noexcept {
  const std::size_t comma = std::min(line.find(',', from), line.size());
  const std::string_view field = line.substr(0, comma);
  for (std::size_t slash = field.find('/', from); slash != std::string_view::npos;
       slash = field.find('/', slash + 1)) {
    const std::size_t next = skip_spaces(line, slash + 1);
    if (next == line.size() || (next > slash + 1 && is_record_code(code_at(line, next))))
      return slash;
  }
  return comma == line.size() ? std::string_view::npos : comma;
}

// The index among a 16's fields (after the code) where the text starts, or npos while the
// fields that decide it have not been read: type, amount, funds type and its fields, bank and
// customer references.
std::size_t text_index(const std::vector<Bai2Field>& fields) noexcept {
  if (fields.size() < 3)
    return std::string::npos;
  const std::string& funds = fields[2].text;
  std::size_t extra = 0;
  if (funds == "V") {
    extra = 2;
  } else if (funds == "S") {
    extra = 3;
  } else if (funds == "D") {
    if (fields.size() < 4)
      return std::string::npos;
    std::size_t count = 0;
    const std::string& text = fields[3].text;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
    // A bad count is reported by the parser; here it only must not swallow the record.
    if (ec != std::errc() || end != text.data() + text.size() || count > kMaxBai2RecordFields)
      count = 0;
    extra = 1 + 2 * count;
  }
  return 3 + extra + 2;
}

// Serves bytes already peeked, then the rest of the source.
class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(Bytes prefix, ByteSource& rest) : prefix_(std::move(prefix)), rest_(rest) {}
  Result<std::size_t> read(std::span<Byte> into) override {
    if (used_ < prefix_.size()) {
      const std::size_t count = std::min(into.size(), prefix_.size() - used_);
      std::copy_n(prefix_.begin() + static_cast<std::ptrdiff_t>(used_), count, into.begin());
      used_ += count;
      return count;
    }
    return rest_.read(into);
  }

 private:
  Bytes prefix_;
  std::size_t used_ = 0;
  ByteSource& rest_;
};

// The physical record length the file header states, or 0.
std::size_t stated_record_length(std::string_view head) {
  if (!head.starts_with("01,"))
    return 0;
  head = head.substr(0, std::min(head.find('/'), head.find('\n')));
  std::size_t field = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= head.size(); ++i) {
    if (i < head.size() && head[i] != ',')
      continue;
    if (field == 6) {
      std::size_t length = 0;
      const auto [end, ec] = std::from_chars(head.data() + start, head.data() + i, length);
      return ec == std::errc() && end == head.data() + i ? length : 0;
    }
    ++field;
    start = i + 1;
  }
  return 0;
}

}  // namespace

// Lines, or fixed-length slices when the file is sent without line ends.
class Bai2Tokenizer::PhysicalReader {
 public:
  static Result<std::unique_ptr<PhysicalReader>> open(ByteSource& source) {
    Bytes head(kPeekBytes);
    std::size_t filled = 0;
    while (filled < head.size()) {
      TALLY_TRY(const std::size_t count, source.read(std::span<Byte>(head).subspan(filled)));
      if (count == 0)
        break;
      filled += count;
    }
    head.resize(filled);
    const std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
    const std::size_t length = stated_record_length(text);
    const std::size_t first_line = std::min(text.find('\n'), text.size());
    const bool fixed = length > 0 && length <= kDefaultMaxLineBytes && first_line > length;
    return std::unique_ptr<PhysicalReader>(
        new PhysicalReader(std::move(head), source, fixed ? length : 0));
  }

  // The next physical record into `out`; false at the end.
  Result<bool> next(std::string& out, std::uint64_t& number, std::uint64_t& offset) {
    if (fixed_length_ == 0) {
      TALLY_TRY(const auto line, lines_.next());
      if (!line)
        return false;
      out.assign(reinterpret_cast<const char*>(line->bytes.data()), line->bytes.size());
      number = line->number;
      offset = line->byte_offset;
      return true;
    }
    out.resize(fixed_length_);
    std::size_t filled = 0;
    while (filled < fixed_length_) {
      TALLY_TRY(const std::size_t count,
                source_.read(std::span<Byte>(reinterpret_cast<Byte*>(out.data()) + filled,
                                             fixed_length_ - filled)));
      if (count == 0)
        break;
      filled += count;
    }
    out.resize(filled);
    if (filled == 0)
      return false;
    number = ++records_;
    offset = offset_;
    offset_ += filled;
    return true;
  }

 private:
  PhysicalReader(Bytes head, ByteSource& source, std::size_t fixed_length)
      : source_(std::move(head), source), lines_(source_), fixed_length_(fixed_length) {}

  PrefixedSource source_;
  LineReader lines_;
  std::size_t fixed_length_;  // 0: lines
  std::uint64_t records_ = 0;
  std::uint64_t offset_ = 0;
};

Bai2Tokenizer::Bai2Tokenizer(ByteSource& source, ParseReport& report, std::string file_id)
    : source_(source), report_(report), file_id_(std::move(file_id)) {}

Bai2Tokenizer::~Bai2Tokenizer() = default;

void Bai2Tokenizer::error(std::size_t at, std::string reason) {
  report_.add_error({SourcePosition{file_id_, line_number_, "", line_offset_ + at},
                     static_cast<std::uint32_t>(at + 1), std::move(reason)});
}

Result<bool> Bai2Tokenizer::read_physical() {
  if (!reader_) {
    TALLY_TRY(reader_, PhysicalReader::open(source_));
  }
  pos_ = 0;
  return reader_->next(line_, line_number_, line_offset_);
}

void Bai2Tokenizer::append_raw(Bai2LogicalRecord& record, std::size_t from, bool new_line) {
  if (record.refused)
    return;
  if (new_line && !record.raw.empty())
    record.raw.push_back('\n');
  record.raw.insert(record.raw.end(), line_.begin() + static_cast<std::ptrdiff_t>(from),
                    line_.begin() + static_cast<std::ptrdiff_t>(pos_));
  pending_raw_line_ = line_number_;
  if (record.raw.size() > kMaxBai2RecordBytes || record.fields.size() > kMaxBai2RecordFields) {
    error(from, str_cat("record of line ", record.line, " with its continuations is longer than ",
                        kMaxBai2RecordBytes, " bytes or ", kMaxBai2RecordFields, " fields"));
    record.refused = true;
    record.raw.clear();
    record.fields.clear();
    record.text.reset();
  }
}

void Bai2Tokenizer::add_field(Bai2LogicalRecord& record, std::size_t from, std::size_t to) {
  if (record.refused)
    return;
  record.fields.push_back({line_.substr(from, to - from), line_number_,
                           static_cast<std::uint32_t>(from + 1), line_offset_ + from});
}

void Bai2Tokenizer::scan_text(Bai2LogicalRecord& record) {
  const std::size_t slash = text_end(line_, pos_);
  const std::size_t end = slash == std::string::npos ? line_.size() : slash;
  std::string_view piece = std::string_view(line_).substr(pos_, end - pos_);
  while (!piece.empty() && piece.back() == ' ')
    piece.remove_suffix(1);
  if (!record.refused) {
    if (!record.text) {
      record.text = Bai2Field{std::string(piece), line_number_,
                              static_cast<std::uint32_t>(pos_ + 1), line_offset_ + pos_};
    } else if (!piece.empty()) {
      if (!record.text->text.empty() && piece.front() != ' ')
        record.text->text += ' ';
      record.text->text += piece;
    }
  }
  text_open_ = slash == std::string::npos;
  pos_ = text_open_ ? line_.size() : slash + 1;
}

void Bai2Tokenizer::scan_fields(Bai2LogicalRecord& record) {
  for (;;) {
    if (record.code == 16 && record.fields.size() == text_index(record.fields)) {
      scan_text(record);
      return;
    }
    const std::size_t stop = field_end(line_, pos_);
    const std::size_t end = stop == std::string::npos ? line_.size() : stop;
    add_field(record, pos_, end);
    pos_ = end + 1;
    if (stop == std::string::npos || line_[stop] == '/') {
      pos_ = std::min(pos_, line_.size());
      return;
    }
  }
}

bool Bai2Tokenizer::wrap_text() {
  const std::size_t first = skip_spaces(line_, 0);
  if (!text_open_ || code_at(line_, first) >= 0 || text_end(line_, 0) == std::string::npos)
    return false;
  const std::size_t from = pos_;
  scan_text(pending_);
  append_raw(pending_, from, true);
  return true;
}

void Bai2Tokenizer::start_record(int code, std::size_t code_at_column) {
  pending_.code = code;
  pending_.fields.clear();
  pending_.text.reset();
  pending_.line = line_number_;
  pending_.column = static_cast<std::uint32_t>(code_at_column + 1);
  pending_.byte_offset = line_offset_ + code_at_column;
  pending_.record_count = 1;
  pending_.refused = false;
  pending_.raw.clear();
  have_pending_ = true;
}

Result<bool> Bai2Tokenizer::next(Bai2LogicalRecord& out) {
  for (;;) {
    if (pos_ >= line_.size() || !reader_) {
      const bool open_text = text_open_ && pos_ >= line_.size();
      TALLY_TRY(const bool more, read_physical());
      text_open_ = open_text;
      if (!more) {
        line_.clear();
        if (!have_pending_)
          return false;
        std::swap(out, pending_);
        have_pending_ = false;
        return true;
      }
      if (have_pending_ && wrap_text())
        continue;
    }
    text_open_ = false;
    pos_ = skip_spaces(line_, pos_);
    if (pos_ >= line_.size())
      continue;
    const std::size_t start = pos_;
    const int code = code_at(line_, pos_);
    if (!is_record_code(code)) {
      error(pos_, code < 0 ? "expected a record code: two digits and a comma"
                           : str_cat("unknown record code ", line_.substr(pos_, 2)));
      pos_ = line_.size();
      continue;
    }
    pos_ += 3;
    if (code == 88) {
      if (!have_pending_) {
        error(start, "continuation (88) with no record before it to continue");
        pos_ = line_.size();
        continue;
      }
      ++pending_.record_count;
      scan_fields(pending_);
      append_raw(pending_, start, pending_raw_line_ != line_number_);
      continue;
    }
    const bool emit = have_pending_;
    if (emit)
      std::swap(out, pending_);
    start_record(code, start);
    scan_fields(pending_);
    append_raw(pending_, start, false);
    if (emit)
      return true;
  }
}

}  // namespace tally::adapters
