// Matching end to end: two generated CSV files (reference,amount,value_date), parsed by the CSV
// adapter (both files at once, one thread each), through the engine (1:1 exact, then 1:1 within
// 1.00 and two days) into a SQLite store of the run, its groups and breaks. Reported: records/s
// (both sides) and the run's peak resident set (VmHWM, reset before the run). Beside it, as peers:
//
// - pandas (test/bench/reconcile_pandas.py, Debian's python3-pandas) reads the SAME two files, does
//   the same 1:1 match (exact key join, amount within the tolerance, date within the window, a row
//   with more than one candidate ambiguous) and writes its breaks to a file; the benchmark prints
//   its time, records/s, peak RSS and ratio_pandas_over_engine, and exits with status 3 when the
//   matches or the unmatched records per side differ from the engine's. Only with
//   TALLY_BENCH_LARGE=1 (packaging/bench.sh): CI's smoke run skips it, saying so.
// - SQLite doing the same two joins and storing the same leftovers (the same in-process SQLite the
//   store uses; its CLI would add only parsing), from the generated rows in memory. It does less:
//   no ambiguity detection and no determinism digest. ratio = peer time / engine time.
//
// - `tally reconcile`, the shipped command, as a process on the same files (BM_ReconcileCli1to1):
//   it also takes both files into a records store, every record with its raw bytes, and prints
//   every break. The pandas peer's ratio_pandas_over_cli compares with it, and it must find what
//   pandas finds too.
//
// Sizes: 20,000 records a side in CI's smoke run; TALLY_BENCH_LARGE=1 (packaging/bench.sh) adds
// 1 million, and TALLY_BENCH_HUGE=1 10 million a side. The end-to-end runs' memory bound is 2 GiB
// (the goal allows 4 GB resident; 10 million a side then stays in memory, about 1.4 GB);
// TALLY_BENCH_BOUND_MB=1024 makes the 10 million run spill, as the engine's default bound would.

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <poll.h>
#include <random>
#include <spawn.h>
#include <string>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/json.hpp>

#include <tally/adapters/csv.hpp>
#include <tally/adapters/profile_loader.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/sqlite.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/match_engine.hpp>
#include <tally/reconcile/record_store.hpp>
#include <tally/reconcile/run_store.hpp>

namespace tally {
namespace {

using reconcile::Side;

constexpr std::string_view kRules = R"({
  "name": "bench", "date_field": "value_date",
  "key": [{"left": "reference", "nfkc": false, "trim": false, "case": "keep"}],
  "rules": [
    {"name": "exact", "priority": 1, "kind": "one_to_one"},
    {"name": "tolerant", "priority": 2, "kind": "one_to_one",
     "amount_tolerance": {"absolute_minor": 100}, "date_window_days": 2}
  ]})";

// The files' profile: a header row, amounts in major units, ISO dates, keys as written.
constexpr std::string_view kProfile = R"({
  "name": "bench-1to1", "institution": "BENCH", "format": "csv", "encoding": "utf-8",
  "csv": {"delimiter": ",", "quote": "\"", "header": "row"},
  "fields": {"reference": {"column": "reference"}, "amount": {"column": "amount"},
             "value_date": {"column": "value_date"}},
  "dates": ["YYYY-MM-DD"], "amounts": {"decimal_separator": "."}, "currency": "CNY",
  "direction": {"from": "sign", "negative": "debit"},
  "keys": {"trim": false, "nfkc": false, "upper_case": false}
})";

constexpr std::int32_t kFirstDay = 19'723;  // 2024-01-01

struct Row {
  std::uint32_t number = 0;
  std::int64_t amount = 0;
  std::int32_t day = 0;
};

// Left: one movement a number. Right, in another order: 90% the same, 5% off by at most 0.50,
// 2% a day or two late, 1% missing, 1% off by more than the tolerance, 1% extra (not on the left).
struct Sides {
  std::vector<Row> left;
  std::vector<Row> right;
};

