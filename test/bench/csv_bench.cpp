// parse_csv throughput on a generated joint-loan file (the shipped platform-joint-loan profile:
// UTF-8 with BOM, preamble, Chinese header found by names, 16 columns, quoted amounts with
// grouping, Chinese names and notes, a 合计 trailer whose count and sum are checked). The file is a
// block repeated, written to disk and read back (support/file_bench.hpp: 8 MB, or 50 and 200 MB
// with TALLY_BENCH_LARGE=1); rss_growth_MB shows the parser's memory stays flat. The issue's
// goal is at least 300 MB/s per core.
#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include <tally/adapters/csv.hpp>
#include <tally/adapters/profile_loader.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

#include "support/file_bench.hpp"

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

std::unique_ptr<tally::bench::FileGenerator> joint_loan_file() {
  static const Block block = make_block();
  return std::make_unique<tally::bench::RepeatedBlockGenerator>(
      "\xEF\xBB\xBF联合贷款对账单\r\n交易流水号,借据号,期次,交易类型,借贷标志,合作银行,"
      "出资比例,"
      "交易日期,起息日,币种,金额,本金,利息,罚息,费用,备注\r\n",
      block.text, [](std::uint64_t blocks) {
        const auto repeats = static_cast<std::int64_t>(blocks);
        return str_cat("合计,", block.records * blocks, ",,,,,,,,,",
                       money(block.sum_minor * repeats, false), ",,,,,\r\n");
      });
}

const tally::adapters::Profile& joint_loan_profile() {
  static const tally::adapters::Profile profile =
      tally::adapters::load_embedded_profile("platform-joint-loan").value();
  return profile;
}

const bool kRegistered = [] {
  tally::bench::register_file_benchmark(
      "BM_CsvParse", joint_loan_file,
      [](tally::adapters::ByteSource& source, const tally::adapters::ParseOptions& options,
         const tally::adapters::RecordSink& sink) {
        return tally::adapters::parse_csv(source, joint_loan_profile(), options, sink);
      });
  // The same file through parse_csv_view (one Record reused, no raw bytes copied), as the
  // matching engine reads files. The harness's sink samples the resident set per call, so it
  // is given a copy of every 256th record: enough for the memory figure, too few to cost.
  tally::bench::register_file_benchmark(
      "BM_CsvParseView", joint_loan_file,
      [](tally::adapters::ByteSource& source, const tally::adapters::ParseOptions& options,
         const tally::adapters::RecordSink& sink) {
        std::uint64_t seen = 0;
        return tally::adapters::parse_csv_view(
            source, joint_loan_profile(), options,
            [&](const tally::adapters::Record& record) -> tally::Result<void> {
              benchmark::DoNotOptimize(record.amount);
              return ++seen % 256 == 0 ? sink(tally::adapters::Record(record))
                                       : tally::Result<void>{};
            });
      });
  return true;
}();

}  // namespace
