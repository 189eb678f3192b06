// Admitting a tx from its raw bytes: decode (strict RLP, copy, suite hash of the bytes) and recover
// the sender (secp256k1 public-key recovery, or SM2 verification against the embedded key). One
// value transfer per iteration, legacy (EIP-155) and EIP-1559, in each suite; items/s is txs per
// second on one core. The decode-only rows show how much of that is the format.

#include <benchmark/benchmark.h>

#include <tally/chain/transaction.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/crypto_suite.hpp>

namespace {

using namespace tally;
using namespace tally::chain;

Bytes signed_transfer(SuiteId suite, TxType type) {
  TxFields fields;
  fields.type = type;
  fields.chain_id = 1337;
  fields.nonce = 42;
  if (type == TxType::dynamic_fee) {
    fields.max_priority_fee_per_gas = 1'000'000'000;
    fields.max_fee_per_gas = 30'000'000'000;
  } else {
    fields.set_gas_price(20'000'000'000);
  }
  fields.gas_limit = 21000;
  fields.to = Address::from_hex("0x3535353535353535353535353535353535353535").value();
  fields.value = 1'000'000'000'000'000'000;
  const KeyPair keys = CryptoSuite(suite).generate_key_pair();
  const Transaction tx = sign_tx(fields, keys).value();
  return Bytes(tx.encoded().begin(), tx.encoded().end());
}

void BM_TxDecodeRecover(benchmark::State& state, SuiteId suite, TxType type) {
  const Bytes raw = signed_transfer(suite, type);
  const CryptoSuite crypto(suite);
  for (auto _ : state) {
    auto verified = recover_sender(Transaction::decode(crypto, raw).value());
    benchmark::DoNotOptimize(verified);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_TxDecode(benchmark::State& state, SuiteId suite, TxType type) {
  const Bytes raw = signed_transfer(suite, type);
  const CryptoSuite crypto(suite);
  for (auto _ : state) {
    auto tx = Transaction::decode(crypto, raw);
    benchmark::DoNotOptimize(tx);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK_CAPTURE(BM_TxDecodeRecover, standard_legacy, SuiteId::standard, TxType::legacy);
BENCHMARK_CAPTURE(BM_TxDecodeRecover, standard_eip1559, SuiteId::standard, TxType::dynamic_fee);
BENCHMARK_CAPTURE(BM_TxDecodeRecover, guomi_legacy, SuiteId::guomi, TxType::legacy);
BENCHMARK_CAPTURE(BM_TxDecodeRecover, guomi_eip1559, SuiteId::guomi, TxType::dynamic_fee);
BENCHMARK_CAPTURE(BM_TxDecode, standard_legacy, SuiteId::standard, TxType::legacy);
BENCHMARK_CAPTURE(BM_TxDecode, standard_eip1559, SuiteId::standard, TxType::dynamic_fee);
BENCHMARK_CAPTURE(BM_TxDecode, guomi_legacy, SuiteId::guomi, TxType::legacy);
BENCHMARK_CAPTURE(BM_TxDecode, guomi_eip1559, SuiteId::guomi, TxType::dynamic_fee);

}  // namespace
