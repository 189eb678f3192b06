// EVM throughput on shared/testdata/evm/benchmarks (evmone's benchmark set, state-test format):
// each test and call-data index runs as a Cancun transaction through apply_tx on a fresh overlay of
// its pre state, reporting gas per second (`gas_per_s`). At exit the geometric mean of the
// gas rates measured is printed. Code analysis is cached across iterations, as it is across the
// transactions of a block.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>
#include <boost/json.hpp>

#include <tally/chain/state_transition.hpp>
#include <tally/chain/world_state.hpp>
#include <tally/core/str_cat.hpp>

#include "support/evm_state_runner.hpp"
#include "support/testdata.hpp"

namespace tally {
namespace {

namespace json = boost::json;
using namespace tally::chain;

const CryptoSuite kSuite(SuiteId::standard);

struct EvmCase {
  MemoryNodeStore nodes;
  MemoryCodeStore code;
  Hash256 pre_root;
  BlockEnv block;
  test::IndexedTx tx;
  CodeCache cache;
};

// Gas per second of each benchmark's last run; at exit, their geometric mean.
struct RateBook {
  std::map<std::string, double> rates;

  ~RateBook() {
    if (rates.empty())
      return;
    double log_sum = 0;
    for (const auto& [name, rate] : rates)
      log_sum += std::log(rate);
    const double mean = std::exp(log_sum / static_cast<double>(rates.size()));
    std::printf("evm geometric mean over %zu benchmarks: %.1f Mgas/s\n", rates.size(), mean / 1e6);
  }
};
RateBook rate_book;

void run_case(benchmark::State& state,
              const std::shared_ptr<EvmCase>& evm_case,
              const std::string& name) {
  std::uint64_t gas = 0;
  const std::clock_t start = std::clock();
  for (auto _ : state) {
    WorldState world(kSuite, evm_case->nodes, evm_case->code, evm_case->pre_root);
    const auto outcome =
        apply_tx(world, evm_case->cache, evm_case->block, evm_case->tx.fields, evm_case->tx.sender);
    if (!outcome || !outcome->success()) {
      state.SkipWithError(outcome ? "execution failed" : outcome.error().message.c_str());
      return;
    }
    gas += outcome->gas_used;
    benchmark::DoNotOptimize(outcome->output.data());
  }
  // Processor time, like the gas_per_s counter: the machine may be shared.
  const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  state.counters["gas_per_s"] =
      benchmark::Counter(static_cast<double>(gas), benchmark::Counter::kIsRate);
  if (seconds > 0)
    rate_book.rates[name] = static_cast<double>(gas) / seconds;
}

bool register_evm_benchmarks() {
  const auto root = test::testdata_dir() / "evm" / "benchmarks" / "benchmarks";
  for (const char* group : {"main", "micro"}) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(root / group))
      files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      const json::value document = test::read_json(file);
      for (const auto& [test_name, test_value] : document.as_object()) {
        const json::object& test = test_value.as_object();
        const json::object& tx = test.at("transaction").as_object();
        const std::size_t data_count = tx.at("data").as_array().size();
        for (std::size_t data = 0; data < data_count; ++data) {
          auto evm_case = std::make_shared<EvmCase>();
          evm_case->pre_root =
              test::build_state(test.at("pre").as_object(), evm_case->nodes, evm_case->code)
                  .value();
          evm_case->block = test::parse_block_env(test.at("env").as_object()).value();
          evm_case->tx = test::parse_indexed_tx(tx, data, 0, 0).value();
          std::string name = str_cat("BM_Evm/", group, "/", std::string_view(test_name));
          if (data_count > 1)
            name = str_cat(name, "/", data);
          benchmark::RegisterBenchmark(name.c_str(), [evm_case, name](benchmark::State& state) {
            run_case(state, evm_case, name);
          })->Unit(benchmark::kMillisecond);
        }
      }
    }
  }
  return true;
}

const bool registered = register_evm_benchmarks();

}  // namespace
}  // namespace tally