Sides generate(std::size_t count) {
  std::mt19937_64 rng(count);
  Sides sides;
  sides.left.reserve(count);
  sides.right.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const Row row{i, 100 + static_cast<std::int64_t>(rng() % 10'000'000),
                  kFirstDay + static_cast<std::int32_t>(rng() % 28)};
    sides.left.push_back(row);
    const auto pick = rng() % 100;
    Row other = row;
    if (pick < 90) {
    } else if (pick < 95) {
      other.amount += static_cast<std::int64_t>(rng() % 101) - 50;
    } else if (pick < 97) {
      other.day += 1 + static_cast<std::int32_t>(rng() % 2);
    } else if (pick < 98) {
      continue;
    } else if (pick < 99) {
      other.amount += 1'000;
    } else {
      other.number = static_cast<std::uint32_t>(count + i);
    }
    sides.right.push_back(other);
  }
  std::shuffle(sides.right.begin(), sides.right.end(), rng);
  return sides;
}

const Sides& sides_of(std::size_t count) {
  static std::map<std::size_t, Sides> cache;
  auto [it, fresh] = cache.try_emplace(count);
  if (fresh)
    it->second = generate(count);
  return it->second;
}

adapters::Record record_of(const Row& row, std::string& reference) {
  adapters::Record record(Amount{row.amount, Currency::from_code("CNY").value()},
                          adapters::Direction::credit);
  char text[16];
  std::snprintf(text, sizeof text, "R%09u", row.number);
  reference.assign(text);
  record.reference = reference;
  record.value_date = adapters::Date{std::chrono::sys_days{std::chrono::days{row.day}}};
  return record;
}

std::filesystem::path scratch(const std::string& name) {
  return std::filesystem::temp_directory_path() / str_cat("tally-bench-", ::getpid(), "-", name);
}

void write_csv(const std::filesystem::path& path, const std::vector<Row>& rows) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  TALLY_ASSERT(file != nullptr);
  std::fputs("reference,amount,value_date\n", file);
  for (const Row& row : rows) {
    const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{row.day}}};
    std::fprintf(file, "R%09u,%lld.%02lld,%04d-%02u-%02u\n", row.number,
                 static_cast<long long>(row.amount / 100), static_cast<long long>(row.amount % 100),
                 static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                 static_cast<unsigned>(date.day()));
  }
  TALLY_ASSERT(std::fclose(file) == 0);
}

// Both sides as CSV files, written once per size and removed when the process ends.
struct SideFiles {
  std::filesystem::path left;
  std::filesystem::path right;
  std::uint64_t records = 0;  // both sides
  ~SideFiles() {
    std::error_code ignored;
    std::filesystem::remove(left, ignored);
    std::filesystem::remove(right, ignored);
  }
};

const SideFiles& files_of(std::size_t count) {
  static std::map<std::size_t, SideFiles> cache;
  auto [it, fresh] = cache.try_emplace(count);
  if (fresh) {
    const Sides sides = generate(count);  // not cached: the run's resident set stays its own
    it->second.left = scratch(str_cat("left-", count, ".csv"));
    it->second.right = scratch(str_cat("right-", count, ".csv"));
    write_csv(it->second.left, sides.left);
    write_csv(it->second.right, sides.right);
    it->second.records = sides.left.size() + sides.right.size();
  }
  return it->second;
}

// VmHWM of a process (this one by default); 0 once it has exited.
double peak_rss_mb(const std::string& status_file = "/proc/self/status") {
  std::ifstream status(status_file);
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:"))
      return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  }
  return 0;
}

void remove_database(const std::filesystem::path& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(path.string() + suffix, ignored);
}

// Linux: writing 5 to clear_refs sets the peak (VmHWM) back to the current resident set, so each
// run reports its own peak rather than the largest of the process so far.
void reset_peak_rss() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

