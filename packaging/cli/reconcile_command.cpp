#include <fstream>
#include <ostream>
#include <set>
#include <sstream>
#include <vector>

#include <tally/adapters/profile_loader.hpp>
#include <tally/adapters/profile_parser.hpp>
#include <tally/core/hash.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/ingest.hpp>
#include <tally/reconcile/match_engine.hpp>
#include <tally/reconcile/run_store.hpp>

#include "arguments.hpp"
#include "commands.hpp"
#include "reconcile_report.hpp"

namespace tally::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: tally reconcile --rules R --left A[,A...] --right B[,B...] [--ledger L[,L...]]\n"
    "                       [--left-profile P] [--right-profile P] [--ledger-profile P]\n"
    "                       [--db FILE] [--date D | --from D --to D] [--format table|csv|json]\n"
    "                       [--memory-mb N] [--spill-dir DIR]\n"
    "  --rules      a shipped rule set (bank-statement, joint-loan) or a rule set's JSON file\n"
    "  --left ...   each source is the SHA-256 (64 hex digits) of a file already in the store,\n"
    "               or a file, taken into the store first with the side's --*-profile (a file\n"
    "               whose bytes are already there is not read again)\n"
    "  --ledger     the third source; files or hashes as above until the chain serves the ledger\n"
    "  --db         the records store (default tally-records.db); the run, its match groups and\n"
    "               breaks are stored in it\n"
    "  --date       the business date (YYYY-MM-DD); --from/--to a period; default every date\n"
    "  --format     table (default), csv (the breaks) or json\n"
    "  --memory-mb  the engine's in-memory bound before it spills to disk (default 1024)\n"
    "exit: 0 no breaks, 1 breaks found (or a file refused), 2 the run could not be done\n";

constexpr std::size_t kMaxSourcesPerSide = 256;

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return fail(Errc::not_found, str_cat("cannot read ", path));
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

Result<reconcile::RuleSet> find_rules(const std::string& rules) {
  if (!rules.ends_with(".json"))
    return reconcile::load_embedded_rules(rules);
  TALLY_TRY(const auto text, read_text_file(rules));
  return reconcile::load_rules(text, rules);
}

Result<adapters::Profile> find_profile(const std::string& profile) {
  if (!profile.ends_with(".json"))
    return adapters::load_embedded_profile(profile);
  TALLY_TRY(const auto text, read_text_file(profile));
  return adapters::load_profile(text, profile);
}

Result<adapters::Date> parse_date_argument(std::string_view name, const std::string& text) {
  unsigned year = 0;
  unsigned month = 0;
  unsigned day = 0;
  char tail = 0;
  if (text.size() == 10 &&
      std::sscanf(text.c_str(), "%4u-%2u-%2u%c", &year, &month, &day, &tail) == 3) {
    const adapters::Date date{std::chrono::year{static_cast<int>(year)}, std::chrono::month{month},
                              std::chrono::day{day}};
    if (date.ok())
      return date;
  }
  return fail(Errc::invalid_argument,
              str_cat("--", name, ": '", text, "' is not a YYYY-MM-DD date"));
}

Result<Hash256> hash_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return fail(Errc::not_found, str_cat("cannot read ", path));
  Sha256Stream hash;
  std::vector<char> buffer(1 << 16);
  while (file) {
    file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(file.gcount());
    hash.update(BytesView(reinterpret_cast<const Byte*>(buffer.data()), got));
  }
  if (file.bad())
    return fail(Errc::io_error, str_cat("cannot read ", path));
  return hash.finish();
}

std::vector<std::string> split_sources(const std::string& list) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin <= list.size()) {
    const std::size_t comma = std::min(list.find(',', begin), list.size());
    if (comma > begin)
      out.push_back(list.substr(begin, comma - begin));
    begin = comma + 1;
  }
  return out;
}

// Why a source could not be used: a refused file is an outcome (exit 1), the rest failures.
struct SourceFailure {
  int exit_code = kExitFailed;
  std::string message;
};

// A source's records into the engine, in batches (match_engine.hpp MatchBatch).
class EngineFeed {
 public:
  EngineFeed(reconcile::MatchEngine& engine, reconcile::Side side, const Hash256& source)
      : engine_(&engine), batch_(engine.batch(side, source)) {}

  Result<void> add(std::uint64_t seq, const adapters::Record& record) {
    TALLY_TRY_VOID(batch_.add(seq, record));
    if (batch_.size() >= kBatchRecords)
      return engine_->add(batch_);
    return {};
  }
  Result<void> finish() { return engine_->add(batch_); }

