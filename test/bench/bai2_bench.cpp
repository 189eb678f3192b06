// parse_bai2 throughput on a generated statement held in memory (20 MB; 1 MB under the
// sanitizers, where the benchmark only has to keep working): MB/s and 16 records/s.
#include <cstdint>
#include <string>

#include <benchmark/benchmark.h>

#include <tally/adapters/bai2.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace {

using tally::str_cat;

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kFileBytes = 1 << 20;
#else
constexpr std::size_t kFileBytes = 20 << 20;
#endif
constexpr int kDetailsPerAccount = 50;

// Accounts of details in the style of the newline-delimited samples: references, a text with
// commas and two continuations each; trailers computed so the file is valid.
std::string generate() {
  std::string out = "01,BANK,CUST,240131,1200,7,,,2/\n02,CUST,BANK,1,240130,2400,USD,/\n";
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  std::int64_t group_total = 0;
  std::uint64_t group_records = 2;
  std::uint64_t accounts = 0;
  while (out.size() < kFileBytes) {
    std::int64_t total = 1000;
    out += str_cat("03,", 100000 + accounts, ",USD,010,1000,,,060,,,/\n");
    for (int d = 0; d < kDetailsPerAccount; ++d) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const auto amount = static_cast<std::int64_t>((state >> 33) % 100'000'000);
      out += str_cat("16,", d % 2 == 0 ? "195" : "495", ",", amount, ",V,240129,,GI", state >> 40,
                     ",REF/", d, ",Incoming Wire,From: TEST COMPANY, Client Ref ID: ", d,
                     "\n88,EREF: ", state >> 20, "\n88,CRNM: SAMPLE INC\n");
      total += amount;
    }
    const int records = 2 + 3 * kDetailsPerAccount;
    out += str_cat("49,", total, ",", records, "/\n");
    group_total += total;
    group_records += static_cast<std::uint64_t>(records);
    ++accounts;
  }
  out += str_cat("98,", group_total, ",", accounts, ",", group_records, "/\n99,", group_total,
                 ",1,", group_records + 2, "/\n");
  return out;
}

void BM_Bai2Parse(benchmark::State& state) {
  static const std::string file = generate();
  std::uint64_t records = 0;
  for (auto _ : state) {
    tally::adapters::MemorySource source(tally::as_bytes(file));
    const auto report = tally::adapters::parse_bai2(
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
}
BENCHMARK(BM_Bai2Parse)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
