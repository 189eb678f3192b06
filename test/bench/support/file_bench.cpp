#include "file_bench.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string_view>
#include <unistd.h>
#include <utility>

#include <tally/core/str_cat.hpp>

namespace tally::bench {
namespace {

// Removes the generated files when the program ends.
class GeneratedFiles {
 public:
  GeneratedFiles()
      : dir_(std::filesystem::temp_directory_path() / str_cat("tally-bench-", ::getpid())) {
    std::filesystem::create_directories(dir_);
  }
  ~GeneratedFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  GeneratedFiles(const GeneratedFiles&) = delete;
  GeneratedFiles& operator=(const GeneratedFiles&) = delete;

  const std::filesystem::path* find(const std::string& key) const {
    const auto found = files_.find(key);
    return found == files_.end() ? nullptr : &found->second;
  }
  const std::filesystem::path& add(const std::string& key) {
    return files_.emplace(key, dir_ / key).first->second;
  }

 private:
  std::filesystem::path dir_;
  std::map<std::string, std::filesystem::path> files_;
};

GeneratedFiles& generated_files() {
  static GeneratedFiles files;
  return files;
}

// The resident set now, from /proc/self/statm (pages).
std::int64_t resident_bytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr)
    return 0;
  long size = 0;
  long resident = 0;
  const int read = std::fscanf(statm, "%ld %ld", &size, &resident);
  std::fclose(statm);
  return read == 2 ? resident * ::sysconf(_SC_PAGESIZE) : 0;
}

constexpr std::uint64_t kRssSampleEvery = 4096;  // records

}  // namespace

std::vector<std::int64_t> file_sizes_mb() {
  const char* large = std::getenv("TALLY_BENCH_LARGE");
  if (large != nullptr && std::string_view(large) == "1")
    return {50, 200};
  return {8};
}

const std::filesystem::path& generated_file(const std::string& name,
                                            std::int64_t megabytes,
                                            FileGenerator& generator) {
  const std::string key = str_cat(name, "-", megabytes, "MB");
  if (const auto* existing = generated_files().find(key))
    return *existing;
  const auto& path = generated_files().add(key);
  std::ofstream file(path, std::ios::binary);
  const auto target = static_cast<std::uint64_t>(megabytes) * 1'000'000;
  std::uint64_t written = 0;
  std::string piece;
  generator.begin(piece);
  while (written + piece.size() < target) {
    generator.next(piece);
    if (piece.size() >= (1u << 20)) {
      file.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      written += piece.size();
      piece.clear();
    }
  }
  generator.end(piece);
  file.write(piece.data(), static_cast<std::streamsize>(piece.size()));
  return path;
}

void measure_parse(benchmark::State& state, const std::filesystem::path& file, const Parse& parse) {
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(file));
  std::uint64_t records = 0;
  std::int64_t rss_growth = 0;
  for (auto _ : state) {
    auto source = adapters::FileSource::open(file);
    if (!source) {
      state.SkipWithError(source.error().message.c_str());
      return;
    }
    const std::int64_t before = resident_bytes();
    std::int64_t peak = before;
    std::uint64_t seen = 0;
    const auto report =
        parse(*source, {"bench", "bank"}, [&](adapters::Record&& record) -> Result<void> {
          benchmark::DoNotOptimize(record);
          if (++seen % kRssSampleEvery == 0)
            peak = std::max(peak, resident_bytes());
          return {};
        });
    if (!report.ok()) {
      state.SkipWithError(report.errors().empty() ? "parse refused the generated file"
                                                  : report.errors().front().to_string().c_str());
      return;
    }
    records += report.records();
    rss_growth = std::max(rss_growth, peak - before);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["rss_growth_MB"] = static_cast<double>(rss_growth) / 1e6;
}

void register_file_benchmark(const std::string& name,
                             std::function<std::unique_ptr<FileGenerator>()> make_generator,
                             Parse parse) {
  for (const std::int64_t megabytes : file_sizes_mb()) {
    benchmark::RegisterBenchmark(str_cat(name, "/", megabytes, "MB").c_str(),
                                 [name, megabytes, make_generator, parse](benchmark::State& state) {
                                   const auto generator = make_generator();
                                   measure_parse(state, generated_file(name, megabytes, *generator),
                                                 parse);
                                 })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
}

}  // namespace tally::bench