// User and system time of the whole process (every thread) so far. The machine is shared: under
// load, wall time says more about the neighbours than about the code, CPU time less so.
double process_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// What the engine found for a size, for the peers to compare against.
struct EngineOutcome {
  double seconds = 0;
  double cpu_seconds = 0;
  std::uint64_t matches = 0;  // groups (every group of this benchmark's rules is 1:1)
  std::uint64_t unmatched[2] = {0, 0};
};

// Every engine run of each size so far (one per repetition), for the peers to compare against.
std::map<std::size_t, std::vector<EngineOutcome>>& engine_outcomes() {
  static std::map<std::size_t, std::vector<EngineOutcome>> outcomes;
  return outcomes;
}

// Runs of one size as one: the median wall and CPU time (the upper median of an even
// count), the counts of the last run (every run finds the same); nullopt when it did not run.
std::optional<EngineOutcome> median_of(const std::vector<EngineOutcome>& outcomes) {
  if (outcomes.empty())
    return std::nullopt;
  std::vector<EngineOutcome> runs = outcomes;
  EngineOutcome median = runs.back();
  const auto middle = [&runs](auto field) {
    std::ranges::sort(runs, {}, field);
    return std::invoke(field, runs[runs.size() / 2]);
  };
  median.seconds = middle(&EngineOutcome::seconds);
  median.cpu_seconds = middle(&EngineOutcome::cpu_seconds);
  return median;
}

std::optional<EngineOutcome> engine_median(std::size_t count) {
  return median_of(engine_outcomes()[count]);
}

// Parses the two files at once, one thread each. Each thread makes its records into the engine's
// items itself (a MatchBatch: the costly part of adding a record, done in parallel) and hands a
// full batch to the engine under a lock (its add is not thread-safe, and a lock per record would
// cost more than the record). The records come as views (parse_csv_view: no Record built per
// row); sequence numbers count per file, so the order the batches arrive in does not matter.
Result<void> add_files(reconcile::MatchEngine& engine, const SideFiles& files) {
  const auto profile = adapters::load_profile(kProfile, "bench-1to1.json").value();
  std::mutex engine_lock;
  Result<void> outcome[2];
  const auto parse = [&](int index, Side side, const std::filesystem::path& path) {
    Hash256 file;
    file.data()[0] = static_cast<Byte>(index + 1);
    constexpr std::size_t kBatch = 65'536;  // ~1,000 a partition: chunks handed over whole
    auto batch = engine.batch(side, file);
    std::uint64_t seq = 0;
    const auto flush = [&]() -> Result<void> {
      const std::lock_guard held(engine_lock);
      return engine.add(batch);
    };
    auto source = adapters::FileSource::open(path);
    if (!source) {
      outcome[index] = std::unexpected(source.error());
      return;
    }
    const auto report =
        adapters::parse_csv_view(*source, profile, {path.filename().string(), "BENCH"},
                                 [&](const adapters::Record& record) -> Result<void> {
                                   TALLY_TRY_VOID(batch.add(seq++, record));
                                   return batch.size() == kBatch ? flush() : Result<void>{};
                                 });
    if (!report.ok()) {
      outcome[index] = fail(Errc::invalid_argument, str_cat(path.string(), ": refused"));
      return;
    }
    outcome[index] = flush();
  };
  {
    std::jthread right(parse, 1, Side::right, files.right);
    parse(0, Side::left, files.left);
  }
  for (auto& done : outcome)
    TALLY_TRY_VOID(std::move(done));
  return {};
}

// The end-to-end runs' memory bound: 2 GiB, or TALLY_BENCH_BOUND_MB.
std::size_t end_to_end_bound() {
  if (const char* mb = std::getenv("TALLY_BENCH_BOUND_MB"))
    return static_cast<std::size_t>(std::atoll(mb)) << 20;
  return std::size_t{2} << 30;
}

