// parse_bai2 throughput on a generated file (support/file_bench.hpp: 8 MB, or 50 and 200 MB for
// real runs): accounts of details in the style of the newline-delimited samples (references, a
// text with commas and two continuations each), trailers computed so the file is valid. Memory
// must stay flat as the file grows.
#include <cstdint>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include <tally/adapters/bai2.hpp>
#include <tally/core/str_cat.hpp>

#include "support/file_bench.hpp"

namespace {

using tally::str_cat;

constexpr int kDetailsPerAccount = 50;

class Bai2Generator final : public tally::bench::FileGenerator {
 public:
  void begin(std::string& out) override {
    out += "01,BANK,CUST,240131,1200,7,,,2/\n02,CUST,BANK,1,240130,2400,USD,/\n";
  }
  void next(std::string& out) override {
    std::int64_t total = 1000;
    out += str_cat("03,", 100000 + accounts_, ",USD,010,1000,,,060,,,/\n");
    for (int d = 0; d < kDetailsPerAccount; ++d) {
      state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
      const auto amount = static_cast<std::int64_t>((state_ >> 33) % 100'000'000);
      out += str_cat("16,", d % 2 == 0 ? "195" : "495", ",", amount, ",V,240129,,GI", state_ >> 40,
                     ",REF/", d, ",Incoming Wire,From: TEST COMPANY, Client Ref ID: ", d,
                     "\n88,EREF: ", state_ >> 20, "\n88,CRNM: SAMPLE INC\n");
      total += amount;
    }
    const int records = 2 + 3 * kDetailsPerAccount;
    out += str_cat("49,", total, ",", records, "/\n");
    group_total_ += total;
    group_records_ += static_cast<std::uint64_t>(records);
    ++accounts_;
  }
  void end(std::string& out) override {
    out += str_cat("98,", group_total_, ",", accounts_, ",", group_records_, "/\n99,", group_total_,
                   ",1,", group_records_ + 2, "/\n");
  }

 private:
  std::uint64_t state_ = 0x9e3779b97f4a7c15ULL;
  std::int64_t group_total_ = 0;
  std::uint64_t group_records_ = 2;
  std::uint64_t accounts_ = 0;
};

const bool kRegistered = [] {
  tally::bench::register_file_benchmark(
      "BM_Bai2Parse", [] { return std::make_unique<Bai2Generator>(); },
      tally::adapters::parse_bai2);
  return true;
}();

}  // namespace
