// What a node pays at start-up for genesis: parsing and checking genesis.json, and building block
// 0 (state trie and header), for a consortium with many admitted accounts.

#include <benchmark/benchmark.h>

#include <tally/chain/genesis.hpp>
#include <tally/core/assert.hpp>

namespace {

using namespace tally;
using namespace tally::chain;

Genesis genesis_with(std::int64_t accounts) {
  Genesis g;
  g.consortium = "bench";
  g.chain_id = 4242;
  g.block_gas_limit = 30'000'000;
  for (std::uint8_t v = 1; v <= 4; ++v) {
    Address validator;
    validator.bytes.fill(v);
    g.validators.push_back(validator);
  }
  for (std::int64_t i = 0; i < accounts; ++i) {
    Address address;
    const auto n = static_cast<std::uint64_t>(i) + 0x10000;
    for (std::size_t b = 0; b < 8; ++b)
      address.bytes[19 - b] = static_cast<Byte>(n >> (8 * b));
    g.accounts.push_back({address, u256(1'000'000)});
  }
  return g;
}

void BM_GenesisParse(benchmark::State& state) {
  const std::string text = to_json(genesis_with(state.range(0)));
  for (auto _ : state) {
    auto parsed = parse_genesis(text, "genesis.json");
    TALLY_ASSERT(parsed.has_value());
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_GenesisParse)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_GenesisBlock(benchmark::State& state) {
  const Genesis g = genesis_with(state.range(0));
  const CryptoSuite suite(SuiteId::standard);
  for (auto _ : state) {
    auto write = make_genesis(g, suite);
    TALLY_ASSERT(write.has_value());
    benchmark::DoNotOptimize(write);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_GenesisBlock)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