void BM_Reconcile1to1(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const SideFiles& files = files_of(count);
  const auto rules = reconcile::load_rules(kRules, "bench.json").value();
  EngineOutcome outcome;
  std::uint64_t breaks = 0;
  std::uint64_t spills = 0;
  double peak_mb = 0;
  // CPU and wall seconds of the phases: both files parsed and added; matched and emitted into the
  // writer; the run committed.
  std::array<double, 3> phases{};
  std::array<double, 3> wall_phases{};
  const auto db = scratch("reconcile.db");
  for (auto _ : state) {
    remove_database(db);
    reset_peak_rss();
    const auto start = std::chrono::steady_clock::now();
    const double start_cpu = process_cpu_seconds();
    auto store = reconcile::RecordStore::open(db).value();
    reconcile::MatchOptions options;
    options.memory_bound_bytes = end_to_end_bound();
    auto engine = reconcile::MatchEngine::create(rules, options).value();
    if (const auto added = add_files(engine, files); !added) {
      state.SkipWithError(added.error().message.c_str());
      return;
    }
    const double added_cpu = process_cpu_seconds();
    const auto added_at = std::chrono::steady_clock::now();
    const SystemClock clock;
    auto writer = reconcile::RunWriter::begin(store.database(), clock).value();
    const auto summary = engine.finish(writer).value();
    const double finished_cpu = process_cpu_seconds();
    const auto finished_at = std::chrono::steady_clock::now();
    if (!writer.commit(rules, options, summary))
      state.SkipWithError("commit failed");
    phases = {added_cpu - start_cpu, finished_cpu - added_cpu,
              process_cpu_seconds() - finished_cpu};
    const auto seconds = [](auto from, auto to) {
      return std::chrono::duration<double>(to - from).count();
    };
    const auto committed_at = std::chrono::steady_clock::now();
    wall_phases = {seconds(start, added_at), seconds(added_at, finished_at),
                   seconds(finished_at, committed_at)};
    outcome.seconds = seconds(start, committed_at);
    outcome.cpu_seconds = process_cpu_seconds() - start_cpu;
    peak_mb = peak_rss_mb();
    outcome.matches = summary.stats.groups;
    for (int side = 0; side < 2; ++side)
      outcome.unmatched[side] = summary.stats.records[side] - summary.stats.matched[side];
    breaks = summary.stats.breaks;
    spills = summary.stats.spill_files;
  }
  remove_database(db);  // the store is closed: its WAL and shared-memory files go too
  engine_outcomes()[count].push_back(outcome);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.records));
  state.counters["cpu_s"] = outcome.cpu_seconds;
  state.counters["cpu_parse_add_s"] = phases[0];
  state.counters["cpu_finish_s"] = phases[1];
  state.counters["cpu_commit_s"] = phases[2];
  state.counters["wall_parse_add_s"] = wall_phases[0];
  state.counters["wall_finish_s"] = wall_phases[1];
  state.counters["wall_commit_s"] = wall_phases[2];
  state.counters["matches"] = static_cast<double>(outcome.matches);
  state.counters["breaks"] = static_cast<double>(breaks);
  state.counters["spill_files"] = static_cast<double>(spills);
  state.counters["peak_rss_MB"] = peak_mb;
}

// The shipped command on the same files, as a process: `tally reconcile` takes both files into a
// records store first (every record with its raw bytes and source position, for audit; the
// engine is fed while each file is taken in, reading it once), then matches, commits the run and
// prints every break (JSON, to /dev/null). Its time is the process's, start-up included.
std::map<std::size_t, std::vector<EngineOutcome>>& cli_outcomes() {
  static std::map<std::size_t, std::vector<EngineOutcome>> outcomes;
  return outcomes;
}

struct ChildRun {
  int exit_code = -1;
  double seconds = 0;
  double cpu_seconds = 0;
  double peak_rss_mb = 0;
};

