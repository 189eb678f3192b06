#include <fstream>
#include <ostream>
#include <sstream>
#include <vector>

#include <tally/adapters/profile_loader.hpp>
#include <tally/adapters/profile_parser.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/ingest.hpp>

#include "arguments.hpp"
#include "commands.hpp"
#include "ingest_report.hpp"

namespace tally::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: tally ingest --profile P [--db FILE] [--institution I] [--format table|json] "
    "[--check] FILE...\n"
    "  --profile      a shipped profile's name (platform-joint-loan, partner-gbk-fixed,\n"
    "                 generic-camt053) or a profile's JSON file\n"
    "  --db           the records store (default tally-records.db)\n"
    "  --institution  who sent the files (default: the profile's institution)\n"
    "  --format       table (default) or json\n"
    "  --check        check the files, store nothing\n";

// A name of a shipped profile, or a path to a profile file.
Result<adapters::Profile> find_profile(const std::string& profile) {
  if (!profile.ends_with(".json"))
    return adapters::load_embedded_profile(profile);
  std::ifstream file(profile, std::ios::binary);
  if (!file)
    return fail(Errc::not_found, str_cat("cannot read profile ", profile));
  std::ostringstream text;
  text << file.rdbuf();
  return adapters::load_profile(text.str(), profile);
}

}  // namespace

int run_ingest(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  const ArgumentSpec spec{.options = {"profile", "db", "institution", "format"},
                          .flags = {"check", "help"}};
  auto parsed = Arguments::parse(args, spec);
  if (parsed && parsed->flag("help")) {
    out << kUsage;
    return kExitOk;
  }
  const std::string format = parsed ? parsed->option("format", "table") : "";
  if (!parsed || !parsed->has("profile") || parsed->positional().empty() ||
      (format != "table" && format != "json")) {
    err << "tally ingest: "
        << (parsed ? "needs --profile, --format table or json, and at least one FILE"
                   : parsed.error().message)
        << '\n'
        << kUsage;
    return kExitFailed;
  }

  auto profile = find_profile(parsed->option("profile"));
  if (!profile) {
    err << "tally ingest: " << profile.error().message << '\n';
    return kExitFailed;
  }
  auto store = reconcile::RecordStore::open(parsed->option("db", "tally-records.db"));
  if (!store) {
    err << "tally ingest: " << store.error().message << '\n';
    return kExitFailed;
  }
  const reconcile::FileParser parse = [&profile](adapters::ByteSource& source,
                                                 const adapters::ParseOptions& options,
                                                 const adapters::RecordSink& sink) {
    return adapters::parse_with_profile(source, *profile, options, sink);
  };
  const std::string institution = parsed->option("institution", profile->institution);
  const auto mode =
      parsed->flag("check") ? reconcile::IngestMode::check : reconcile::IngestMode::store;
  const SystemClock clock;

  std::vector<reconcile::IngestOutcome> outcomes;
  for (const auto& file : parsed->positional()) {
    auto outcome =
        reconcile::ingest_file(*store, {file, profile->name, institution}, parse, clock, mode);
    if (!outcome) {
      err << "tally ingest: " << outcome.error().message << '\n';
      return kExitFailed;
    }
    outcomes.push_back(std::move(*outcome));
  }
  if (format == "json")
    write_ingest_json(out, outcomes);
  else
    write_ingest_table(out, outcomes);
  for (const auto& outcome : outcomes) {
    if (!outcome.accepted)
      return kExitRefused;
  }
  return kExitOk;
}

}  // namespace tally::cli
