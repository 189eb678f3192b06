#pragma once
// What a parser says about a file. A file is taken whole or refused whole: a parser hands every
// record to the sink as it goes and collects every error it finds, each located (line and column,
// or element path) with a reason; the caller keeps the records only when the report has no
// errors. Errors are bounded (kMaxReportedErrors) so a hostile file cannot exhaust memory.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <tally/adapters/record.hpp>
#include <tally/core/error.hpp>

namespace tally::adapters {

inline constexpr std::size_t kMaxReportedErrors = 1'000;

struct LocatedError {
  SourcePosition where;
  std::uint32_t column = 0;  // 1-based byte column in the line; 0 when not applicable
  std::string reason;

  // "statement.sta:12:5: amount has no decimal comma"
  std::string to_string() const;
  bool operator==(const LocatedError&) const = default;
};

class ParseReport {
 public:
  void add_error(LocatedError error);
  void count_record() noexcept { ++records_; }

  bool ok() const noexcept { return errors_.empty() && !truncated_; }
  const std::vector<LocatedError>& errors() const noexcept { return errors_; }
  // More errors were found than kMaxReportedErrors; the rest were counted, not kept.
  bool truncated() const noexcept { return truncated_; }
  std::uint64_t error_count() const noexcept { return error_count_; }
  std::uint64_t records() const noexcept { return records_; }

 private:
  std::vector<LocatedError> errors_;
  std::uint64_t error_count_ = 0;
  std::uint64_t records_ = 0;
  bool truncated_ = false;
};

// What every parser is told about the file it reads.
struct ParseOptions {
  std::string file_id;      // goes into every record's and error's SourcePosition
  std::string institution;  // who sent the file: every record's `institution`
};

// Receives each record as it is parsed. An error it returns stops the parse (a full disk, say).
using RecordSink = std::function<Result<void>(Record&&)>;

}  // namespace tally::adapters
