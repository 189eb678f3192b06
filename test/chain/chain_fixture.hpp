#pragma once
// A small real chain for executor and sync tests: validators and funded accounts with keys
// derived from fixed strings, a genesis block with its state, signed txs, quorum seals, and a
// BlockTxSource over a vector.

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <tally/chain/block_executor.hpp>
#include <tally/chain/block_seal.hpp>
#include <tally/chain/block_tx_source.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/ledger_store.hpp>
#include <tally/chain/trie.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/chain/validator_set.hpp>
#include <tally/chain/world_state.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/str_cat.hpp>

#include "support/testdata.hpp"

namespace tally::chain::test {

inline constexpr std::uint64_t kChainId = 2026;
inline constexpr std::uint64_t kBlockGasLimit = 10'000'000;
inline constexpr std::uint64_t kTxGas = 21'000;

class TestChain {
 public:
  TestChain(SuiteId id, std::size_t validators, std::size_t accounts) : suite_(id) {
    std::vector<Address> addresses;
    for (std::size_t i = 0; i < validators; ++i) {
      validator_keys_.push_back(key(str_cat("validator ", i)));
      addresses.push_back(suite_.address(validator_keys_.back().public_key()));
    }
    set_ = std::make_unique<ValidatorSet>(ValidatorSet::create(addresses).value());
    for (std::size_t i = 0; i < accounts; ++i) {
      account_keys_.push_back(key(str_cat("account ", i)));
      accounts_.push_back(suite_.address(account_keys_.back().public_key()));
    }
  }

  const CryptoSuite& suite() const { return suite_; }
  const ValidatorSet& validators() const { return *set_; }
  const Address& account(std::size_t i) const { return accounts_.at(i); }
  const KeyPair& validator_key(std::size_t i) const { return key_of(set_->addresses().at(i)); }
  ExecutionParams params() const { return ExecutionParams{kChainId, kBlockGasLimit}; }

  // Block 0: every account holds 10^24.
  BlockWrite genesis() const {
    MemoryNodeStore nodes;
    MemoryCodeStore code;
    WorldState state(suite_, nodes, code, empty_root());
    for (const Address& account : accounts_)
      EXPECT_TRUE(
          state.add_balance(account, u256(1'000'000'000'000ULL) * u256(1'000'000'000'000ULL)));
    BlockWrite write;
    BlockHeader& header = write.block.header;
    header.ommers_hash = empty_ommers_hash(suite_);
    header.state_root = state.commit(write.trie_nodes, write.code).value();
    header.transactions_root = empty_root();
    header.receipts_root = empty_root();
    header.difficulty = u256(1);
    header.gas_limit = kBlockGasLimit;
    header.timestamp = 1'700'000'000;
    header.extra_data = ConsensusExtra{{}, set_->addresses(), 0, {}}.encode();
    header.mix_hash = qbft_mix_hash();
    header.base_fee_per_gas = u256(0);
    return write;
  }

  Ledger open_ledger(const std::filesystem::path& path) const {
    // No fsync per commit: these ledgers need not survive a power cut.
    auto ledger = Ledger::open(path, suite_, {.durability = sqlite::Durability::normal});
    EXPECT_TRUE(ledger) << ledger.error();
    EXPECT_TRUE(ledger->commit(genesis()));
    return std::move(*ledger);
  }

  std::shared_ptr<const VerifiedTx> tx(std::size_t from, TxFields fields) const {
    auto signed_tx = sign_tx(std::move(fields), account_keys_.at(from));
    EXPECT_TRUE(signed_tx) << signed_tx.error();
    return std::make_shared<const VerifiedTx>(recover_sender(std::move(*signed_tx)).value());
  }
  std::shared_ptr<const VerifiedTx> transfer(std::size_t from,
                                             std::uint64_t nonce,
                                             const Address& to,
                                             std::uint64_t value) const {
    return tx(from, fields(nonce, to, value, {}, kTxGas));
  }
  static TxFields fields(std::uint64_t nonce,
                         std::optional<Address> to,
                         std::uint64_t value,
                         Bytes data,
                         std::uint64_t gas) {
    TxFields out;
    out.chain_id = kChainId;
    out.nonce = nonce;
    out.set_gas_price(0);
    out.gas_limit = gas;
    out.to = to;
    out.value = value;
    out.data = std::move(data);
    return out;
  }

  BuildBlock build_request(const BlockHeader& parent, std::uint32_t round = 0) const {
    const std::uint64_t number = parent.block_number + 1;
    return BuildBlock{parent, number, parent.timestamp + 1, set_->proposer(number, round),
                      ConsensusExtra{{}, set_->addresses(), round, {}}.encode()};
  }

