// MT940 parsing throughput on a generated file (support/file_bench.hpp: 8 MB, or 50 and 200 MB
// for real runs): statements of 200 lines each, every :61: followed by a structured SEPA :86: of
// four lines, balances that add up (the parse checks them). The goal is at least
// 150 MB/s per core, with memory flat as the file grows.

#include <cstdint>
#include <memory>
#include <random>
#include <string>

#include <benchmark/benchmark.h>

#include <tally/adapters/mt940.hpp>
#include <tally/core/str_cat.hpp>

#include "support/file_bench.hpp"

namespace {

using tally::str_cat;

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

class Mt940Generator final : public tally::bench::FileGenerator {
 public:
  void begin(std::string&) override {}
  void next(std::string& out) override {
    ++statement_;
    out += str_cat(":20:STMT", statement_,
                   "\n:25:DE89370400440532013000\n:28C:", statement_ % 99999, "/1\n");
    out += balance("60F", running_);
    for (int i = 0; i < kLinesPerStatement; ++i) {
      const std::int64_t amount = static_cast<std::int64_t>(rng_() % 5'000'000) + 1;
      const bool credit = rng_() % 2 == 0;
      running_ += credit ? amount : -amount;
      out += str_cat(":61:2401310131", credit ? "C" : "D", cents(amount), "NTRFREF", i, "//B",
                     statement_, "-", i, "\n");
      out += str_cat(":86:166?00SEPA-UEBERWEISUNG?100399?20EREF+E2E-", statement_, "-", i,
                     "?21SVWZ+Invoice ", rng_() % 1'000'000, " of January\n",
                     "?22customer number 4711 contract 0815?30DEUTDEFFXXX?31DE8937040044\n",
                     "0532013000?32ACME TRADING GMBH AND?33 CO KG BERLIN?34000\n");
    }
    out += balance("62F", running_);
    out += "-\n";
  }
  void end(std::string&) override {}

 private:
  std::mt19937_64 rng_{20240131};  // fixed: every run measures the same file
  std::int64_t running_ = 100'000'000;
  int statement_ = 0;
};

const bool kRegistered = [] {
  tally::bench::register_file_benchmark(
      "BM_Mt940Parse", [] { return std::make_unique<Mt940Generator>(); },
      tally::adapters::parse_mt940);
  return true;
}();

}  // namespace
