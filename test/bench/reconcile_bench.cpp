// Matching end to end: records of two sources through the engine (1:1 exact, then 1:1 within
// 1.00 and two days) into a SQLite store of the run, its groups and breaks. Reported: records/s
// (both sides), the process's peak resident set (VmHWM) and, beside it, SQLite doing the same two
// joins and storing the same leftovers as a peer (the same in-process SQLite the store uses; its
// CLI would add only parsing). The peer does less: no ambiguity detection and no determinism
// digest. ratio = peer time / engine time for the same size.
//
// Sizes: 20,000 records a side in CI's smoke run; TALLY_BENCH_LARGE=1 (packaging/bench.sh) adds
// 1 million and 10 million a side. The engine's memory bound is 1 GiB: the 10 million run spills.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include <benchmark/benchmark.h>

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

const Sides& sides_of(std::size_t count) {
  static std::map<std::size_t, Sides> cache;
  auto [it, fresh] = cache.try_emplace(count);
  if (!fresh)
    return it->second;
  std::mt19937_64 rng(count);
  Sides& sides = it->second;
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

double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:"))
      return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  }
  return 0;
}

std::filesystem::path scratch(const std::string& name) {
  return std::filesystem::temp_directory_path() / str_cat("tally-bench-", ::getpid(), "-", name);
}

std::map<std::size_t, double>& engine_seconds() {
  static std::map<std::size_t, double> seconds;
  return seconds;
}

void BM_Reconcile1to1(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const Sides& sides = sides_of(count);
  const auto rules = reconcile::load_rules(kRules, "bench.json").value();
  std::uint64_t breaks = 0;
  std::uint64_t spills = 0;
  double seconds = 0;
  for (auto _ : state) {
    const auto db = scratch("reconcile.db");
    std::filesystem::remove(db);
    const auto start = std::chrono::steady_clock::now();
    auto store = reconcile::RecordStore::open(db).value();
    reconcile::MatchOptions options;
    options.memory_bound_bytes = std::size_t{1} << 30;
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
    const SystemClock clock;
    auto writer = reconcile::RunWriter::begin(store.database(), clock).value();
    const auto summary = engine.finish(writer).value();
    if (!writer.commit(rules, options, summary))
      state.SkipWithError("commit failed");
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    breaks = summary.stats.breaks;
    spills = summary.stats.spill_files;
    std::filesystem::remove(db);
  }
  engine_seconds()[count] = seconds;
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(sides.left.size() + sides.right.size()));
  state.counters["breaks"] = static_cast<double>(breaks);
  state.counters["spill_files"] = static_cast<double>(spills);
  state.counters["peak_rss_MB"] = peak_rss_mb();
}

// Counts what the engine emits, storing nothing: the engine's own share of the time above.
class CountingSink final : public reconcile::MatchSink {
 public:
  Result<void> on_group(const reconcile::MatchGroup&) override {
    ++groups;
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
  if (const auto engine = engine_seconds().find(count); engine != engine_seconds().end())
    state.counters["ratio_peer_over_engine"] = seconds / engine->second;
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
