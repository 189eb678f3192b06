#pragma once
// Rows of an RFC 4180 CSV file from a ByteSource, in bounded memory: fields split at the
// delimiter, quoted fields with embedded delimiters, doubled quotes and line ends, LF or CRLF.
// Fields are views into the reader's buffer (no copy per field), except quoted fields holding
// doubled quotes, which are unescaped into a scratch buffer of the same bound.
//
// In GBK and GB18030 files a byte from 0x81 starts a two- or four-byte character whose second
// byte may equal an ASCII delimiter ('|' is 0x7C); such a second byte is never taken for one.
// The same pass checks each field's characters (one pass over the bytes, not one per field).
//
// Quoting errors (a quote inside an unquoted field, text after a closing quote, an unterminated
// quote) are reported with the row, located, and tokenizing goes on. A row longer than the limit
// is an error that ends the file: past it, where the next row starts is unknowable.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <tally/adapters/byte_source.hpp>
#include <tally/adapters/record_mapping.hpp>
#include <tally/adapters/text_encoding.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::adapters {

struct CsvRow {
  BytesView raw;  // the row's bytes as in the file, without its line end
  std::uint64_t line = 0;
  std::uint64_t byte_offset = 0;
  std::vector<FieldText> fields;  // columns are 1-based byte columns; number the field's
  std::vector<FieldError> problems;

  bool blank() const noexcept { return raw.empty(); }
};

struct CsvDialect {
  char delimiter = ',';
  char quote = '"';
  // GBK/GB18030: a byte from 0x81 takes the next one with it. Every field is checked for
  // well-formed characters of the encoding as it is split (FieldText::well_formed).
  TextEncoding encoding = TextEncoding::utf8;
};

class CsvTokenizer {
 public:
  CsvTokenizer(ByteSource& source, CsvDialect dialect, std::size_t max_record_bytes);

  // Steps over a UTF-8 byte order mark at the very start; call before anything else.
  Result<void> skip_bom();
  // Steps over one physical line (preamble); false at the end of the input.
  Result<bool> skip_line();
  // The next row into `row` (its views valid until the next call); false at the end.
  Result<bool> next(CsvRow& row);

 private:
  enum class Step { done, need_more };
  Step tokenize(CsvRow& row);
  std::size_t run_end(std::size_t pos) const noexcept;
  std::size_t character(std::size_t pos, bool& well_formed) const noexcept;
  Step quoted(CsvRow& row, std::size_t& pos, std::uint64_t& line, std::uint64_t& line_start);
  Result<void> fill();
  std::uint64_t offset_of(std::size_t pos) const noexcept { return offset_ + (pos - start_); }
  std::uint32_t column(std::size_t pos, std::uint64_t line_start) const noexcept;
  Result<void> too_long() const;

  ByteSource& source_;
  CsvDialect dialect_;
  std::size_t max_record_bytes_;
  std::array<bool, 256> stops_{};  // bytes that end an unquoted run
  Bytes buffer_;
  std::string unescaped_;  // quoted fields with doubled quotes; capacity fixed
  std::size_t start_ = 0;  // first byte of the next row in buffer_
  std::size_t end_ = 0;
  bool at_end_ = false;
  std::uint64_t line_ = 1;        // of buffer_[start_]
  std::uint64_t offset_ = 0;      // file offset of buffer_[start_]
  std::uint64_t line_start_ = 0;  // file offset of the first byte of line_
};

}  // namespace tally::adapters
