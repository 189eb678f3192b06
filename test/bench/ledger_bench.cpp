// Committing blocks of value transfers as a validator does once a block is executed: the state
// updates (WorldState), receipts with one log each, transactionsRoot and receiptsRoot, the state
// root, and the SQLite write of everything in one db_txn. Signature recovery is not timed: the tx
// pool does it before, in parallel. Also: a state root update of 1,000 accounts as the stored
// state grows, read through the ledger (SQLite) behind a node cache.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/caching_node_store.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/ledger_store.hpp>
#include <tally/chain/ordered_trie.hpp>
#include <tally/chain/trie.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/chain/world_state.hpp>

#include "support/temp_dir.hpp"

namespace {

using namespace tally;
using namespace tally::chain;

const CryptoSuite kSuite(SuiteId::standard);
constexpr std::size_t kSenders = 1'000;

Address account_address(std::uint64_t index) {
  Address out;
  for (std::size_t i = 0; i < 8; ++i)
    out.bytes[19 - i] = static_cast<Byte>(index >> (8 * i));
  out.bytes[0] = 0xee;
  return out;
}

// A ledger with genesis and its state; commits the next block from prepared txs.
class BenchChain {
 public:
  BenchChain(sqlite::Durability durability, std::size_t funded_accounts)
      : ledger_(Ledger::open(dir_ / "ledger.db", kSuite, {.durability = durability}).value()),
        store_(ledger_),
        cache_(store_, kSuite) {
    for (std::size_t i = 0; i < kSenders; ++i)
      keys_.push_back(kSuite.generate_key_pair());
    WorldState genesis(kSuite, cache_, store_, empty_trie_root(kSuite));
    for (const KeyPair& key : keys_) {
      (void)genesis.add_balance(kSuite.address(key.public_key()), u256(1) << 100);
    }
    // Extra accounts make the state large; added in chunks so each block stays moderate.
    std::size_t added = 0;
    commit_state(genesis, {}, {});
    while (added < funded_accounts) {
      WorldState grow(kSuite, cache_, store_, state_root_);
      const std::size_t chunk = std::min<std::size_t>(100'000, funded_accounts - added);
      for (std::size_t i = 0; i < chunk; ++i)
        (void)grow.add_balance(account_address(added + i), 1);
      added += chunk;
      commit_state(grow, {}, {});
    }
    nonces_.assign(kSenders, 0);
  }

  // `count` signed transfers from rotating senders to random accounts.
  std::vector<Transaction> make_transfers(std::size_t count, std::mt19937_64& rng) {
    std::vector<Transaction> txs;
    txs.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t sender = i % kSenders;
      TxFields fields;
      fields.chain_id = 1;
      fields.nonce = nonces_[sender]++;
      fields.gas_limit = 21'000;
      fields.to = account_address(rng() % 1'000'000);
      fields.value = 1 + rng() % 1000;
      txs.push_back(sign_tx(fields, keys_[sender]).value());
    }
    return txs;
  }

  void commit_transfers(const std::vector<Transaction>& txs) {
    const auto start = Clock::now();
    WorldState state(kSuite, cache_, store_, state_root_);
    std::vector<Receipt> receipts;
    receipts.reserve(txs.size());
    std::uint64_t gas = 0;
    for (std::size_t i = 0; i < txs.size(); ++i) {
      const TxFields& tx = txs[i].fields();
      const Address from = kSuite.address(keys_[i % kSenders].public_key());
      (void)state.sub_balance(from, tx.value);
      (void)state.add_balance(*tx.to, tx.value);
      (void)state.set_nonce(from, tx.nonce + 1);
      state.end_tx();
      gas += 21'000;
      Receipt receipt;
      receipt.tx_type = 2;
      receipt.cumulative_gas_used = gas;
      // A token-transfer-shaped log, so the log index is exercised too.
      receipt.logs = {Log{account_address(0), {txs[i].hash(), Hash256{}, Hash256{}}, Bytes(32, 1)}};
      receipt.bloom = logs_bloom(receipt.logs);
      receipts.push_back(std::move(receipt));
    }
    phases_.execute_ms = ms_since(start);
    commit_state(state, txs, std::move(receipts));
  }

  // Wall time of the phases of the last commit, to see where a block's time goes.
  struct Phases {
    double execute_ms = 0;  // state updates and receipts
    double state_root_ms = 0;
    double roots_ms = 0;  // transactionsRoot and receiptsRoot
    double sqlite_ms = 0;
  };
  const Phases& phases() const noexcept { return phases_; }

