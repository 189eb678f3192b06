// Tx pool admission throughput: a batch of pre-signed value transfers (64 senders, consecutive
// nonces) through TxPool::add into an empty pool, with one recovery thread and with every core.
// items/s is txs admitted per second; the ratio of the two rows is what parallel recovery buys.
// Sender recovery dominates (see BM_TxDecodeRecover), so one thread should come close to it.

#include <algorithm>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include <tally/chain/tx_pool.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/crypto_suite.hpp>

namespace {

using namespace tally;
using namespace tally::chain;

constexpr std::size_t kSenders = 64;
constexpr std::uint64_t kNoncesPerSender = 32;

class RichHead : public PoolStateView {
 public:
  std::uint64_t nonce(const Address&) const override { return 0; }
  u256 balance(const Address&) const override { return u256::max(); }
};

// Interleaved by nonce, as many clients submitting at once would arrive.
std::vector<Bytes> sign_transfers(SuiteId suite) {
  const CryptoSuite crypto(suite);
  std::vector<KeyPair> keys;
  for (std::size_t i = 0; i < kSenders; ++i)
    keys.push_back(crypto.generate_key_pair());
  std::vector<Bytes> out;
  for (std::uint64_t nonce = 0; nonce < kNoncesPerSender; ++nonce) {
    for (const KeyPair& key : keys) {
      TxFields fields;
      fields.chain_id = 1337;
      fields.nonce = nonce;
      fields.gas_limit = 21000;
      fields.to = Address::from_hex("0x3535353535353535353535353535353535353535").value();
      fields.value = 1;
      const Transaction tx = sign_tx(fields, key).value();
      out.emplace_back(tx.encoded().begin(), tx.encoded().end());
    }
  }
  return out;
}

// Signed once per suite, on first use: signing costs more than admitting.
const std::vector<Bytes>& signed_transfers(SuiteId suite) {
  if (suite == SuiteId::standard) {
    static const std::vector<Bytes> standard = sign_transfers(SuiteId::standard);
    return standard;
  }
  static const std::vector<Bytes> guomi = sign_transfers(SuiteId::guomi);
  return guomi;
}

void BM_TxPoolAdd(benchmark::State& state, SuiteId suite) {
  const std::vector<Bytes>& txs = signed_transfers(suite);
  TxPoolConfig config;
  config.chain_id = 1337;
  config.suite = suite;
  config.recovery_threads = static_cast<std::size_t>(state.range(0));
  const RichHead head;
  for (auto _ : state) {
    TxPool pool(config, [](const Address&) { return true; });
    const auto results = pool.add(txs, head);
    if (!std::ranges::all_of(results, [](const auto& r) { return r.has_value(); }))
      state.SkipWithError("a tx was refused");
    benchmark::DoNotOptimize(results);
  }
  state.SetItemsProcessed(
      static_cast<std::int64_t>(state.iterations() * static_cast<std::int64_t>(txs.size())));
  state.counters["threads"] = static_cast<double>(config.recovery_threads);
}

void threads_one_and_all(benchmark::internal::Benchmark* bench) {
  bench->Arg(1);
  const unsigned all = std::max(1u, std::thread::hardware_concurrency());
  if (all > 1)
    bench->Arg(all);
}

BENCHMARK_CAPTURE(BM_TxPoolAdd, standard, SuiteId::standard)
    ->Apply(threads_one_and_all)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_TxPoolAdd, guomi, SuiteId::guomi)
    ->Apply(threads_one_and_all)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
