#pragma once
// Parser benchmarks on generated files read from disk, as bank files are. A FileGenerator writes
// a file piece by piece (never the whole file in memory) to a target size; measure_parse runs a
// parser over it through FileSource and reports MB/s (bytes_per_second), records/s and how much
// the resident set grew during the parse (rss_growth_MB): the parsers promise bounded memory, so
// that figure must stay flat from the small file to the large one.
//
// Sizes: 8 MB for CI's smoke run; with TALLY_BENCH_LARGE=1 (packaging/bench.sh) 50 and 200 MB.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include <tally/adapters/byte_source.hpp>
#include <tally/adapters/parse_report.hpp>

namespace tally::bench {

class FileGenerator {
 public:
  virtual ~FileGenerator() = default;
  virtual void begin(std::string& out) = 0;
  // Appends the next unit (a statement, an account, a batch of rows).
  virtual void next(std::string& out) = 0;
  // Appends what closes the file (trailers, control totals, closing tags).
  virtual void end(std::string& out) = 0;
};

// A head, then one block repeated, then a tail written knowing how many blocks came before it
// (for trailers with record counts and sums).
class RepeatedBlockGenerator final : public FileGenerator {
 public:
  RepeatedBlockGenerator(std::string head,
                         std::string block,
                         std::function<std::string(std::uint64_t blocks)> tail)
      : head_(std::move(head)), block_(std::move(block)), tail_(std::move(tail)) {}

  void begin(std::string& out) override { out += head_; }
  void next(std::string& out) override {
    out += block_;
    ++blocks_;
  }
  void end(std::string& out) override { out += tail_(blocks_); }

 private:
  std::string head_;
  std::string block_;
  std::function<std::string(std::uint64_t)> tail_;
  std::uint64_t blocks_ = 0;
};

// The file sizes to measure, in MB.
std::vector<std::int64_t> file_sizes_mb();

// Generates (once per name and size; removed at exit) a file of at least `megabytes`.
const std::filesystem::path& generated_file(const std::string& name,
                                            std::int64_t megabytes,
                                            FileGenerator& generator);

using Parse = std::function<adapters::ParseReport(adapters::ByteSource&,
                                                  const adapters::ParseOptions&,
                                                  const adapters::RecordSink&)>;

// Parses the file once per iteration. A parse that reports errors stops the benchmark with the
// first one: the generated files are meant to be valid.
void measure_parse(benchmark::State& state, const std::filesystem::path& file, const Parse& parse);

// Registers `name` at every size of file_sizes_mb(), generating with `make_generator()`.
void register_file_benchmark(const std::string& name,
                             std::function<std::unique_ptr<FileGenerator>()> make_generator,
                             Parse parse);

}  // namespace tally::bench