 private:
  static constexpr std::size_t kBatchRecords = 65'536;
  reconcile::MatchEngine* engine_;
  reconcile::MatchBatch batch_;
};

// Resolves each source to a file in the store, taking a file in first when it is not there, and
// feeds its records to the engine: while it is taken in, or else read back from the store.
class SourceFeeder {
 public:
  SourceFeeder(reconcile::RecordStore& store, reconcile::MatchEngine& engine, const Clock& clock)
      : store_(&store), engine_(&engine), clock_(&clock) {}

  std::expected<void, SourceFailure> feed(reconcile::Side side,
                                          const std::string& source,
                                          const std::string& profile_name) {
    auto identity = identify(source);
    if (!identity)
      return std::unexpected(identity.error());
    const Hash256& hash = identity->hash;
    if (!fed_.emplace(side, hash).second) {
      return failed(str_cat(source, " is given twice on the ", reconcile::side_name(side),
                            " side (sha256 ", hash.hex(false), ")"));
    }
    if (identity->stored)
      return fed(side, hash, [&](EngineFeed& feed) {
        return store_->visit_records(
            hash, [&feed](std::uint64_t seq, const auto& record) { return feed.add(seq, record); });
      });
    if (profile_name.empty())
      return failed(str_cat(source, " is not in the store yet: give the side's --*-profile"));
    return ingest(side, source, hash, profile_name);
  }

 private:
  static std::unexpected<SourceFailure> failed(std::string message, int code = kExitFailed) {
    return std::unexpected(SourceFailure{code, std::move(message)});
  }

  std::expected<void, SourceFailure> fed(reconcile::Side side,
                                         const Hash256& hash,
                                         const std::function<Result<void>(EngineFeed&)>& fill) {
    EngineFeed feed(*engine_, side, hash);
    auto added = fill(feed);
    if (added)
      added = feed.finish();
    if (!added)
      return failed(added.error().message);
    return {};
  }

  struct Identity {
    Hash256 hash;
    bool stored = false;  // the store holds the file (or else it is still to be taken in)
  };
  // A 64-hex-digit source names a file in the store; anything else is a file, hashed.
  std::expected<Identity, SourceFailure> identify(const std::string& source) {
    if (source.size() == 64) {
      if (const auto hash = Hash256::from_hex(source); hash) {
        auto found = store_->find_file(*hash);
        if (found && *found)
          return Identity{*hash, true};
        return failed(str_cat("no file ", source, " in the store"));
      }
    }
    auto hash = hash_file(source);
    if (!hash)
      return failed(hash.error().message);
    auto found = store_->find_file(*hash);
    if (!found)
      return failed(found.error().message);
    return Identity{*hash, found->has_value()};
  }

  // The engine sees the records as they are parsed; a refused file ends the run (exit 1).
  std::expected<void, SourceFailure> ingest(reconcile::Side side,
                                            const std::string& path,
                                            const Hash256& hash,
                                            const std::string& name) {
    auto profile = find_profile(name);
    if (!profile)
      return failed(profile.error().message);
    const reconcile::FileParser parse = [&profile](adapters::ByteSource& source,
                                                   const adapters::ParseOptions& options,
                                                   const adapters::RecordSink& sink) {
      return adapters::parse_with_profile(source, *profile, options, sink);
    };
    // The engine's first refusal of a record (a key it cannot take) is kept, and the file taken
    // in all the same: a file refused for its own errors is reported as such (exit 1), as it
    // would be by `tally ingest`; otherwise the engine's refusal ends the run (exit 2).
    std::optional<Error> engine_refusal;
    EngineFeed feed(*engine_, side, hash);
    auto outcome = reconcile::ingest_file(
        *store_, {path, profile->name, profile->institution, hash}, parse, *clock_,
        reconcile::IngestMode::store,
        [&](std::uint64_t seq, const adapters::Record& record) -> Result<void> {
          if (!engine_refusal) {
            if (auto added = feed.add(seq, record); !added)
              engine_refusal = std::move(added.error());
          }
          return {};
        });
    if (!outcome)
      return failed(outcome.error().message);
    if (!outcome->accepted) {
      std::string message = str_cat(path, " refused (", outcome->error_count, " errors)");
      for (const auto& error : outcome->errors) {
        message += str_cat("\n  line ", error.where.line, ": ", error.reason);
      }
      return failed(std::move(message), kExitRefused);
    }
    if (!engine_refusal) {
      if (auto added = feed.finish(); !added)
        engine_refusal = std::move(added.error());
    }
    if (engine_refusal)
      return failed(engine_refusal->message);
    return {};
  }