// Runs `argv` with stdout and stderr to /dev/null; its own CPU time and peak resident set.
Result<ChildRun> run_child(const std::vector<std::string>& words) {
  std::vector<char*> argv;
  for (const std::string& word : words)
    argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    return fail(Errc::io_error, str_cat("cannot run ", words[0]));
  // The child's own peak, read from /proc every 2 ms while it runs: wait4's ru_maxrss would
  // count this process's pages, which a spawned child shares until it executes. VmHWM only
  // grows, so the last reading misses at most the last 2 ms of growth. A pidfd wakes the wait
  // the moment the child exits, so its time is not rounded up to the next reading.
  const std::string status_file = str_cat("/proc/", pid, "/status");
  // (By syscall: glibc 2.36's <sys/pidfd.h> lacks C linkage for C++.)
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  ChildRun run;
  int status = 0;
  rusage usage{};
  for (;;) {
    run.peak_rss_mb = std::max(run.peak_rss_mb, peak_rss_mb(status_file));
    if (pidfd >= 0) {
      pollfd exited{pidfd, POLLIN, 0};
      (void)::poll(&exited, 1, 2);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
    if (done == pid)
      break;
    if (done != 0) {
      if (pidfd >= 0)
        ::close(pidfd);
      return fail(Errc::io_error, str_cat("lost ", words[0]));
    }
  }
  if (pidfd >= 0)
    ::close(pidfd);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  run.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

void write_text(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

void BM_ReconcileCli1to1(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const SideFiles& files = files_of(count);
  const auto rules = scratch("cli-rules.json");
  const auto profile = scratch("cli-profile.json");
  write_text(rules, kRules);
  write_text(profile, kProfile);
  const auto db = scratch("cli-records.db");
  EngineOutcome outcome;
  double peak_mb = 0;
  for (auto _ : state) {
    remove_database(db);
    const auto ran =
        run_child({TALLY_CLI_PATH, "reconcile", "--rules", rules.string(), "--left",
                   files.left.string(), "--right", files.right.string(), "--left-profile",
                   profile.string(), "--right-profile", profile.string(), "--db", db.string(),
                   "--format", "json", "--memory-mb", str_cat(end_to_end_bound() >> 20)});
    if (!ran || (ran->exit_code != 0 && ran->exit_code != 1)) {
      state.SkipWithError(ran ? str_cat("tally reconcile exited ", ran->exit_code).c_str()
                              : ran.error().message.c_str());
      return;
    }
    outcome.seconds = ran->seconds;
    outcome.cpu_seconds = ran->cpu_seconds;
    peak_mb = ran->peak_rss_mb;
  }
  {
    auto store = reconcile::RecordStore::open(db).value();
    const auto run = reconcile::read_run(store.database(), 1).value();
    if (!run) {
      state.SkipWithError("tally reconcile stored no run");
      return;
    }
    // Every group of these rules is 1:1: a record of each side.
    outcome.matches = run->groups;
    for (int side = 0; side < 2; ++side)
      outcome.unmatched[side] = run->records[side] - run->groups;
  }
  remove_database(db);
  std::filesystem::remove(rules);
  std::filesystem::remove(profile);
  cli_outcomes()[count].push_back(outcome);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.records));
  state.counters["cpu_s"] = outcome.cpu_seconds;
  state.counters["matches"] = static_cast<double>(outcome.matches);
  state.counters["peak_rss_MB"] = peak_mb;
  if (const auto engine = engine_median(count))
    state.counters["ratio_cli_over_engine"] = outcome.seconds / engine->seconds;
}

struct PandasAnswer {
  double seconds = 0;
  double cpu_seconds = 0;
  std::uint64_t matches = 0;
  std::uint64_t unmatched[2] = {0, 0};
  double peak_rss_mb = 0;
};

// Runs the script with Debian's Python (where python3-pandas is), not whatever python3 is first
// on the PATH; its one line of JSON.
Result<PandasAnswer> run_pandas(const SideFiles& files, const std::filesystem::path& breaks) {
  const std::string command =
      str_cat("/usr/bin/python3 '", TALLY_SOURCE_DIR, "/test/bench/reconcile_pandas.py' --left '",
              files.left.string(), "' --right '", files.right.string(), "' --breaks '",
              breaks.string(), "' --tolerance-minor 100 --window-days 2");
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return fail(Errc::io_error, "pandas peer: popen failed");
  std::string out;
  char chunk[512];
  while (std::fgets(chunk, sizeof chunk, pipe) != nullptr)
    out += chunk;
  if (::pclose(pipe) != 0)
    return fail(Errc::io_error, "pandas peer: the script failed (is python3-pandas installed?)");
  boost::system::error_code error;
  const auto parsed = boost::json::parse(out, error);
  if (error || !parsed.is_object())
    return fail(Errc::invalid_argument, str_cat("pandas peer: no JSON in '", out, "'"));
  const auto& object = parsed.as_object();
  PandasAnswer answer;
  answer.seconds = object.at("seconds").to_number<double>();
  answer.cpu_seconds = object.at("cpu_seconds").to_number<double>();
  answer.matches = object.at("matches").to_number<std::uint64_t>();
  answer.unmatched[0] = object.at("left_breaks").to_number<std::uint64_t>();
  answer.unmatched[1] = object.at("right_breaks").to_number<std::uint64_t>();
  answer.peak_rss_mb = object.at("peak_rss_mb").to_number<double>();
  return answer;
}

// A disagreement fails the whole run: the ratio would compare different work.
void require_same(std::size_t count, const PandasAnswer& theirs, const EngineOutcome& ours) {
  if (ours.matches == theirs.matches && ours.unmatched[0] == theirs.unmatched[0] &&
      ours.unmatched[1] == theirs.unmatched[1])
    return;
  std::fprintf(stderr,
               "FAIL: pandas and the engine disagree on %zu a side: matches %llu vs %llu, "
               "unmatched left %llu vs %llu, right %llu vs %llu\n",
               count, static_cast<unsigned long long>(theirs.matches),
               static_cast<unsigned long long>(ours.matches),
               static_cast<unsigned long long>(theirs.unmatched[0]),
               static_cast<unsigned long long>(ours.unmatched[0]),
               static_cast<unsigned long long>(theirs.unmatched[1]),
               static_cast<unsigned long long>(ours.unmatched[1]));
  std::exit(3);
}

// The pandas peer on the same files; see the top of this file.
void BM_Reconcile1to1Pandas(benchmark::State& state) {
  if (std::getenv("TALLY_BENCH_LARGE") == nullptr) {
    state.SkipWithError("skipped: the pandas peer runs only with TALLY_BENCH_LARGE=1");
    return;
  }
  const auto count = static_cast<std::size_t>(state.range(0));
  const SideFiles& files = files_of(count);
  const auto breaks_file = scratch(str_cat("pandas-breaks-", count, ".csv"));
  PandasAnswer answer;
  double wall = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto ran = run_pandas(files, breaks_file);
    wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!ran) {
      state.SkipWithError(ran.error().message.c_str());
      return;
    }
    answer = *ran;
  }
  std::filesystem::remove(breaks_file);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(files.records));
  state.counters["seconds_in_script"] = answer.seconds;
  state.counters["cpu_s"] = answer.cpu_seconds;
  state.counters["seconds_with_startup"] = wall;
  state.counters["records_per_s_in_script"] = static_cast<double>(files.records) / answer.seconds;
  state.counters["matches"] = static_cast<double>(answer.matches);
  state.counters["peak_rss_MB"] = answer.peak_rss_mb;
  const auto engine = engine_median(count);
  if (!engine) {
    std::fprintf(stderr, "pandas peer, %zu a side: the engine did not run, nothing compared\n",
                 count);
    return;
  }
  require_same(count, answer, *engine);
  // The script's own time (reading to breaks written), not Python's start-up: kind to pandas;
  // against the median of the engine's runs of this size in this process.
  state.counters["ratio_pandas_over_engine"] = answer.seconds / engine->seconds;
  state.counters["cpu_ratio_pandas_over_engine"] = answer.cpu_seconds / engine->cpu_seconds;
  state.counters["engine_runs"] = static_cast<double>(engine_outcomes()[count].size());
  if (const auto cli = median_of(cli_outcomes()[count])) {
    require_same(count, answer, *cli);
    state.counters["ratio_pandas_over_cli"] = answer.seconds / cli->seconds;
  }
}

