// MT940 parsing throughput on a generated file of ~20 MB: statements of 200 lines each, every
// :61: followed by a structured SEPA :86: of four lines, balances that add up (the parse checks
// them). The goal is at least 150 MB/s per core.

#include <cstdint>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include <tally/adapters/mt940.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace {

using tally::str_cat;

constexpr std::size_t kTargetBytes = 20 * 1024 * 1024;
constexpr int kLinesPerStatement = 200;

std::string cents(std::int64_t minor) {
  const std::int64_t whole = minor / 100;
  const std::int64_t fraction = minor % 100;
  return str_cat(whole, ",", fraction < 10 ? "0" : "", fraction);
}

std::string balance(std::string_view tag, std::int64_t minor) {
  return str_cat(":", tag, ":", minor < 0 ? "D" : "C", "240131EUR",
                 cents(minor < 0 ? -minor : minor), "\n");
}

std::string make_file() {
  std::mt19937_64 rng(20240131);  // fixed: every run measures the same file
  std::string out;
  out.reserve(kTargetBytes + 64 * 1024);
  std::int64_t running = 100'000'000;
  for (int statement = 1; out.size() < kTargetBytes; ++statement) {
    out += str_cat(":20:STMT", statement, "\n:25:DE89370400440532013000\n:28C:", statement % 99999,
                   "/1\n");
    out += balance("60F", running);
    for (int i = 0; i < kLinesPerStatement; ++i) {
      const std::int64_t amount = static_cast<std::int64_t>(rng() % 5'000'000) + 1;
      const bool credit = rng() % 2 == 0;
      running += credit ? amount : -amount;
      out += str_cat(":61:2401310131", credit ? "C" : "D", cents(amount), "NTRFREF", i, "//B",
                     statement, "-", i, "\n");
      out += str_cat(":86:166?00SEPA-UEBERWEISUNG?100399?20EREF+E2E-", statement, "-", i,
                     "?21SVWZ+Invoice ", rng() % 1'000'000, " of January\n",
                     "?22customer number 4711 contract 0815?30DEUTDEFFXXX?31DE8937040044\n",
                     "0532013000?32ACME TRADING GMBH AND?33 CO KG BERLIN?34000\n");
    }
    out += balance("62F", running);
    out += "-\n";
  }
  return out;
}

void BM_Mt940Parse(benchmark::State& state) {
  static const std::string file = make_file();
  std::uint64_t records = 0;
  for (auto _ : state) {
    tally::adapters::MemorySource source(tally::as_bytes(file));
    const auto report = tally::adapters::parse_mt940(
        source, {"bench", "bank"}, [](tally::adapters::Record&& record) -> tally::Result<void> {
          benchmark::DoNotOptimize(record);
          return {};
        });
    TALLY_ASSERT(report.ok());
    records += report.records();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(file.size()));
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
  state.counters["file_MB"] = static_cast<double>(file.size()) / 1e6;
}
BENCHMARK(BM_Mt940Parse)->Unit(benchmark::kMillisecond);

}  // namespace
