#pragma once
// Profile-driven CSV bank files (RFC 4180 and what banks really send): UTF-8 with or without a
// BOM, GBK or GB18030; LF or CRLF; quoted fields with delimiters, doubled quotes and line ends;
// preamble lines, a header row found by its (possibly Chinese) column names, a trailer row with
// control totals; amounts with grouping, currency symbols and several negative notations.
//
// One Record per data row (blank rows are skipped), with the row's bytes as in the file (its own
// encoding) in `raw`, its first line and byte offset in `source`. Errors are located by line and
// column, where the column is the 1-based BYTE column in that line (after a BOM on line 1) of the
// field at fault, and the reason names the field and its 1-based field number. Every error of
// every row is collected; a row longer than the profile's max_record_bytes ends the parse with an
// error (memory is bounded by it).

#include <tally/adapters/byte_source.hpp>
#include <tally/adapters/parse_report.hpp>
#include <tally/adapters/profile.hpp>

namespace tally::adapters {

inline constexpr std::size_t kCsvMaxPreambleRows = 50;  // searched for a header found by names

ParseReport parse_csv(ByteSource& source,
                      const Profile& profile,
                      const ParseOptions& options,
                      const RecordSink& sink);

// Receives each record as a view of a Record the parser reuses: valid only during the call.
using RecordViewSink = std::function<Result<void>(const Record&)>;

// parse_csv for consumers that read a record and let it go (the matching engine): the same
// tokenizer, mapping and checks (one code path, so a file is refused by both or by neither, with
// the same errors), but each record is handed as a view of one Record reused row after row,
// without its raw bytes (`source.line` and `source.byte_offset` locate them in the file). No
// allocation per row once the reused strings have grown.
ParseReport parse_csv_view(ByteSource& source,
                           const Profile& profile,
                           const ParseOptions& options,
                           const RecordViewSink& sink);

}  // namespace tally::adapters