// Counts what the engine emits, storing nothing: the engine's own share of the time above.
class CountingSink final : public reconcile::MatchSink {
 public:
  Result<void> on_group(const reconcile::MatchGroup&) override {
    ++groups;
    return {};
  }
  Result<void> on_packed_groups(BytesView, std::size_t count) override {
    groups += count;
    return {};
  }
  Result<void> on_break(const reconcile::Break&) override {
    ++breaks;
    return {};
  }
  std::uint64_t groups = 0;
  std::uint64_t breaks = 0;
};

// state.range(1): the engine's memory bound in MiB (0: the default 1 GiB).
void BM_Match1to1WithoutStore(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const Sides& sides = sides_of(count);
  const auto rules = reconcile::load_rules(kRules, "bench.json").value();
  reconcile::MatchOptions options;
  if (state.range(1) > 0)
    options.memory_bound_bytes = static_cast<std::size_t>(state.range(1)) << 20;
  CountingSink sink;
  std::uint64_t spills = 0;
  for (auto _ : state) {
    auto engine = reconcile::MatchEngine::create(rules, options).value();
    std::string reference;
    Hash256 left_file;
    Hash256 right_file;
    left_file.data()[0] = 1;
    right_file.data()[0] = 2;
    for (std::size_t i = 0; i < sides.left.size(); ++i) {
      if (!engine.add(Side::left, left_file, i, record_of(sides.left[i], reference)))
        state.SkipWithError("add failed");
    }
    for (std::size_t i = 0; i < sides.right.size(); ++i) {
      if (!engine.add(Side::right, right_file, i, record_of(sides.right[i], reference)))
        state.SkipWithError("add failed");
    }
    sink = CountingSink{};
    const auto summary = engine.finish(sink);
    if (!summary)
      state.SkipWithError("finish failed");
    else
      spills = summary->stats.spill_files;
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(sides.left.size() + sides.right.size()));
  state.counters["breaks"] = static_cast<double>(sink.breaks);
  state.counters["spill_files"] = static_cast<double>(spills);
  state.counters["peak_rss_MB"] = peak_rss_mb();
}

