// parse_fixed_width throughput on a generated GBK settlement file (the shipped partner-gbk-fixed
// profile: 80-byte detail records with five-character Chinese names in GBK, fullwidth loan ids on
// some records, implied-decimal amounts, a trailer whose count and sum are checked). Streamed from
// a repeated block, so the peak RSS counter shows the parser's own memory: compare it between the
// sizes (4 MB by default; 64 and 256 MB with TALLY_BENCH_LARGE=1). The goal is at least
// 200 MB/s per core.
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include <tally/adapters/fixed_width.hpp>
#include <tally/adapters/profile_loader.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

#include "repeating_source.hpp"

namespace {

using tally::str_cat;

constexpr std::size_t kBlockBytes = 1 << 20;

// GBK bytes of five-character names (10 bytes each): 欧阳修文忠, 张三李四王, 诸葛孔明亮.
const char* const kNames[] = {"\xC5\xB7\xD1\xF4\xD0\xDE\xCE\xC4\xD6\xD2",
                              "\xD5\xC5\xC8\xFD\xC0\xEE\xCB\xC4\xCD\xF5",
                              "\xD6\xEE\xB8\xF0\xBF\xD7\xC3\xF7\xC1\xC1"};
// ＬＯＡＮ－ in GBK: fullwidth, folded by NFKC.
const std::string kFullwidthLoan = "\xA3\xCC\xA3\xCF\xA3\xC1\xA3\xCE\xA3\xAD";

std::string padded(std::string text, std::size_t width, char fill = ' ', bool left = false) {
  TALLY_ASSERT(text.size() <= width);
  const std::string padding(width - text.size(), fill);
  return left ? padding + text : text + padding;
}

struct Block {
  std::string text;
  std::uint64_t records = 0;
  std::int64_t sum_minor = 0;
};

Block make_block() {
  std::mt19937_64 rng(20240131);  // fixed: every run measures the same file
  Block block;
  while (block.text.size() < kBlockBytes) {
    const std::int64_t amount = static_cast<std::int64_t>(rng() % 100'000'000) + 1;
    const bool fullwidth = block.records % 10 == 0;
    const std::string loan =
        fullwidth ? kFullwidthLoan + str_cat(rng() % 1000) : str_cat("LOAN-", rng() % 10'000'000);
    block.text +=
        str_cat("D", padded(loan, 20), kNames[rng() % 3], "20240131CNY",
                padded(std::to_string(amount), 15, '0', true), rng() % 2 ? "C" : "D",
                rng() % 2 ? "01" : "02", padded(str_cat("REF", block.records), 20), "\r\n");
    ++block.records;
    block.sum_minor += amount;
  }
  return block;
}

void BM_FixedWidthParse(benchmark::State& state) {
  static const Block block = make_block();
  static const tally::adapters::Profile profile =
      tally::adapters::load_embedded_profile("partner-gbk-fixed").value();
  const auto repeats = static_cast<std::uint64_t>(state.range(0)) * (1 << 20) / block.text.size();
  const std::string head = padded("H20240131PARTNER01", 30) + "\r\n";
  const std::string tail = str_cat(
      "T", padded(std::to_string(block.records * repeats), 8, '0', true),
      padded(std::to_string(block.sum_minor * static_cast<std::int64_t>(repeats)), 17, '0', true),
      "    \r\n");
  const double file_bytes =
      static_cast<double>(head.size() + tail.size() + block.text.size() * repeats);
  const double rss_before = tally::bench::peak_rss_mb();
  std::uint64_t records = 0;
  for (auto _ : state) {
    tally::bench::RepeatingSource source(head, block.text, repeats, tail);
    const auto report = tally::adapters::parse_fixed_width(
        source, profile, {"bench", "bank"},
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
BENCHMARK(BM_FixedWidthParse)->Arg(4)->Unit(benchmark::kMillisecond);

// The 200+ MB files of the goal: only for real runs (TALLY_BENCH_LARGE=1).
const bool kLargeFiles = [] {
  const char* large = std::getenv("TALLY_BENCH_LARGE");
  if (large == nullptr || std::string_view(large) != "1")
    return false;
  benchmark::RegisterBenchmark("BM_FixedWidthParse", BM_FixedWidthParse)
      ->Arg(64)
      ->Arg(256)
      ->Unit(benchmark::kMillisecond);
  return true;
}();

}  // namespace
