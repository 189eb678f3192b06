#include <array>
#include <exception>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

#include <tally/core/hash.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/duplicate_key.hpp>
#include <tally/reconcile/ingest.hpp>

#include "chunk_relay.hpp"

namespace tally::reconcile {
namespace {

struct FileIdentity {
  Hash256 hash;
  std::uint64_t byte_size = 0;
};

Result<FileIdentity> identify(const std::filesystem::path& path) {
  TALLY_TRY(auto source, adapters::FileSource::open(path));
  Sha256Stream stream;
  FileIdentity identity;
  std::array<Byte, 1 << 16> chunk;
  for (;;) {
    TALLY_TRY(const std::size_t n, source.read(chunk));
    if (n == 0)
      break;
    stream.update(BytesView(chunk.data(), n));
    identity.byte_size += n;
  }
  identity.hash = stream.finish();
  return identity;
}

// Passes a file's bytes to its parser and hashes them on the way, so what was parsed can be
// checked to be what was hashed: a file rewritten between the two reads is refused.
class HashingSource final : public adapters::ByteSource {
 public:
  explicit HashingSource(adapters::ByteSource& inner) : inner_(inner) {}

  Result<std::size_t> read(std::span<Byte> into) override {
    TALLY_TRY(const std::size_t n, inner_.read(into));
    stream_.update(BytesView(into.data(), n));
    bytes_ += n;
    return n;
  }
  // Reads what the parser left unread, then gives the digest of everything.
  Result<FileIdentity> finish() {
    std::array<Byte, 1 << 16> chunk;
    while (true) {
      TALLY_TRY(const std::size_t n, read(chunk));
      if (n == 0)
        break;
    }
    return FileIdentity{stream_.finish(), bytes_};
  }

 private:
  adapters::ByteSource& inner_;
  Sha256Stream stream_;
  std::uint64_t bytes_ = 0;
};

// Errors of every kind, bounded as a ParseReport bounds them.
class Refusals {
 public:
  explicit Refusals(IngestOutcome& outcome) : outcome_(outcome) {}

  void add(adapters::LocatedError error) {
    ++outcome_.error_count;
    if (outcome_.errors.size() < adapters::kMaxReportedErrors)
      outcome_.errors.push_back(std::move(error));
  }
  void add_all(const adapters::ParseReport& report) {
    for (const auto& error : report.errors())
      add(error);
    // Those the report counted but did not keep.
    outcome_.error_count += report.error_count() - report.errors().size();
  }
  bool any() const noexcept { return outcome_.error_count > 0; }