// The same match in SQL: load both sides, index, exact join, tolerant join on what is left,
// store the leftovers as breaks.
void BM_Reconcile1to1SqlitePeer(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const Sides& sides = sides_of(count);
  double seconds = 0;
  std::int64_t breaks = 0;
  for (auto _ : state) {
    const auto path = scratch("peer.db");
    std::filesystem::remove(path);
    const auto start = std::chrono::steady_clock::now();
    auto db = sqlite::Database::open(path).value();
    const auto must = [&state](Result<void> done) {
      if (!done)
        state.SkipWithError(done.error().message.c_str());
    };
    must(
        db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                   "CREATE TABLE l (id INTEGER PRIMARY KEY, ref TEXT, amount INT, day INT);"
                   "CREATE TABLE r (id INTEGER PRIMARY KEY, ref TEXT, amount INT, day INT);"
                   "CREATE TABLE m (lid INT, rid INT, rule TEXT);"
                   "CREATE TABLE b (side TEXT, id INT);"));
    must(db.execute("BEGIN"));
    for (const auto& [table, rows] : {std::pair{"l", &sides.left}, std::pair{"r", &sides.right}}) {
      auto insert = db.prepare(str_cat("INSERT INTO ", table, " VALUES (?1, ?2, ?3, ?4)")).value();
      std::int64_t id = 0;
      std::string reference;
      for (const Row& row : *rows) {
        sqlite::ResetOnExit reset(insert);
        char text[16];
        std::snprintf(text, sizeof text, "R%09u", row.number);
        must(insert.bind(1, id++));
        must(insert.bind_text(2, text));
        must(insert.bind(3, row.amount));
        must(insert.bind(4, std::int64_t{row.day}));
        must(insert.run());
      }
    }
    must(
        db.execute("CREATE INDEX r_ref ON r (ref);"
                   "INSERT INTO m SELECT l.id, r.id, 'exact' FROM l JOIN r ON r.ref = l.ref AND "
                   "  r.amount = l.amount AND r.day = l.day;"
                   "CREATE INDEX m_l ON m (lid); CREATE INDEX m_r ON m (rid);"
                   "INSERT INTO m SELECT l.id, r.id, 'tolerant' FROM l JOIN r ON r.ref = l.ref "
                   "  WHERE abs(r.amount - l.amount) <= 100 AND abs(r.day - l.day) <= 2 "
                   "  AND l.id NOT IN (SELECT lid FROM m) AND r.id NOT IN (SELECT rid FROM m);"
                   "INSERT INTO b SELECT 'left', id FROM l WHERE id NOT IN (SELECT lid FROM m);"
                   "INSERT INTO b SELECT 'right', id FROM r WHERE id NOT IN (SELECT rid FROM m);"
                   "COMMIT;"));
    auto counted = db.prepare("SELECT count(*) FROM b").value();
    if (counted.step().value_or(false))
      breaks = counted.column_int64(0);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::filesystem::remove(path);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(sides.left.size() + sides.right.size()));
  state.counters["breaks"] = static_cast<double>(breaks);
  if (const auto engine = engine_median(count))
    state.counters["ratio_peer_over_engine"] = seconds / engine->seconds;
}