 private:
  using Clock = std::chrono::steady_clock;
  static double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  }

  void commit_state(WorldState& state,
                    const std::vector<Transaction>& txs,
                    std::vector<Receipt> receipts) {
    BlockWrite write;
    CodeBatch code;
    auto start = Clock::now();
    state_root_ = state.commit(write.trie_nodes, code).value();
    phases_.state_root_ms = ms_since(start);
    start = Clock::now();
    BlockHeader& header = write.block.header;
    header.parent_hash = parent_;
    header.block_number = next_block_;
    header.state_root = state_root_;
    header.base_fee_per_gas = 0;
    header.extra_data = ConsensusExtra{}.encode();
    std::vector<Bytes> encoded_receipts;
    for (const Transaction& tx : txs) {
      write.block.txs.emplace_back(tx.encoded().begin(), tx.encoded().end());
    }
    for (const Receipt& receipt : receipts) {
      header.logs_bloom.merge(receipt.bloom);
      encoded_receipts.push_back(receipt.encode());
    }
    header.transactions_root = ordered_trie_root(write.block.txs, kSuite);
    header.receipts_root = ordered_trie_root(encoded_receipts, kSuite);
    phases_.roots_ms = ms_since(start);
    start = Clock::now();
    write.receipts = std::move(receipts);
    write.code = std::move(code);
    if (!ledger_.commit(write))
      std::abort();
    phases_.sqlite_ms = ms_since(start);
    cache_.insert(write.trie_nodes);
    parent_ = block_digest(header, kSuite).value();
    ++next_block_;
  }

  tally::test::TempDir dir_;  // first: removed after the ledger closes
  Ledger ledger_;
  LedgerStore store_;
  CachingNodeStore cache_;
  std::vector<KeyPair> keys_;
  std::vector<std::uint64_t> nonces_;
  Hash256 state_root_;
  Hash256 parent_;
  std::uint64_t next_block_ = 0;
  Phases phases_;
};

// The phases of the last iteration, as counters beside the total.
void report_phases(benchmark::State& bench, const BenchChain& chain) {
  bench.counters["execute_ms"] = chain.phases().execute_ms;
  bench.counters["state_root_ms"] = chain.phases().state_root_ms;
  bench.counters["roots_ms"] = chain.phases().roots_ms;
  bench.counters["sqlite_ms"] = chain.phases().sqlite_ms;
}

// Arguments: transfers per block, and 1 for Durability::full or 0 for normal.
void BM_LedgerCommitTransfers(benchmark::State& bench) {
  const auto count = static_cast<std::size_t>(bench.range(0));
  const auto durability =
      bench.range(1) == 1 ? sqlite::Durability::full : sqlite::Durability::normal;
  BenchChain chain(durability, 0);
  std::mt19937_64 rng(7);
  for (auto _ : bench) {
    bench.PauseTiming();
    const auto txs = chain.make_transfers(count, rng);
    bench.ResumeTiming();
    chain.commit_transfers(txs);
  }
  bench.SetItemsProcessed(bench.iterations() * static_cast<std::int64_t>(count));
  report_phases(bench, chain);
}
BENCHMARK(BM_LedgerCommitTransfers)
    ->Args({1'000, 1})
    ->Args({10'000, 1})
    ->Args({10'000, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// A block of 1,000 transfers on a state of range(0) accounts, through SQLite and the node cache.
void BM_LedgerCommitOnLargeState(benchmark::State& bench) {
  BenchChain chain(sqlite::Durability::full, static_cast<std::size_t>(bench.range(0)));
  std::mt19937_64 rng(11);
  for (auto _ : bench) {
    bench.PauseTiming();
    const auto txs = chain.make_transfers(1'000, rng);
    bench.ResumeTiming();
    chain.commit_transfers(txs);
  }
  bench.SetItemsProcessed(bench.iterations() * 1'000);
  report_phases(bench, chain);
}
// The 100k and 1M states take a minute to build: only for real runs (packaging/bench.sh sets
// TALLY_BENCH_LARGE=1), not for the CI smoke run or the sanitizer build.
const bool kLargeStates = [] {
  const char* large = std::getenv("TALLY_BENCH_LARGE");
  if (large == nullptr || std::string_view(large) != "1")
    return false;
  auto* bench =
      benchmark::RegisterBenchmark("BM_LedgerCommitOnLargeState", BM_LedgerCommitOnLargeState);
  bench->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
  return true;
}();
BENCHMARK(BM_LedgerCommitOnLargeState)->Arg(10'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