  reconcile::RecordStore* store_;
  reconcile::MatchEngine* engine_;
  const Clock* clock_;
  std::set<std::pair<reconcile::Side, Hash256>> fed_;  // a source's records go in once a side
};

}  // namespace

int run_reconcile(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  const ArgumentSpec spec{
      .options = {"rules", "left", "right", "ledger", "left-profile", "right-profile",
                  "ledger-profile", "db", "date", "from", "to", "format", "memory-mb", "spill-dir"},
      .flags = {"help"}};
  auto parsed = Arguments::parse(args, spec);
  if (parsed && parsed->flag("help")) {
    out << kUsage;
    return kExitOk;
  }
  const auto usage_error = [&err](std::string_view message) {
    err << "tally reconcile: " << message << '\n' << kUsage;
    return kExitFailed;
  };
  if (!parsed)
    return usage_error(parsed.error().message);
  if (!parsed->has("rules") || !parsed->has("left") || !parsed->has("right") ||
      !parsed->positional().empty())
    return usage_error("needs --rules, --left and --right, and no other arguments");
  const std::string format_name = parsed->option("format", "table");
  if (format_name != "table" && format_name != "csv" && format_name != "json")
    return usage_error("--format is table, csv or json");
  if (parsed->has("date") && (parsed->has("from") || parsed->has("to")))
    return usage_error("--date or --from/--to, not both");
  const ReportFormat format = format_name == "csv"    ? ReportFormat::csv
                              : format_name == "json" ? ReportFormat::json
                                                      : ReportFormat::table;
  const auto fail_with = [&err](std::string_view message, int code = kExitFailed) {
    err << "tally reconcile: " << message << '\n';
    return code;
  };

  auto rules = find_rules(parsed->option("rules"));
  if (!rules)
    return fail_with(rules.error().message);
  reconcile::MatchOptions options;
  for (const auto& [name, field] :
       {std::pair{"date", 0}, std::pair{"from", 1}, std::pair{"to", 2}}) {
    if (!parsed->has(name))
      continue;
    auto date = parse_date_argument(name, parsed->option(name));
    if (!date)
      return usage_error(date.error().message);
    if (field != 2)
      options.from = *date;
    if (field != 1)
      options.to = *date;
  }
  if (parsed->has("memory-mb")) {
    const std::string text = parsed->option("memory-mb");
    std::size_t megabytes = 0;
    if (text.empty() || text.size() > 7 ||
        text.find_first_not_of("0123456789") != std::string::npos ||
        (megabytes = std::stoul(text)) == 0)
      return usage_error("--memory-mb is a whole number of megabytes from 1");
    options.memory_bound_bytes = megabytes << 20;
  }
  options.spill_dir = parsed->option("spill-dir");

  auto store = reconcile::RecordStore::open(parsed->option("db", "tally-records.db"));
  if (!store)
    return fail_with(store.error().message);
  const SystemClock clock;
  auto engine = reconcile::MatchEngine::create(*rules, options);
  if (!engine)
    return fail_with(engine.error().message);
  SourceFeeder feeder(*store, *engine, clock);

  for (const auto& [side, name] :
       {std::pair{reconcile::Side::left, "left"}, std::pair{reconcile::Side::right, "right"},
        std::pair{reconcile::Side::ledger, "ledger"}}) {
    const auto sources = split_sources(parsed->option(name));
    if (sources.size() > kMaxSourcesPerSide)
      return usage_error(str_cat("at most ", kMaxSourcesPerSide, " sources a side"));
    for (const auto& source : sources) {
      auto fed = feeder.feed(side, source, parsed->option(str_cat(name, "-profile")));
      if (!fed)
        return fail_with(fed.error().message, fed.error().exit_code);
    }
  }

  auto writer = reconcile::RunWriter::begin(store->database(), clock);
  if (!writer)
    return fail_with(writer.error().message);
  auto summary = engine->finish(*writer);
  if (!summary)
    return fail_with(summary.error().message);
  auto run_id = writer->commit(*rules, options, *summary);
  if (!run_id)
    return fail_with(run_id.error().message);
  auto run = reconcile::read_run(store->database(), *run_id);
  auto breaks = reconcile::read_breaks(store->database(), *run_id);
  if (!run || !*run || !breaks)
    return fail_with(!run      ? run.error().message
                     : !breaks ? breaks.error().message
                               : "run vanished");
  write_reconcile_report(out, format, **run, summary->stats, *breaks);
  return breaks->empty() ? kExitOk : kExitRefused;
}

}  // namespace tally::cli
