// The tx pool under any sequence of operations: the input is a program over a fixed set of
// pre-signed txs (three admitted senders and one stranger, nonces 0-5, each at two fee levels so
// replacements happen) plus raw bytes from the input itself, with a head state the program moves.
// After every step the pool's invariants hold: bounded size; the selection is each sender's
// consecutive nonces from its state nonce, within the gas and count asked, every tx findable;
// executable_count is what an unbounded selection takes; pending_nonce is the end of that run.
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include <tally/chain/tx_pool.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/assert.hpp>

namespace {

using namespace tally;
using namespace tally::chain;

constexpr std::size_t kSenders = 4;  // the last is not admitted
constexpr std::uint64_t kNonces = 6;

class Head : public PoolStateView {
 public:
  std::uint64_t nonce(const Address& account) const override {
    const auto it = nonces.find(account);
    return it == nonces.end() ? 0 : it->second;
  }
  u256 balance(const Address& account) const override {
    // One sender is poor: it can pay for a transfer at the low fee only.
    return account == poor ? u256(21000 * 10 + 1) : u256::max();
  }
  std::map<Address, std::uint64_t> nonces;
  Address poor;
};

struct Fixture {
  std::vector<Address> senders;
  std::vector<Bytes> txs;  // sender-major, then nonce, then fee level
};

const Fixture& fixture() {
  static const Fixture fixture = [] {
    Fixture out;
    const CryptoSuite suite(SuiteId::standard);
    for (std::size_t s = 0; s < kSenders; ++s) {
      Bytes secret(32, 0x22);
      secret[31] = static_cast<Byte>(s);
      const KeyPair key = suite.key_pair_from_private_key(secret).value();
      out.senders.push_back(suite.address(key.public_key()));
      for (std::uint64_t nonce = 0; nonce < kNonces; ++nonce) {
        for (const std::uint64_t fee : {10u, 20u}) {
          TxFields fields;
          fields.chain_id = 1337;
          fields.nonce = nonce;
          fields.max_fee_per_gas = fee;
          fields.max_priority_fee_per_gas = fee;
          fields.gas_limit = 21000 + 1000 * nonce;
          fields.to = Address{};
          fields.value = 1;
          const Transaction tx = sign_tx(fields, key).value();
          out.txs.emplace_back(tx.encoded().begin(), tx.encoded().end());
        }
      }
    }
    return out;
  }();
  return fixture;
}

void check_invariants(const TxPool& pool,
                      const Head& head,
                      std::uint64_t gas_limit,
                      std::size_t max_txs) {
  TALLY_ASSERT(pool.size() <= pool.config().max_txs);
  const auto selected = pool.select_for_block(gas_limit, max_txs, head);
  TALLY_ASSERT(selected.size() <= max_txs);
  std::uint64_t gas = 0;
  std::map<Address, std::uint64_t> next;
  for (const PooledTx& tx : selected) {
    const auto [it, fresh] = next.try_emplace(tx->sender(), head.nonce(tx->sender()));
    TALLY_ASSERT(tx->tx().fields().nonce == it->second);
    ++it->second;
    gas += tx->tx().fields().gas_limit;
    TALLY_ASSERT(pool.find(tx->hash()) == tx);
  }
  TALLY_ASSERT(gas <= gas_limit);
  const auto all = pool.select_for_block(UINT64_MAX, SIZE_MAX, head);
  TALLY_ASSERT(all.size() == pool.executable_count(head));
  std::map<Address, std::uint64_t> runs;
  for (const PooledTx& tx : all)
    ++runs[tx->sender()];
  for (const Address& sender : fixture().senders) {
    const std::uint64_t state_nonce = head.nonce(sender);
    TALLY_ASSERT(pool.pending_nonce(sender, state_nonce) == state_nonce + runs[sender]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Fixture& txs = fixture();
  TxPoolConfig config;
  config.chain_id = 1337;
  config.block_gas_limit = 200'000;
  config.max_txs = 10;
  config.max_txs_per_sender = 4;
  config.max_nonce_gap = 2;
  config.recent_included = 4;
  config.recovery_threads = 2;
  const Address stranger = txs.senders.back();
  TxPool pool(config, [&stranger](const Address& sender) { return sender != stranger; });
  Head head;
  head.poor = txs.senders[2];

  std::size_t at = 0;
  const auto next_byte = [&]() -> std::uint8_t { return at < size ? data[at++] : 0; };
  std::vector<Hash256> accepted;
  while (at < size) {
    const std::uint8_t op = next_byte();
    switch (op % 5) {
      case 0: {  // one pre-signed tx
        const auto result = pool.add_one(txs.txs[next_byte() % txs.txs.size()], head);
        if (result)
          accepted.push_back(*result);
        break;
      }
      case 1: {  // a batch of pre-signed txs
        std::vector<Bytes> batch(next_byte() % 8);
        for (Bytes& raw : batch)
          raw = txs.txs[next_byte() % txs.txs.size()];
        for (const auto& result : pool.add(batch, head)) {
          if (result)
            accepted.push_back(*result);
        }
        break;
      }
      case 2: {  // raw bytes from the input
        const std::size_t length = std::min<std::size_t>(next_byte(), size - at);
        const BytesView raw(data + at, length);
        at += length;
        if (const auto result = pool.add_one(raw, head); result)
          TALLY_ASSERT(pool.find(*result) != nullptr);
        break;
      }
      case 3: {  // a block: a sender's nonce moves on; some accepted hashes are included
        const Address& sender = txs.senders[next_byte() % kSenders];
        head.nonces[sender] += next_byte() % 3;
        std::vector<Hash256> included;
        for (std::size_t i = next_byte() % 4; i > 0 && !accepted.empty(); --i)
          included.push_back(accepted[next_byte() % accepted.size()]);
        pool.remove_committed(included, head);
        for (const Hash256& hash : included)
          TALLY_ASSERT(pool.find(hash) == nullptr);
        break;
      }
      default:
        check_invariants(pool, head, 21000u * (next_byte() % 8), next_byte() % 6);
        break;
    }
  }
  check_invariants(pool, head, UINT64_MAX, SIZE_MAX);
  return 0;
}