 private:
  IngestOutcome& outcome_;
};

adapters::LocatedError whole_file_error(const std::string& name, std::string reason) {
  adapters::LocatedError error;
  error.where.file_id = name;
  error.reason = std::move(reason);
  return error;
}

// A record as the parsing thread hands it over, with what can be worked out of it alone.
struct ParsedRecord {
  adapters::Record record;
  std::optional<Hash256> duplicate_key;
  std::optional<Error> broken_rule;  // Record::check's refusal
};

// Runs `parse` on a thread of its own, which also works out each record's checks and shows it
// to `tap`, and hands the records over in chunks to `stage` on the calling thread, so all that
// overlaps the store's inserts. The first error of `stage` or `tap` is returned; either stops
// the parser at its next record (the tap sees no record after a failure).
Result<adapters::ParseReport> parse_relayed(
    const FileParser& parse,
    adapters::ByteSource& source,
    const adapters::ParseOptions& options,
    const RecordTap& tap,
    const std::function<Result<void>(const ParsedRecord&)>& stage) {
  constexpr std::size_t kChunkRecords = 1'024;
  constexpr std::size_t kChunksWaiting = 8;
  ChunkRelay<ParsedRecord> relay(kChunksWaiting);
  std::optional<adapters::ParseReport> report;
  std::optional<Error> tap_failure;  // the parser's own
  std::exception_ptr thrown;
  const auto run_parser = [&] {
    try {
      std::vector<ParsedRecord> chunk;
      chunk.reserve(kChunkRecords);
      std::uint64_t seq = 0;
      const adapters::RecordSink sink = [&](adapters::Record&& record) -> Result<void> {
        if (relay.cancelled())
          return fail(Errc::unavailable, "ingest: stopped");
        ParsedRecord parsed{std::move(record), std::nullopt, std::nullopt};
        parsed.duplicate_key = duplicate_key(parsed.record);
        if (auto rules = parsed.record.check(); !rules)
          parsed.broken_rule = std::move(rules.error());
        if (tap) {
          if (auto seen = tap(seq, parsed.record); !seen) {
            tap_failure = seen.error();
            return seen;
          }
        }
        ++seq;
        chunk.push_back(std::move(parsed));
        if (chunk.size() < kChunkRecords)
          return {};
        if (!relay.push(std::exchange(chunk, {})))
          return fail(Errc::unavailable, "ingest: stopped");
        chunk.reserve(kChunkRecords);
        return {};
      };
      report.emplace(parse(source, options, sink));
      if (!chunk.empty())
        relay.push(std::move(chunk));
    } catch (...) {
      thrown = std::current_exception();
    }
    relay.close();
  };
  std::thread parser;
  try {
    parser = std::thread(run_parser);
  } catch (const std::system_error& error) {
    return fail(Errc::unavailable,
                str_cat("ingest: cannot start a parsing thread: ", error.what()));
  }
  std::optional<Error> failure;  // staging's
  {
    // However this block is left, the parser is stopped and joined before its locals go.
    struct StopParser {
      ChunkRelay<ParsedRecord>& relay;
      std::thread& parser;
      ~StopParser() {
        relay.cancel();
        parser.join();
      }
    } stop{relay, parser};
    while (!failure) {
      auto chunk = relay.pop();
      if (!chunk)
        break;
      for (const ParsedRecord& parsed : *chunk) {
        if (auto staged = stage(parsed); !staged) {
          failure = std::move(staged.error());
          relay.cancel();
          break;
        }
      }
    }
  }
  if (thrown)
    std::rethrow_exception(thrown);
  if (failure)
    return std::unexpected(std::move(*failure));
  if (tap_failure)
    return std::unexpected(std::move(*tap_failure));
  return std::move(*report);
}

}  // namespace

Result<IngestOutcome> ingest_file(RecordStore& store,
                                  const IngestRequest& request,
                                  const FileParser& parse,
                                  const Clock& clock,
                                  IngestMode mode,
                                  const RecordTap& tap) {
  const std::string name = request.path.filename().string();
  FileIdentity identity;
  if (request.expected_hash) {
    std::error_code error;
    identity = {*request.expected_hash, std::filesystem::file_size(request.path, error)};
    if (error)
      return fail(Errc::io_error, str_cat(request.path.string(), ": ", error.message()));
  } else {
    TALLY_TRY(identity, in_context(identify(request.path), request.path.string()));
  }

  IngestOutcome outcome;
  outcome.file = {.file_hash = identity.hash,
                  .name = name,
                  .profile = request.profile,
                  .institution = request.institution,
                  .byte_size = identity.byte_size,
                  .record_count = 0,
                  .ingested_at = to_rfc3339_ms(clock.now())};
  Refusals refusals(outcome);

  TALLY_TRY(const auto earlier, store.find_file(identity.hash));
  if (earlier) {
    refusals.add(whole_file_error(
        name, str_cat("the same file (sha256 ", identity.hash.hex(false), ") was ingested as '",
                      earlier->name, "' at ", earlier->ingested_at)));
    return outcome;
  }

  TALLY_TRY(auto staging, FileStaging::begin(store, outcome.file));
  TALLY_TRY(auto file, adapters::FileSource::open(request.path));
  HashingSource source(file);
  const auto stage = [&](const ParsedRecord& parsed) -> Result<void> {
    if (parsed.broken_rule) {
      adapters::LocatedError error;
      error.where = parsed.record.source;
      error.reason = parsed.broken_rule->message;
      refusals.add(std::move(error));
    }
    return staging.add(parsed.record, parsed.duplicate_key);
  };
  TALLY_TRY(const adapters::ParseReport report,
            parse_relayed(parse, source, {.file_id = name, .institution = request.institution}, tap,
                          stage));
  refusals.add_all(report);
  TALLY_TRY(const auto parsed, in_context(source.finish(), request.path.string()));
  if (parsed.hash != identity.hash || parsed.byte_size != identity.byte_size) {
    refusals.add(whole_file_error(
        name, str_cat("the file changed while it was read (sha256 ", identity.hash.hex(false),
                      " when hashed, ", parsed.hash.hex(false), " when parsed)")));
  }
  if (report.records() != staging.staged()) {
    refusals.add(whole_file_error(name, str_cat("the parser counted ", report.records(),
                                                " records but handed over ", staging.staged())));
  }

  TALLY_TRY(auto duplicates, staging.duplicates(adapters::kMaxReportedErrors));
  for (auto& duplicate : duplicates)
    refusals.add(std::move(duplicate));
  if (refusals.any())
    return outcome;  // the staging rolls back as it goes out of scope

  TALLY_TRY(outcome.totals, staging.totals());
  outcome.file.record_count = staging.staged();
  outcome.accepted = true;
  if (mode == IngestMode::store)
    TALLY_TRY_VOID(staging.commit());
  return outcome;
}

}  // namespace tally::reconcile