void sizes(benchmark::internal::Benchmark* benchmark) {
  benchmark->Arg(20'000);
  if (const char* records = std::getenv("TALLY_BENCH_RECONCILE_RECORDS"))
    benchmark->Arg(std::atol(records));  // one more size, for a quick look
  if (std::getenv("TALLY_BENCH_LARGE") != nullptr) {
    benchmark->Arg(1'000'000);
    if (std::getenv("TALLY_BENCH_HUGE") != nullptr)
      benchmark->Arg(10'000'000);
  }
  benchmark->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK(BM_Reconcile1to1)->Apply(sizes);
BENCHMARK(BM_ReconcileCli1to1)->Apply(sizes);
BENCHMARK(BM_Reconcile1to1Pandas)->Apply(sizes);
BENCHMARK(BM_Reconcile1to1SqlitePeer)->Apply(sizes);
// The engine alone, with its default bound and with 16 MiB, which makes it spill.
void sizes_and_bounds(benchmark::internal::Benchmark* benchmark) {
  benchmark->Unit(benchmark::kMillisecond)->UseRealTime();
  benchmark->ArgsProduct({{20'000}, {0, 16}});
  if (const char* records = std::getenv("TALLY_BENCH_RECONCILE_RECORDS"))
    benchmark->ArgsProduct({{std::atol(records)}, {0, 16}});
  if (std::getenv("TALLY_BENCH_LARGE") != nullptr)
    benchmark->ArgsProduct({{1'000'000}, {0, 16}});
  if (std::getenv("TALLY_BENCH_HUGE") != nullptr)
    benchmark->ArgsProduct({{10'000'000}, {0}});
}

BENCHMARK(BM_Match1to1WithoutStore)->Apply(sizes_and_bounds);

}  // namespace
}  // namespace tally
