// Trie costs, in-memory store. Insert throughput into a fresh trie, and what a block costs: 1,000
// random accounts of a secure trie of 10k, 100k and 1M accounts updated and the root computed
// (and committed), read lazily from the store as the chain does.
//
// Values are 70 bytes, about an account's RLP. The large states are built once per process, in
// chunks committed to the store (so memory holds the store, not a tree of nodes as well).

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include <tally/chain/node_store.hpp>
#include <tally/chain/secure_trie.hpp>
#include <tally/chain/trie.hpp>

namespace {

using tally::Byte;
using tally::Bytes;
using tally::CryptoSuite;
using tally::Hash256;
using tally::SuiteId;
using namespace tally::chain;

constexpr std::size_t kValueBytes = 70;
constexpr std::size_t kUpdatesPerBlock = 1000;
constexpr std::uint64_t kBuildChunk = 100'000;

// Under the sanitizers (the debug preset's bench.smoke) the benchmarks only have to keep working:
// building a 1M-account state there takes minutes, so the sizes stop at 10k.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::int64_t kLargest = 10'000;
#else
constexpr std::int64_t kLargest = 1'000'000;
#endif

void sizes(benchmark::internal::Benchmark* bench, std::int64_t from, std::int64_t to = kLargest) {
  for (std::int64_t size = from; size <= std::min(to, kLargest); size *= 10)
    bench->Arg(size);
  bench->Unit(benchmark::kMillisecond);
}

Bytes account_key(std::uint64_t index) {
  Bytes key(8);
  for (std::size_t b = 0; b < key.size(); ++b)
    key[b] = static_cast<Byte>(index >> (8 * b));
  return key;
}

Bytes random_value(std::mt19937_64& rng) {
  Bytes value(kValueBytes);
  for (Byte& b : value)
    b = static_cast<Byte>(rng());
  return value;
}

void BM_TrieInsert(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(1);
  std::vector<Bytes> keys;
  for (std::size_t i = 0; i < count; ++i) {
    Bytes key(32);
    for (Byte& b : key)
      b = static_cast<Byte>(rng());
    keys.push_back(std::move(key));
  }
  const Bytes value = random_value(rng);
  for (auto _ : state) {
    Trie trie(CryptoSuite(SuiteId::standard));
    for (const Bytes& key : keys)
      benchmark::DoNotOptimize(trie.put(key, value));
    benchmark::DoNotOptimize(trie.root_hash());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(count));
}
BENCHMARK(BM_TrieInsert)->Apply([](auto* bench) { sizes(bench, 1'000, 100'000); });

// A secure trie of `accounts` accounts in a memory store, built once per size and suite.
struct State {
  MemoryNodeStore store;
  Hash256 root;
};

const State& state_of(std::uint64_t accounts, SuiteId suite_id) {
  static std::map<std::pair<std::uint64_t, SuiteId>, std::unique_ptr<State>> built;
  auto& slot = built[{accounts, suite_id}];
  if (slot)
    return *slot;
  slot = std::make_unique<State>();
  const CryptoSuite suite(suite_id);
  std::mt19937_64 rng(accounts);
  slot->root = tally::chain::empty_trie_root(suite);
  for (std::uint64_t start = 0; start < accounts; start += kBuildChunk) {
    SecureTrie trie(suite, slot->store, slot->root);
    for (std::uint64_t i = start; i < std::min(accounts, start + kBuildChunk); ++i)
      (void)trie.put(account_key(i), random_value(rng));
    NodeBatch batch;
    slot->root = trie.commit(batch);
    slot->store.write(batch);
  }
  return *slot;
}

// One block: 1,000 random accounts get new values, then the root (and with `commit`, the batch).
// The state is not changed between iterations: each block starts from the same root.
void run_blocks(benchmark::State& bench, SuiteId suite_id, bool commit) {
  const auto accounts = static_cast<std::uint64_t>(bench.range(0));
  const State& state = state_of(accounts, suite_id);
  const CryptoSuite suite(suite_id);
  std::mt19937_64 rng(42);
  std::size_t written = 0;
  for (auto _ : bench) {
    SecureTrie trie(suite, state.store, state.root);
    for (std::size_t i = 0; i < kUpdatesPerBlock; ++i)
      (void)trie.put(account_key(rng() % accounts), random_value(rng));
    if (commit) {
      NodeBatch batch;
      benchmark::DoNotOptimize(trie.commit(batch));
      written = batch.size();
    } else {
      benchmark::DoNotOptimize(trie.root_hash());
    }
  }
  bench.SetItemsProcessed(bench.iterations() * static_cast<std::int64_t>(kUpdatesPerBlock));
  if (commit)
    bench.counters["nodes_written"] = static_cast<double>(written);
}

void BM_SecureTrieUpdate1000Root(benchmark::State& bench) {
  run_blocks(bench, SuiteId::standard, false);
}
void BM_SecureTrieUpdate1000Commit(benchmark::State& bench) {
  run_blocks(bench, SuiteId::standard, true);
}
void BM_SecureTrieUpdate1000RootGuomi(benchmark::State& bench) {
  run_blocks(bench, SuiteId::guomi, false);
}
BENCHMARK(BM_SecureTrieUpdate1000Root)->Apply([](auto* bench) { sizes(bench, 10'000); });
BENCHMARK(BM_SecureTrieUpdate1000Commit)->Apply([](auto* bench) { sizes(bench, 10'000); });
// One size is enough to compare SM3 with Keccak-256 on the same work (a smaller one under the
// sanitizers, where every benchmark needs at least one size).
BENCHMARK(BM_SecureTrieUpdate1000RootGuomi)->Apply([](auto* bench) {
  const std::int64_t size = std::min<std::int64_t>(100'000, kLargest);
  sizes(bench, size, size);
});

}  // namespace
