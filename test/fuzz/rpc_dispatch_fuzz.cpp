// JSON-RPC request bodies from anyone who reaches the port, on any bytes, against a fixed small
// ledger (genesis funding one account, then a block with a value transfer): the dispatcher never
// crashes, and whatever it answers (for anything but notifications) is one JSON value.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <unistd.h>

#include <boost/json.hpp>

#include <tally/chain/extra_data.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/ledger_store.hpp>
#include <tally/chain/rpc_dispatcher.hpp>
#include <tally/chain/state_transition.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/assert.hpp>

namespace {

using namespace tally;
using namespace tally::chain;

constexpr std::uint64_t kChainId = 1337;

class Node final : public RpcNode {
 public:
  std::uint64_t chain_id() const override { return kChainId; }
  SuiteId suite() const override { return SuiteId::standard; }
  std::uint64_t block_gas_limit() const override { return 30'000'000; }
  Result<Hash256> submit_raw_tx(BytesView raw) override {
    auto tx = Transaction::decode(CryptoSuite(SuiteId::standard), raw);
    if (!tx)
      return std::unexpected(tx.error());
    return tx->hash();
  }
  std::optional<std::uint64_t> pending_nonce(const Address&) const override { return 3; }
  std::optional<Transaction> pending_tx(const Hash256&) const override { return std::nullopt; }
  RpcSyncStatus syncing() const override { return {}; }
  RpcConsensusStatus consensus_status() const override { return {}; }
  std::vector<Address> validators() const override { return {}; }
  std::vector<RpcPeer> peers() const override { return {}; }
  const SystemContracts* system_contracts() const override { return nullptr; }
};

BlockHeader header_at(std::uint64_t number) {
  BlockHeader header;
  header.block_number = number;
  header.gas_limit = 30'000'000;
  header.difficulty = 1;
  header.base_fee_per_gas = 0;
  header.extra_data = ConsensusExtra{}.encode();
  return header;
}

// Genesis and one block with a transfer, in a fresh file under the temp folder.
std::filesystem::path make_ledger() {
  const CryptoSuite suite(SuiteId::standard);
  const auto path = std::filesystem::temp_directory_path() /
                    ("tally_rpc_fuzz_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  Ledger ledger = Ledger::open(path, suite).value();
  const KeyPair key = suite.key_pair_from_private_key(Bytes(32, 0x11)).value();
  const Address sender = suite.address(key.public_key());
  LedgerStore store(ledger);
  BlockWrite genesis;
  genesis.block.header = header_at(0);
  WorldState state(suite, store, store, empty_trie_root(suite));
  TALLY_ASSERT(state.add_balance(sender, u256(1) << 80));
  genesis.block.header.state_root = state.commit(genesis.trie_nodes, genesis.code).value();
  TALLY_ASSERT(ledger.commit(genesis));

  TxFields fields;
  fields.chain_id = kChainId;
  fields.gas_limit = 21'000;
  fields.to = Address{};
  fields.value = 5;
  const Transaction tx = sign_tx(fields, key).value();
  BlockWrite next;
  next.block.header = header_at(1);
  next.block.header.parent_hash = ledger.head()->hash;
  WorldState after(suite, store, store, genesis.block.header.state_root);
  CodeCache cache;
  BlockEnv env;
  env.number = 1;
  env.gas_limit = 30'000'000;
  env.chain_id = kChainId;
  const TxOutcome outcome = apply_tx(after, cache, env, tx.fields(), sender).value();
  after.end_tx();
  next.block.txs.emplace_back(tx.encoded().begin(), tx.encoded().end());
  next.receipts.push_back(Receipt{2, outcome.success(), outcome.gas_used, {}, {}});
  next.block.header.gas_used = outcome.gas_used;
  next.block.header.state_root = after.commit(next.trie_nodes, next.code).value();
  TALLY_ASSERT(ledger.commit(next));
  return path;
}

struct Fixture {
  Fixture() : path(make_ledger()) {
    RpcLimits limits;
    limits.max_filters = 16;  // filters made by the fuzzer stay few
    dispatcher = RpcDispatcher::open({path, SuiteId::standard, limits}, node, clock).value();
  }
  ~Fixture() {
    dispatcher.reset();
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path.string() + suffix);
  }
  std::filesystem::path path;
  Node node;
  ManualClock clock;
  std::unique_ptr<RpcDispatcher> dispatcher;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const RpcCaller caller{1, [](std::string) {}};
  if (const auto response = fixture.dispatcher->handle(body, caller)) {
    boost::json::error_code error;
    boost::json::parse(*response, error);
    TALLY_ASSERT(!error);
  }
  return 0;
}
