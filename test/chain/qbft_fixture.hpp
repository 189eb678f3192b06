#pragma once
// Validators with keys, a genesis, blocks and signed messages for the consensus tests.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/ordered_trie.hpp>
#include <tally/chain/qbft_checks.hpp>
#include <tally/chain/qbft_message.hpp>
#include <tally/chain/validator_set.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain::test {

// Names parameterised tests after the suite: .../standard, .../guomi.
inline std::string suite_param_name(const ::testing::TestParamInfo<SuiteId>& param) {
  return std::string(suite_name(param.param));
}

constexpr std::uint64_t kNowMs = 1'000'000;  // 1000 s: well past genesis plus a block period

class Validators {
 public:
  Validators(SuiteId id, std::size_t count) : suite_(id) {
    std::vector<Address> addresses;
    for (std::size_t i = 0; i < count + 1; ++i) {
      const Hash256 secret = suite_.hash(to_bytes(str_cat("validator ", i)));
      keys_.push_back(*suite_.key_pair_from_private_key(secret.view()));
      if (i < count)
        addresses.push_back(suite_.address(keys_.back().public_key()));
    }
    set_ = std::make_unique<ValidatorSet>(*ValidatorSet::create(addresses));
    genesis_.difficulty = u256(1);
    genesis_.extra_data = ConsensusExtra{{}, set_->addresses(), 0, {}}.encode();
    genesis_digest_ = *block_digest(genesis_, suite_);
  }

  const CryptoSuite& suite() const { return suite_; }
  const ValidatorSet& set() const { return *set_; }
  const BlockHeader& genesis() const { return genesis_; }
  CheckContext context(std::uint64_t now_ms = kNowMs) const {
    return CheckContext{*set_, suite_, 1, genesis_, genesis_digest_, 1, now_ms, signers_};
  }

  // The key of validator `address`; the last key is an outsider's.
  const KeyPair& key_of(const Address& address) const {
    for (const KeyPair& key : keys_) {
      if (suite_.address(key.public_key()) == address)
        return key;
    }
    TALLY_ASSERT(false);
    return keys_.front();
  }
  const KeyPair& outsider() const { return keys_.back(); }
  const Address& validator(std::size_t index) const { return set_->addresses()[index]; }
  const Address& proposer(std::uint32_t round) const { return set_->proposer(1, round); }

  Block block(std::uint64_t timestamp = 100, std::string_view tx = "tx") const {
    Block block;
    block.header.parent_hash = genesis_digest_;
    block.header.block_number = 1;
    block.header.timestamp = timestamp;
    block.header.beneficiary = proposer(0);
    block.header.difficulty = u256(1);
    block.header.extra_data = ConsensusExtra{{}, set_->addresses(), 0, {}}.encode();
    block.txs.push_back(to_bytes(tx));
    block.header.transactions_root = ordered_trie_root(block.txs, suite_);
    return block;
  }
  Hash256 digest(const Block& block) const { return *block_digest(block.header, suite_); }

  SignedPayload sign(Payload payload, const KeyPair& key) const {
    return *SignedPayload::sign(std::move(payload), key, suite_);
  }
  SignedPayload prepare(const Address& from, std::uint32_t round, const Hash256& digest) const {
    return sign(Payload{MessageType::prepare, 1, round, digest, std::nullopt, {}}, key_of(from));
  }
  SignedPayload commit(const KeyPair& key, std::uint32_t round, const Hash256& digest) const {
    const auto seal = suite_.sign(commit_seal_hash(digest, round, suite_), key);
    const BytesView bytes = seal->encoded();
    return sign(Payload{MessageType::commit, 1, round, digest, std::nullopt,
                        Bytes(bytes.begin(), bytes.end())},
                key);
  }
  std::vector<SignedPayload> prepares(std::uint32_t round,
                                      const Hash256& digest,
                                      std::size_t count) const {
    std::vector<SignedPayload> out;
    for (std::size_t i = 0; i < count; ++i)
      out.push_back(prepare(validator(i), round, digest));
    return out;
  }
  // A round change to `round` from validator `index`, prepared in `prepared_round` when given.
  Message round_change(std::size_t index,
                       std::uint32_t round,
                       std::optional<std::uint32_t> prepared_round = std::nullopt,
                       const std::optional<Block>& prepared = std::nullopt) const {
    Payload payload{MessageType::round_change, 1, round, Hash256{}, prepared_round, {}};
    Message message;
    if (prepared_round) {
      payload.digest = digest(*prepared);
      message.block = prepared;
      message.prepares = prepares(*prepared_round, payload.digest, set_->quorum());
    }
    message.signed_payload = sign(std::move(payload), key_of(validator(index)));
    return message;
  }
  Message proposal(std::uint32_t round, const Block& block) const {
    Message message;
    message.signed_payload =
        sign(Payload{MessageType::proposal, 1, round, digest(block), std::nullopt, {}},
             key_of(proposer(round)));
    message.block = block;
    return message;
  }

 private:
  CryptoSuite suite_;
  std::vector<KeyPair> keys_;
  std::unique_ptr<ValidatorSet> set_;
  BlockHeader genesis_;
  Hash256 genesis_digest_;
  mutable SignerCache signers_;
};

}  // namespace tally::chain::test
