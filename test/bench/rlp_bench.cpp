// RLP throughput on a block-sized payload: a list of 1000 legacy-transaction-shaped lists
// [nonce, gasPrice, gas, to, value, data, v, r, s] with ~100 bytes of call data each.

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include <tally/core/rlp.hpp>

namespace {

using tally::Byte;
using tally::Bytes;

constexpr std::size_t kTxCount = 1000;
constexpr std::size_t kDataBytes = 100;

struct LegacyTx {
  std::uint64_t nonce = 0;
  std::uint64_t gas_price = 0;
  std::uint64_t gas = 0;
  tally::Address to;
  std::array<Byte, 32> value{};  // a 256-bit word, as the EVM holds it
  Bytes data;
  std::uint64_t v = 0;
  std::array<Byte, 32> r{};
  std::array<Byte, 32> s{};
};

template <typename Range>
void fill(Range& range, std::mt19937_64& rng) {
  for (Byte& b : range)
    b = static_cast<Byte>(rng());
}

std::vector<LegacyTx> make_txs() {
  std::mt19937_64 rng(20240501);  // fixed: every run measures the same payload
  std::vector<LegacyTx> txs(kTxCount);
  for (LegacyTx& tx : txs) {
    tx.nonce = rng() % 100000;
    tx.gas_price = 20'000'000'000 + rng() % 1'000'000'000;
    tx.gas = 21000 + rng() % 200000;
    fill(tx.to.bytes, rng);
    // About one ether: eight significant bytes at the end of the word.
    for (std::size_t i = 24; i < 32; ++i)
      tx.value[i] = static_cast<Byte>(rng());
    tx.data.resize(kDataBytes);
    fill(tx.data, rng);
    tx.v = 37 + rng() % 2;
    fill(tx.r, rng);
    fill(tx.s, rng);
  }
  return txs;
}

void write_txs(tally::RlpWriter& writer, const std::vector<LegacyTx>& txs) {
  writer.begin_list();
  for (const LegacyTx& tx : txs) {
    writer.begin_list();
    writer.add_uint(tx.nonce);
    writer.add_uint(tx.gas_price);
    writer.add_uint(tx.gas);
    writer.add_string(tx.to.view());
    writer.add_uint_bytes(tx.value);
    writer.add_string(tx.data);
    writer.add_uint(tx.v);
    writer.add_uint_bytes(tx.r);
    writer.add_uint_bytes(tx.s);
    writer.end_list();
  }
  writer.end_list();
}

Bytes encode_txs(const std::vector<LegacyTx>& txs) {
  tally::RlpWriter writer(txs.size() * 256);
  write_txs(writer, txs);
  return writer.finish();
}

// Reads every field of every transaction as a transaction decoder would; returns a checksum so
// nothing is optimised away, or nothing on a decoding error.
tally::Result<std::uint64_t> walk_txs(tally::BytesView encoded) {
  auto txs = tally::rlp_open_list(encoded);
  if (!txs)
    return std::unexpected(txs.error());
  std::uint64_t checksum = 0;
  while (!txs->at_end()) {
    auto tx = txs->read_list();
    if (!tx)
      return std::unexpected(tx.error());
    const auto nonce = tx->read_uint64();
    const auto gas_price = tx->read_uint_bytes(32);
    const auto gas = tx->read_uint64();
    const auto to = tx->read_fixed<20>();
    const auto value = tx->read_uint_bytes(32);
    const auto data = tx->read_string();
    const auto v = tx->read_uint64();
    const auto r = tx->read_uint_bytes(32);
    const auto s = tx->read_uint_bytes(32);
    if (!nonce || !gas_price || !gas || !to || !value || !data || !v || !r || !s || !tx->finish())
      return tally::fail(tally::Errc::malformed, "bench payload does not decode");
    checksum += *nonce + *gas + *v + to->bytes[0] + gas_price->size() + value->size() +
                data->size() + r->size() + s->size();
  }
  return checksum;
}

// A writer and output buffer reused from block to block, as a node would: steady state, no
// allocation.
void BM_RlpEncodeLegacyTxs(benchmark::State& state) {
  const std::vector<LegacyTx> txs = make_txs();
  tally::RlpWriter writer;
  Bytes encoded;
  for (auto _ : state) {
    encoded.clear();
    write_txs(writer, txs);
    writer.finish_append(encoded);
    benchmark::DoNotOptimize(encoded.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(encoded.size()));
  state.counters["payload_bytes"] = static_cast<double>(encoded.size());
}
BENCHMARK(BM_RlpEncodeLegacyTxs);

// A fresh writer and result each time. Two ~200 KiB allocations per run sit near glibc's mmap
// threshold, so this one swings with the allocator's state; the reused-writer figure is the stable
// one.
void BM_RlpEncodeLegacyTxsFreshWriter(benchmark::State& state) {
  const std::vector<LegacyTx> txs = make_txs();
  std::size_t size = 0;
  for (auto _ : state) {
    Bytes encoded = encode_txs(txs);
    size = encoded.size();
    benchmark::DoNotOptimize(encoded.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
}
BENCHMARK(BM_RlpEncodeLegacyTxsFreshWriter);

void BM_RlpDecodeLegacyTxs(benchmark::State& state) {
  const Bytes encoded = encode_txs(make_txs());
  for (auto _ : state) {
    auto checksum = walk_txs(encoded);
    if (!checksum) {
      state.SkipWithError(checksum.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(*checksum);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(encoded.size()));
  state.counters["payload_bytes"] = static_cast<double>(encoded.size());
}
BENCHMARK(BM_RlpDecodeLegacyTxs);

// The same payload decoded into an owning RlpItem tree: the cost of copying, for comparison.
void BM_RlpDecodeLegacyTxsToItems(benchmark::State& state) {
  const Bytes encoded = encode_txs(make_txs());
  for (auto _ : state) {
    auto item = tally::rlp_decode(encoded);
    if (!item) {
      state.SkipWithError(item.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(item->items.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(encoded.size()));
}
BENCHMARK(BM_RlpDecodeLegacyTxsToItems);

}  // namespace
