// The node's execution path (block_executor.hpp) on blocks of value transfers: a proposer's
// build + commit (the commit reuses the build's result), and a syncing node's commit of a block
// it never saw (decode, sender recovery, execution, every root checked, the SQLite write).
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <tally/chain/block_executor.hpp>
#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/trie.hpp>
#include <tally/chain/tx_signing.hpp>

#include "support/temp_dir.hpp"

namespace {

using namespace tally;
using namespace tally::chain;

const CryptoSuite kSuite(SuiteId::standard);
constexpr std::uint64_t kChainId = 2026;
constexpr std::size_t kSenders = 1'000;

class Source final : public BlockTxSource {
 public:
  std::vector<std::shared_ptr<const VerifiedTx>> txs;
  std::size_t pending_count() const override { return txs.size(); }
  std::vector<std::shared_ptr<const VerifiedTx>> select(std::uint64_t, std::size_t) override {
    return txs;
  }
  std::shared_ptr<const VerifiedTx> find(const Hash256&) const override { return nullptr; }
  void on_committed(const Block&) override { txs.clear(); }
  void on_rejected(const Hash256&, const Error&) override { std::abort(); }
};

// A ledger with genesis funding every sender, and an executor over it.
struct BenchNode {
  explicit BenchNode(const std::vector<KeyPair>& keys)
      : ledger(Ledger::open(dir / "ledger.db", kSuite, {.durability = sqlite::Durability::normal})
                   .value()),
        executor(ledger, kSuite, ExecutionParams{kChainId, 100'000'000}, source) {
    MemoryNodeStore nodes;
    MemoryCodeStore code;
    WorldState state(kSuite, nodes, code, empty_trie_root(kSuite));
    for (const KeyPair& key : keys)
      (void)state.add_balance(kSuite.address(key.public_key()), u256(1) << 100);
    BlockWrite genesis;
    genesis.block.header.state_root = state.commit(genesis.trie_nodes, genesis.code).value();
    genesis.block.header.extra_data = ConsensusExtra{}.encode();
    genesis.block.header.gas_limit = 100'000'000;
    genesis.block.header.base_fee_per_gas = 0;
    if (!ledger.commit(genesis))
      std::abort();
  }

  BlockHeader head() {
    return ledger.header_by_number(ledger.head()->block_number).value().value();
  }

  tally::test::TempDir dir;  // first: removed after the ledger closes
  Ledger ledger;
  Source source;
  BlockExecutor executor;
};

struct Senders {
  Senders() {
    for (std::size_t i = 0; i < kSenders; ++i)
      keys.push_back(kSuite.generate_key_pair());
    nonces.assign(kSenders, 0);
  }
  // `count` transfers, one per sender in turn, signed and recovered (the pool's work).
  std::vector<std::shared_ptr<const VerifiedTx>> transfers(std::size_t count) {
    std::vector<std::shared_ptr<const VerifiedTx>> out;
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t from = i % kSenders;
      TxFields fields;
      fields.chain_id = kChainId;
      fields.nonce = nonces[from]++;
      fields.set_gas_price(0);
      fields.gas_limit = 21'000;
      fields.to = kSuite.address(keys[(from + 1) % kSenders].public_key());
      fields.value = 1;
      out.push_back(std::make_shared<const VerifiedTx>(
          recover_sender(sign_tx(fields, keys[from]).value()).value()));
    }
    return out;
  }
  std::vector<KeyPair> keys;
  std::vector<std::uint64_t> nonces;
};

BuildBlock request_on(const BlockHeader& parent) {
  return BuildBlock{parent, parent.block_number + 1, parent.timestamp + 1, Address{},
                    ConsensusExtra{}.encode()};
}

void BM_BlockExecutorBuildAndCommit(benchmark::State& bench) {
  const auto count = static_cast<std::size_t>(bench.range(0));
  Senders senders;
  BenchNode node(senders.keys);
  for (auto _ : bench) {
    bench.PauseTiming();
    node.source.txs = senders.transfers(count);
    bench.ResumeTiming();
    const auto block = node.executor.build(request_on(node.head())).value().value();
    if (block.txs.size() != count || !node.executor.commit(block))
      std::abort();
  }
  bench.SetItemsProcessed(bench.iterations() * static_cast<std::int64_t>(count));
}
BENCHMARK(BM_BlockExecutorBuildAndCommit)->Arg(1'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_BlockExecutorSyncCommit(benchmark::State& bench) {
  const auto count = static_cast<std::size_t>(bench.range(0));
  Senders senders;
  BenchNode proposer(senders.keys);
  BenchNode follower(senders.keys);
  for (auto _ : bench) {
    bench.PauseTiming();
    proposer.source.txs = senders.transfers(count);
    const auto block = proposer.executor.build(request_on(proposer.head())).value().value();
    if (!proposer.executor.commit(block))
      std::abort();
    bench.ResumeTiming();
    if (!follower.executor.commit(block))
      std::abort();
  }
  bench.SetItemsProcessed(bench.iterations() * static_cast<std::int64_t>(count));
}
BENCHMARK(BM_BlockExecutorSyncCommit)->Arg(1'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
