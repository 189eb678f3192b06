// parse_csv throughput on a generated joint-loan file (the shipped platform-joint-loan profile:
// UTF-8 with BOM, preamble, Chinese header found by names, 16 columns, quoted amounts with
// grouping, Chinese names and notes, a 合计 trailer whose count and sum are checked). The file is
// streamed from a repeated block, so the peak RSS counter shows the parser's own memory: compare
// it between the sizes (4 MB by default; 64 and 256 MB with TALLY_BENCH_LARGE=1). The issue's
// goal is at least 300 MB/s per core.
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include <tally/adapters/csv.hpp>
#include <tally/adapters/profile_loader.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

#include "repeating_source.hpp"

namespace {

using tally::str_cat;

constexpr std::size_t kBlockBytes = 1 << 20;

std::string money(std::int64_t minor, bool grouped) {
  const std::int64_t whole = minor / 100;
  const std::string digits = std::to_string(whole);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (grouped && i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  const std::int64_t cents = minor % 100;
  return str_cat(out, ".", cents < 10 ? "0" : "", cents);
}

struct Block {
  std::string text;
  std::uint64_t records = 0;
  std::int64_t sum_minor = 0;
};

Block make_block() {
  std::mt19937_64 rng(20240131);  // fixed: every run measures the same file
  Block block;
  const char* partners[] = {"合作银行甲", "合作银行乙", "Partner Bank C"};
  while (block.text.size() < kBlockBytes) {
    const std::int64_t principal = static_cast<std::int64_t>(rng() % 10'000'000) + 100;
    const std::int64_t interest = static_cast<std::int64_t>(rng() % 100'000);
    const std::int64_t fee = static_cast<std::int64_t>(rng() % 1'000);
    const std::int64_t amount = principal + interest + fee;
    block.text += str_cat("TX", block.records, ",LOAN-", rng() % 100'000, ",", rng() % 36 + 1,
                          ",还款,贷,", partners[rng() % 3], ",30.00%,2024-01-31,20240131,CNY,\"",
                          money(amount, true), "\",", money(principal, false), ",",
                          money(interest, false), ",0.00,", money(fee, false),
                          block.records % 7 == 0 ? ",\"逾期, 已结清\"\r\n" : ",正常还款\r\n");
    ++block.records;
    block.sum_minor += amount;
  }
  return block;
}

void BM_CsvParse(benchmark::State& state) {
  static const Block block = make_block();
  static const tally::adapters::Profile profile =
      tally::adapters::load_embedded_profile("platform-joint-loan").value();
  const auto repeats = static_cast<std::uint64_t>(state.range(0)) * (1 << 20) / block.text.size();
  const std::string head =
      "\xEF\xBB\xBF联合贷款对账单\r\n交易流水号,借据号,期次,交易类型,借贷标志,合作银行,出资比例,"
      "交易日期,起息日,币种,金额,本金,利息,罚息,费用,备注\r\n";
  const std::string tail =
      str_cat("合计,", block.records * repeats, ",,,,,,,,,",
              money(block.sum_minor * static_cast<std::int64_t>(repeats), false), ",,,,,\r\n");
  const double file_bytes =
      static_cast<double>(head.size() + tail.size() + block.text.size() * repeats);
  const double rss_before = tally::bench::peak_rss_mb();
  std::uint64_t records = 0;
  for (auto _ : state) {
    tally::bench::RepeatingSource source(head, block.text, repeats, tail);
    const auto report =
        tally::adapters::parse_csv(source, profile, {"bench", "bank"},
                                   [](tally::adapters::Record&& record) -> tally::Result<void> {
                                     benchmark::DoNotOptimize(record);
                                     return {};
                                   });
    TALLY_ASSERT(report.ok());
    records += report.records();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(file_bytes) * state.iterations());
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
  state.counters["file_MB"] = file_bytes / 1e6;
  state.counters["peak_rss_MB"] = tally::bench::peak_rss_mb();
  state.counters["rss_growth_MB"] = tally::bench::peak_rss_mb() - rss_before;
}
BENCHMARK(BM_CsvParse)->Arg(4)->Unit(benchmark::kMillisecond);

// The 200+ MB files of the goal: only for real runs (TALLY_BENCH_LARGE=1).
const bool kLargeFiles = [] {
  const char* large = std::getenv("TALLY_BENCH_LARGE");
  if (large == nullptr || std::string_view(large) != "1")
    return false;
  benchmark::RegisterBenchmark("BM_CsvParse", BM_CsvParse)
      ->Arg(64)
      ->Arg(256)
      ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
