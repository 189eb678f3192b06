#include <algorithm>
#include <bit>
#include <cstring>

#include <tally/adapters/csv_tokenizer.hpp>
#include <tally/adapters/text_encoding.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;

auto byte_of(char c) noexcept {
  return static_cast<std::size_t>(static_cast<unsigned char>(c));
}

}  // namespace

CsvTokenizer::CsvTokenizer(ByteSource& source, CsvDialect dialect, std::size_t max_record_bytes)
    : source_(source),
      dialect_(dialect),
      max_record_bytes_(max_record_bytes),
      buffer_(max_record_bytes + kChunkBytes + 2) {
  stops_[byte_of(dialect.delimiter)] = true;
  stops_[byte_of(dialect.quote)] = true;
  stops_['\n'] = true;
  for (std::size_t b = 0x80; b <= 0xFF; ++b)
    stops_[b] = true;  // a character to check, and in GB files one to step over whole
  unescaped_.reserve(max_record_bytes + 2);
}

Result<void> CsvTokenizer::fill() {
  if (start_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  while (!at_end_ && end_ < buffer_.size()) {
    TALLY_TRY(const std::size_t count,
              source_.read(std::span<Byte>(buffer_).subspan(end_, buffer_.size() - end_)));
    if (count == 0)
      at_end_ = true;
    end_ += count;
    if (count > 0)
      break;
  }
  return {};
}

std::uint32_t CsvTokenizer::column(std::size_t pos, std::uint64_t line_start) const noexcept {
  return static_cast<std::uint32_t>(offset_of(pos) - line_start + 1);
}

Result<void> CsvTokenizer::too_long() const {
  return fail(Errc::limit_exceeded,
              str_cat("line ", line_, " (byte ", offset_, "): the record is longer than ",
                      max_record_bytes_, " bytes"));
}

Result<void> CsvTokenizer::skip_bom() {
  TALLY_TRY_VOID(fill());
  const std::size_t bom = utf8_bom_length(BytesView(buffer_).subspan(start_, end_ - start_));
  start_ += bom;
  offset_ += bom;
  line_start_ = offset_;  // columns count from after the mark, as an editor shows them
  return {};
}

Result<bool> CsvTokenizer::skip_line() {
  for (;;) {
    const Byte* begin = buffer_.data() + start_;
    const auto* newline = static_cast<const Byte*>(std::memchr(begin, '\n', end_ - start_));
    if (newline != nullptr || (at_end_ && end_ > start_)) {
      const std::size_t consumed =
          newline != nullptr ? static_cast<std::size_t>(newline - begin) + 1 : end_ - start_;
      start_ += consumed;
      offset_ += consumed;
      ++line_;
      line_start_ = offset_;
      return true;
    }
    if (at_end_)
      return false;
    if (end_ - start_ > max_record_bytes_ + 1)
      return std::unexpected(too_long().error());
    TALLY_TRY_VOID(fill());
  }
}

// A quoted field from the opening quote at `pos`; leaves `pos` after the closing quote.
CsvTokenizer::Step CsvTokenizer::quoted(CsvRow& row,
                                        std::size_t& pos,
                                        std::uint64_t& line,
                                        std::uint64_t& line_start) {
  const Byte quote = static_cast<Byte>(dialect_.quote);
  FieldText field{
      {}, line, column(pos, line_start), static_cast<std::uint32_t>(row.fields.size() + 1), false};
  const std::size_t content = ++pos;
  bool escaped = false;
  for (;;) {
    const auto* found =
        static_cast<const Byte*>(std::memchr(buffer_.data() + pos, quote, end_ - pos));
    const std::size_t stop =
        found != nullptr ? static_cast<std::size_t>(found - buffer_.data()) : end_;
    for (std::size_t i = pos; i < stop;) {
      const auto* newline =
          static_cast<const Byte*>(std::memchr(buffer_.data() + i, '\n', stop - i));
      if (newline == nullptr)
        break;
      i = static_cast<std::size_t>(newline - buffer_.data()) + 1;
      ++line;
      line_start = offset_of(i);
    }
    if (found == nullptr || (stop + 1 == end_ && !at_end_)) {
      if (!at_end_)
        return Step::need_more;
      row.problems.push_back({field.line, field.column, "a quoted field is not closed"});
      field.bytes = BytesView(buffer_).subspan(content, end_ - content);
      pos = end_;
      break;
    }
    if (stop + 1 < end_ && buffer_[stop + 1] == quote) {
      escaped = true;
      pos = stop + 2;
      continue;
    }
    field.bytes = BytesView(buffer_).subspan(content, stop - content);
    pos = stop + 1;
    break;
  }
  if (escaped) {
    // Doubled quotes become one; the scratch never outgrows its reserve, so views stay valid.
    const std::size_t from = unescaped_.size();
    for (std::size_t i = 0; i < field.bytes.size(); ++i) {
      unescaped_ += static_cast<char>(field.bytes[i]);
      if (field.bytes[i] == quote)
        ++i;
    }
    field.bytes = as_bytes(std::string_view(unescaped_).substr(from));
  }
  field.well_formed = check_well_formed(field.bytes, dialect_.encoding).has_value();
  row.fields.push_back(field);
  return Step::done;
}

// The first byte from `pos` that ends an unquoted run (stops_), or end_: a word at a time, as
// most fields are short runs of plain ASCII. In a word, the lowest byte flagged by the zero-byte
// test is exact (only bytes above a true match can be false ones), so is the first stop.
[[gnu::always_inline]] inline std::size_t CsvTokenizer::run_end(std::size_t pos) const noexcept {
  const Byte* data = buffer_.data();
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    const auto zero_byte = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighs; };
    const std::uint64_t delimiters = kOnes * static_cast<Byte>(dialect_.delimiter);
    const std::uint64_t quotes = kOnes * static_cast<Byte>(dialect_.quote);
    constexpr std::uint64_t kNewlines = kOnes * '\n';
    for (; pos + 8 <= end_; pos += 8) {
      std::uint64_t word;
      std::memcpy(&word, data + pos, 8);
      const std::uint64_t found = (word & kHighs) | zero_byte(word ^ delimiters) |
                                  zero_byte(word ^ quotes) | zero_byte(word ^ kNewlines);
      if (found != 0)
        return pos + static_cast<std::size_t>(std::countr_zero(found)) / 8;
    }
  }
  while (pos < end_ && !stops_[data[pos]])
    ++pos;
  return pos;
}