  // The block sealed in `round` by the first quorum of validators.
  Block seal(const Block& block, std::uint32_t round = 0) const {
    const Hash256 digest = block_digest(block.header, suite_).value();
    std::vector<Bytes> seals;
    for (std::size_t i = 0; i < set_->quorum(); ++i) {
      const KeyPair& key = key_of(set_->addresses()[i]);
      const auto signature = suite_.sign(commit_seal_hash(digest, round, suite_), key).value();
      seals.emplace_back(signature.encoded().begin(), signature.encoded().end());
    }
    return seal_block(block, round, std::move(seals)).value();
  }

  Hash256 empty_root() const { return empty_trie_root(suite_); }

 private:
  KeyPair key(const std::string& name) const {
    return suite_.key_pair_from_private_key(suite_.hash(to_bytes(name)).view()).value();
  }
  const KeyPair& key_of(const Address& validator) const {
    for (const KeyPair& key : validator_keys_) {
      if (suite_.address(key.public_key()) == validator)
        return key;
    }
    TALLY_ASSERT(false);
    return validator_keys_.front();
  }

  CryptoSuite suite_;
  std::vector<KeyPair> validator_keys_;
  std::unique_ptr<ValidatorSet> set_;
  std::vector<KeyPair> account_keys_;
  std::vector<Address> accounts_;
};

// A tx pool stand-in: txs in insertion order; remembers what was rejected.
class VectorTxSource final : public BlockTxSource {
 public:
  void add(std::shared_ptr<const VerifiedTx> tx) { txs_.push_back(std::move(tx)); }

  std::size_t pending_count() const override { return txs_.size(); }
  std::vector<std::shared_ptr<const VerifiedTx>> select(std::uint64_t, std::size_t max) override {
    return std::vector(txs_.begin(),
                       txs_.begin() + static_cast<std::ptrdiff_t>(std::min(max, txs_.size())));
  }
  std::shared_ptr<const VerifiedTx> find(const Hash256& hash) const override {
    ++finds;
    for (const auto& tx : txs_) {
      if (tx->hash() == hash)
        return tx;
    }
    return nullptr;
  }
  void on_committed(const Block& block) override {
    ++committed;
    std::erase_if(txs_, [&](const auto& tx) {
      return std::ranges::any_of(block.txs, [&](const Bytes& raw) {
        return BytesView(raw).size() == tx->tx().encoded().size() &&
               std::ranges::equal(BytesView(raw), tx->tx().encoded());
      });
    });
  }
  void on_rejected(const Hash256& hash, const Error& reason) override {
    rejected.push_back({hash, reason});
    std::erase_if(txs_, [&](const auto& tx) { return tx->hash() == hash; });
  }

  std::vector<std::pair<Hash256, Error>> rejected;
  std::size_t committed = 0;
  mutable std::size_t finds = 0;

 private:
  std::vector<std::shared_ptr<const VerifiedTx>> txs_;
};

inline Bytes contract_code(std::string_view name) {
  const auto path =
      std::filesystem::path(TALLY_SOURCE_DIR) / "test" / "chain" / "solidity" / "contracts.json";
  const boost::json::value contracts = tally::test::read_json(path);
  return from_hex(std::string_view(contracts.at(name).as_string())).value();
}

inline Bytes selector(std::string_view signature) {
  const Hash256 hash = keccak256(as_bytes(signature));
  return Bytes(hash.bytes.begin(), hash.bytes.begin() + 4);
}

// The state a ledger's head holds.
inline WorldState head_state(Ledger& ledger, const LedgerStore& store) {
  const auto header = ledger.header_by_number(ledger.head()->block_number).value().value();
  return WorldState(ledger.suite(), store, store, header.state_root);
}

// One node: a ledger from genesis, a tx source and an executor over them.
struct Node {
  Node(const TestChain& chain, const std::filesystem::path& path)
      : ledger(chain.open_ledger(path)), executor(ledger, chain.suite(), chain.params(), txs) {}

  BlockHeader head_header() {
    return ledger.header_by_number(ledger.head()->block_number).value().value();
  }
  u256 balance(const Address& address) {
    const LedgerStore store(ledger);
    WorldState state = head_state(ledger, store);
    const auto account = state.account(address).value();
    return account ? account->balance : u256(0);
  }
  u256 storage(const Address& address, std::uint64_t slot) {
    const LedgerStore store(ledger);
    WorldState state = head_state(ledger, store);
    return state.storage(address, u256(slot)).value();
  }

  Ledger ledger;
  VectorTxSource txs;
  BlockExecutor executor;
};

// Builds, seals and commits `count` blocks on `node`, one transfer each from account 0.
inline void grow_chain(const TestChain& chain, Node& node, std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t nonce = node.ledger.head()->block_number;
    node.txs.add(chain.transfer(0, nonce, chain.account(1), 1 + i));
    const auto built = node.executor.build(chain.build_request(node.head_header()));
    ASSERT_TRUE(built && *built);
    ASSERT_TRUE(node.executor.commit(chain.seal(**built)));
  }
}

}  // namespace tally::chain::test
