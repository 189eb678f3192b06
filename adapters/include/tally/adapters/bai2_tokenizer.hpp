#pragma once
// The lexical layer of BAI2: bytes to logical records. A logical record is a record code with
// its fields, the fields of the continuation (88) records after it appended, and, for a
// transaction detail (16), its text.
//
// Physical records are lines (LF or CRLF), or, when the file header states a physical record
// length and the first line is longer than that, fixed-length slices of the input (files sent
// without line ends). A physical record may hold several records, each ended by "/".
//
// The text of a 16 is its last field and may hold commas and "/": it runs to the end of its
// physical record, unless a "/" followed only by spaces and then the end of the physical record,
// or by at least one space and another record ("/ 16,", "/  49,"), ends it first. The same "/"
// rule ends the other fields, so references may hold "/" too. A text holding "/ 49," is
// therefore cut there: the format itself is ambiguous, and this reading is the one that fits
// producers putting several records on a line. Continuations of a text are joined with
// one space. Some producers wrap a long text onto the next line without an 88: a line that
// follows an unended text, does not start with a record code and holds the text's closing "/"
// continues that text (it is not a record and trailers do not count it).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <tally/adapters/byte_source.hpp>
#include <tally/adapters/parse_report.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::adapters {

// A logical record (with its continuations) is refused beyond these, so memory stays bounded.
inline constexpr std::size_t kMaxBai2RecordBytes = 1024 * 1024;
inline constexpr std::size_t kMaxBai2RecordFields = 4096;

struct Bai2Field {
  std::string text;
  std::uint64_t line = 0;
  std::uint32_t column = 0;  // 1-based
  std::uint64_t byte_offset = 0;
};

struct Bai2LogicalRecord {
  int code = 0;                   // 1, 2, 3, 16, 49, 98 or 99
  std::vector<Bai2Field> fields;  // after the record code; for a 16, those before the text
  std::optional<Bai2Field> text;  // 16 only
  std::uint64_t line = 0;         // of the record code
  std::uint32_t column = 0;
  std::uint64_t byte_offset = 0;
  std::uint32_t record_count = 0;  // the record and its 88s: what trailers count
  bool refused = false;            // crossed a limit; already reported
  Bytes raw;                       // its bytes, physical records separated by LF
};

class Bai2Tokenizer {
 public:
  // The source must outlive the tokenizer; syntax errors go to `report`.
  Bai2Tokenizer(ByteSource& source, ParseReport& report, std::string file_id);
  ~Bai2Tokenizer();
  Bai2Tokenizer(const Bai2Tokenizer&) = delete;
  Bai2Tokenizer& operator=(const Bai2Tokenizer&) = delete;

  // Fills `out` with the next logical record; false at the end of the input. An error (the
  // source failed, a physical record too long) ends the input.
  Result<bool> next(Bai2LogicalRecord& out);
  // The number of the last physical record read.
  std::uint64_t line_number() const noexcept { return line_number_; }

 private:
  class PhysicalReader;

  Result<bool> read_physical();
  void start_record(int code, std::size_t code_at);
  void scan_fields(Bai2LogicalRecord& record);
  void scan_text(Bai2LogicalRecord& record);
  bool wrap_text();
  void append_raw(Bai2LogicalRecord& record, std::size_t from, bool new_line);
  void add_field(Bai2LogicalRecord& record, std::size_t from, std::size_t to);
  void error(std::size_t at, std::string reason);

  ByteSource& source_;
  ParseReport& report_;
  std::string file_id_;
  std::unique_ptr<PhysicalReader> reader_;
  std::string line_;  // the current physical record
  std::uint64_t line_number_ = 0;
  std::uint64_t line_offset_ = 0;
  std::size_t pos_ = 0;
  bool text_open_ = false;  // the last physical record ended inside a 16's text
  bool have_pending_ = false;
  std::uint64_t pending_raw_line_ = 0;  // the physical record pending_.raw last took bytes from
  Bai2LogicalRecord pending_;
};

}  // namespace tally::adapters
