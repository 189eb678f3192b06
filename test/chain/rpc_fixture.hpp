#pragma once
// A small real chain for the JSON-RPC tests: a ledger file with a genesis that funds one sender,
// then blocks of signed txs run through apply_tx (the Counter contract of solidity/contracts.json
// deployed, a value transfer, add() calls that emit Incremented), committed as the node would.
// Blocks carry a ConsensusExtra with round 0 and no seals, so their digest is their hash.
// A double of RpcNode stands in for the running node.

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <tally/chain/create_address.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/ledger_store.hpp>
#include <tally/chain/ordered_trie.hpp>
#include <tally/chain/rpc_node.hpp>
#include <tally/chain/state_transition.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/keccak.hpp>

#include "support/temp_dir.hpp"
#include "support/testdata.hpp"

namespace tally::chain::test_rpc {

inline constexpr std::uint64_t kChainId = 1337;
inline constexpr std::uint64_t kGasLimit = 30'000'000;

inline Bytes contract_code(std::string_view name) {
  const auto path =
      std::filesystem::path(TALLY_SOURCE_DIR) / "test" / "chain" / "solidity" / "contracts.json";
  const boost::json::value contracts = test::read_json(path);
  return from_hex(std::string_view(contracts.at(name).as_string())).value();
}

inline Bytes selector(std::string_view signature) {
  const Hash256 hash = keccak256(as_bytes(signature));
  return Bytes(hash.bytes.begin(), hash.bytes.begin() + 4);
}

inline Bytes add_call(std::uint64_t amount) {
  // Built in place: g++ 12 warns falsely (array-bounds) on inserting into a 4-byte vector.
  Bytes data(4 + 32);
  const Bytes head = selector("add(uint256)");
  std::copy(head.begin(), head.end(), data.begin());
  const Hash256 word = u256(amount).to_be();
  std::copy(word.bytes.begin(), word.bytes.end(), data.begin() + 4);
  return data;
}

// The node as the RPC server sees it: fixed parameters, a pool that keeps what it is given.
class FakeRpcNode final : public RpcNode {
 public:
  std::uint64_t chain_id() const override { return kChainId; }
  SuiteId suite() const override { return SuiteId::standard; }
  std::uint64_t block_gas_limit() const override { return kGasLimit; }

  Result<Hash256> submit_raw_tx(BytesView raw) override {
    auto tx = Transaction::decode(CryptoSuite(SuiteId::standard), raw);
    if (!tx)
      return std::unexpected(tx.error());
    const std::lock_guard lock(mutex_);
    if (pool_.contains(tx->hash()))
      return fail(Errc::already_exists, "already known");
    const Hash256 hash = tx->hash();
    pool_.emplace(hash, std::move(*tx));
    return hash;
  }
  std::optional<std::uint64_t> pending_nonce(const Address& sender) const override {
    const std::lock_guard lock(mutex_);
    const auto found = pending_nonces_.find(sender);
    return found == pending_nonces_.end() ? std::nullopt : std::optional(found->second);
  }
  std::optional<Transaction> pending_tx(const Hash256& hash) const override {
    const std::lock_guard lock(mutex_);
    const auto found = pool_.find(hash);
    return found == pool_.end() ? std::nullopt : std::optional(found->second);
  }
  RpcSyncStatus syncing() const override { return {}; }
  RpcConsensusStatus consensus_status() const override {
    return {4, 1, Address::from_hex("0x00000000000000000000000000000000000000aa").value(), true};
  }
  std::vector<Address> validators() const override {
    return {Address::from_hex("0x00000000000000000000000000000000000000aa").value()};
  }
  std::vector<RpcPeer> peers() const override {
    return {{"node-b", Address::from_hex("0x00000000000000000000000000000000000000bb").value(),
             "127.0.0.1:30304", true},
            {"node-c", Address{}, "127.0.0.1:30305", false}};
  }
  const SystemContracts* system_contracts() const override { return nullptr; }

  void set_pending_nonce(const Address& sender, std::uint64_t nonce) {
    const std::lock_guard lock(mutex_);
    pending_nonces_[sender] = nonce;
  }

