#pragma once
// Taking one bank file into the records store, whole or not at all (DESIGN.md section 4).
//
// The file is hashed (SHA-256 of its bytes: its identity), refused if the store already holds
// those bytes, then parsed as a stream into a FileStaging: the parser runs on a thread of its
// own (which also works out each record's duplicate key and checks) and hands records over in
// chunks of 1,024, at most 8 waiting, to the calling thread, which stages them; an exception on
// either thread stops both and reaches the caller. It is accepted only if the parser
// reported no error, every record keeps its own rules (Record::check) and no record duplicates
// another of the same file, and the bytes parsed hash to the bytes hashed (a file rewritten while
// it is read is refused); otherwise it is refused with every error located, and the store is
// left exactly as it was. Refusal is an outcome, not an Error: Errors are for failures of the
// machine (unreadable file, full disk).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <tally/adapters/byte_source.hpp>
#include <tally/adapters/parse_report.hpp>
#include <tally/core/clock.hpp>
#include <tally/reconcile/record_store.hpp>

namespace tally::reconcile {

// A parser bound to its profile: adapters::parse_with_profile, or a single format's parser.
using FileParser = std::function<adapters::ParseReport(adapters::ByteSource&,
                                                       const adapters::ParseOptions&,
                                                       const adapters::RecordSink&)>;

struct IngestRequest {
  std::filesystem::path path;
  std::string profile;      // the profile's name, kept with the file
  std::string institution;  // who sent the file
  // The file's SHA-256 when the caller has just read it: the file is not hashed again before it
  // is parsed, and it is refused as changed unless the bytes parsed hash to it.
  std::optional<Hash256> expected_hash = std::nullopt;
};

enum class IngestMode : std::uint8_t {
  store,  // an accepted file is committed
  check,  // everything is checked, nothing is kept
};

struct IngestOutcome {
  SourceFile file;  // what was (or would have been) stored
  bool accepted = false;
  std::vector<adapters::LocatedError> errors;  // why it was refused; bounded
  std::uint64_t error_count = 0;               // every error found, kept or not
  std::vector<KindTotal> totals;               // of an accepted file
};

// Sees each record as it is parsed, in file order, with its sequence number in the file, on the
// parsing thread (not the caller's): a caller that also matches the file reads it once. Records
// of a file that ends up refused are seen too; the caller drops what it did with them when the
// outcome is not accepted. An error stops the ingest and is returned as ingest_file's error.
using RecordTap = std::function<Result<void>(std::uint64_t seq, const adapters::Record&)>;

Result<IngestOutcome> ingest_file(RecordStore& store,
                                  const IngestRequest& request,
                                  const FileParser& parse,
                                  const Clock& clock,
                                  IngestMode mode = IngestMode::store,
                                  const RecordTap& tap = {});

}  // namespace tally::reconcile