// How far to step over the non-ASCII byte at `pos`; clears `well_formed` when no well-formed
// character of the encoding starts there (the mapping then finds and locates the fault).
[[gnu::always_inline]] inline std::size_t CsvTokenizer::character(
    std::size_t pos,
    bool& well_formed) const noexcept {
  const Byte* at = buffer_.data() + pos;
  const std::size_t length =
      dialect_.encoding == TextEncoding::utf8
          ? detail::utf8_length(at, end_ - pos)
          : detail::gb_length(at, end_ - pos, dialect_.encoding == TextEncoding::gb18030);
  if (length > 0)
    return length;
  well_formed = false;
  if (dialect_.encoding == TextEncoding::utf8 || buffer_[pos] < 0x81 || buffer_[pos] == 0xFF)
    return 1;
  // A malformed GB lead byte still takes its second byte along (0x40-0xFE, or 0x30-0x39 as in a
  // four-byte form), which may equal an ASCII delimiter; any other byte stays itself.
  const bool second = pos + 1 < end_ && (buffer_[pos + 1] >= 0x40 ||
                                         (buffer_[pos + 1] >= 0x30 && buffer_[pos + 1] <= 0x39));
  return second ? 2 : 1;
}

CsvTokenizer::Step CsvTokenizer::tokenize(CsvRow& row) {
  row.fields.clear();
  row.problems.clear();
  unescaped_.clear();
  std::size_t pos = start_;
  std::uint64_t line = line_;
  std::uint64_t line_start = line_start_;
  const Byte delimiter = static_cast<Byte>(dialect_.delimiter);
  for (;;) {
    if (pos < end_ && buffer_[pos] == static_cast<Byte>(dialect_.quote)) {
      if (quoted(row, pos, line, line_start) == Step::need_more)
        return Step::need_more;
      const std::size_t junk = pos;
      while (pos < end_ && buffer_[pos] != delimiter && buffer_[pos] != '\n')
        ++pos;
      if (pos == end_ && !at_end_)
        return Step::need_more;
      const bool crlf = pos > junk && buffer_[pos - 1] == '\r' && pos < end_;
      if (pos - junk > (crlf ? 1u : 0u)) {
        row.problems.push_back(
            {line, column(junk, line_start), "text after the closing quote of a field"});
      }
    } else {
      const std::size_t begin = pos;
      bool well_formed = true;
      for (;;) {
        pos = run_end(pos);
        if (pos == end_ || buffer_[pos] == delimiter || buffer_[pos] == '\n')
          break;
        if (buffer_[pos] >= 0x80) {
          do {  // non-ASCII text comes in runs of characters: check the run here
            pos += character(pos, well_formed);
          } while (pos < end_ && buffer_[pos] >= 0x80);
          continue;
        }
        row.problems.push_back({line, column(pos, line_start), "a quote inside an unquoted field"});
        ++pos;
      }
      if (pos == end_ && !at_end_)
        return Step::need_more;
      std::size_t stop = pos;
      if (stop > begin && pos < end_ && buffer_[pos] == '\n' && buffer_[stop - 1] == '\r')
        --stop;
      else if (pos == end_ && stop > begin && buffer_[stop - 1] == '\r')
        --stop;
      row.fields.push_back({BytesView(buffer_).subspan(begin, stop - begin), line,
                            column(begin, line_start),
                            static_cast<std::uint32_t>(row.fields.size() + 1), well_formed});
    }
    if (pos < end_ && buffer_[pos] == delimiter) {
      ++pos;
      continue;
    }
    break;
  }
  // The row ends at a line end or the end of the input.
  std::size_t raw_end = pos;
  if (raw_end > start_ && buffer_[raw_end - 1] == '\r')
    --raw_end;
  row.raw = BytesView(buffer_).subspan(start_, raw_end - start_);
  row.line = line_;
  row.byte_offset = offset_;
  const std::size_t consumed = (pos < end_ ? pos + 1 : pos) - start_;
  if (pos < end_) {
    ++line;
    line_start = offset_of(pos + 1);
  }
  start_ += consumed;
  offset_ += consumed;
  line_ = line;
  line_start_ = line_start;
  return Step::done;
}

Result<bool> CsvTokenizer::next(CsvRow& row) {
  for (;;) {
    if (start_ == end_ && at_end_)
      return false;
    if (start_ < end_ && tokenize(row) == Step::done) {
      if (row.raw.size() > max_record_bytes_)
        return std::unexpected(too_long().error());
      return true;
    }
    if (end_ - start_ > max_record_bytes_ + 1)
      return std::unexpected(too_long().error());
    const std::size_t before = end_ - start_;
    TALLY_TRY_VOID(fill());
    if (end_ - start_ == before && !at_end_)
      continue;
  }
}

}  // namespace tally::adapters