 private:
  mutable std::mutex mutex_;
  std::map<Hash256, Transaction> pool_;
  std::map<Address, std::uint64_t> pending_nonces_;
};

// Builds and commits blocks on a writable ledger.
class ChainBuilder {
 public:
  explicit ChainBuilder(const std::filesystem::path& path)
      : suite_(SuiteId::standard),
        key_(suite_.key_pair_from_private_key(Bytes(32, 0x11)).value()),
        ledger_(Ledger::open(path, suite_).value()) {
    sender_ = suite_.address(key_.public_key());
    commit_genesis();
  }

  const CryptoSuite& suite() const { return suite_; }
  const Address& sender() const { return sender_; }
  Ledger& ledger() { return ledger_; }
  std::uint64_t next_nonce() const { return nonce_; }

  TxFields fields(std::optional<Address> to, Bytes data, u256 value = 0) {
    TxFields out;
    out.type = TxType::dynamic_fee;
    out.chain_id = kChainId;
    out.nonce = nonce_++;
    out.set_gas_price(0);
    out.gas_limit = 1'000'000;
    out.to = to;
    out.value = value;
    out.data = std::move(data);
    return out;
  }
  Transaction sign(TxFields fields) { return sign_tx(std::move(fields), key_).value(); }

  // Runs `txs` on the head state and commits them as the next block; returns its header.
  BlockHeader commit_block(const std::vector<Transaction>& txs) {
    const BlockHeader parent =
        ledger_.header_by_number(ledger_.head()->block_number).value().value();
    LedgerStore store(ledger_);
    WorldState state(suite_, store, store, parent.state_root);
    BlockWrite write;
    BlockEnv env;
    env.number = parent.block_number + 1;
    env.timestamp = 1'700'000'000 + env.number;
    env.gas_limit = kGasLimit;
    env.chain_id = kChainId;
    CodeCache cache;
    std::uint64_t cumulative = 0;
    for (const Transaction& tx : txs) {
      auto outcome = apply_tx(state, cache, env, tx.fields(), sender_).value();
      state.end_tx();
      cumulative += outcome.gas_used;
      Receipt receipt;
      receipt.tx_type = static_cast<std::uint8_t>(tx.type());
      receipt.success = outcome.success();
      receipt.cumulative_gas_used = cumulative;
      receipt.logs = outcome.logs;
      receipt.bloom = logs_bloom(receipt.logs);
      write.receipts.push_back(std::move(receipt));
      write.block.txs.emplace_back(tx.encoded().begin(), tx.encoded().end());
    }
    BlockHeader& header = write.block.header;
    header = base_header(parent.block_number + 1);
    header.parent_hash = ledger_.head()->hash;
    header.timestamp = env.timestamp;
    header.gas_used = cumulative;
    header.state_root = state.commit(write.trie_nodes, write.code).value();
    header.transactions_root = ordered_trie_root(write.block.txs, suite_);
    std::vector<Bytes> receipts;
    Bloom bloom;
    for (const Receipt& receipt : write.receipts) {
      receipts.push_back(receipt.encode());
      bloom.merge(receipt.bloom);
    }
    header.receipts_root = ordered_trie_root(receipts, suite_);
    header.logs_bloom = bloom;
    EXPECT_TRUE(ledger_.commit(write));
    return header;
  }

 private:
  BlockHeader base_header(std::uint64_t number) const {
    BlockHeader header;
    header.ommers_hash = suite_.hash(Bytes{0xc0});
    header.beneficiary = Address::from_hex("0x00000000000000000000000000000000000000aa").value();
    header.difficulty = 1;
    header.block_number = number;
    header.gas_limit = kGasLimit;
    ConsensusExtra extra;
    extra.validators = {header.beneficiary};
    header.extra_data = extra.encode();
    header.base_fee_per_gas = 0;
    header.transactions_root = empty_trie_root(suite_);
    header.receipts_root = empty_trie_root(suite_);
    return header;
  }

  void commit_genesis() {
    LedgerStore store(ledger_);
    WorldState state(suite_, store, store, empty_trie_root(suite_));
    EXPECT_TRUE(state.add_balance(sender_, u256(1) << 80));
    BlockWrite write;
    write.block.header = base_header(0);
    write.block.header.state_root = state.commit(write.trie_nodes, write.code).value();
    EXPECT_TRUE(ledger_.commit(write));
  }

  CryptoSuite suite_;
  KeyPair key_;
  Address sender_;
  Ledger ledger_;
  std::uint64_t nonce_ = 0;
};

}  // namespace tally::chain::test_rpc
