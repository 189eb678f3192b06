// What accepting consensus work costs one validator: a round-1 proposal justified by a quorum of
// round changes and the prepares of a prepared block, decoded with every signature recovered and
// checked (the worst case a proposal can be); and verify_finality of a sealed block, what sync
// does per block. n = 4 and 10, each suite; items/s is messages or blocks per second on one core.

#include <benchmark/benchmark.h>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/finality.hpp>
#include <tally/chain/ordered_trie.hpp>
#include <tally/chain/qbft_checks.hpp>
#include <tally/chain/qbft_message.hpp>
#include <tally/core/str_cat.hpp>

namespace {

using namespace tally;
using namespace tally::chain;

struct Setup {
  Setup(SuiteId id, std::size_t n) : suite(id) {
    std::vector<Address> addresses;
    for (std::size_t i = 0; i < n; ++i) {
      keys.push_back(suite.generate_key_pair());
      addresses.push_back(suite.address(keys.back().public_key()));
    }
    validators.emplace(*ValidatorSet::create(addresses));
    genesis.extra_data = ConsensusExtra{{}, validators->addresses(), 0, {}}.encode();
    block.header.parent_hash = *block_digest(genesis, suite);
    block.header.block_number = 1;
    block.header.timestamp = 100;
    block.header.beneficiary = validators->addresses()[0];
    block.header.extra_data = genesis.extra_data;
    block.txs.push_back(to_bytes("tx"));
    block.header.transactions_root = ordered_trie_root(block.txs, suite);
    digest = *block_digest(block.header, suite);
  }
  const KeyPair& key(const Address& address) const {
    for (const KeyPair& k : keys) {
      if (suite.address(k.public_key()) == address)
        return k;
    }
    return keys.front();
  }
  SignedPayload sign(Payload payload, const Address& from) const {
    return *SignedPayload::sign(std::move(payload), key(from), suite);
  }

  CryptoSuite suite;
  std::vector<KeyPair> keys;
  std::optional<ValidatorSet> validators;
  BlockHeader genesis;
  Block block;
  Hash256 digest;
};

void BM_QbftJustifiedProposal(benchmark::State& state, SuiteId id) {
  const Setup s(id, static_cast<std::size_t>(state.range(0)));
  const std::size_t quorum = s.validators->quorum();
  const auto& addresses = s.validators->addresses();
  Message proposal{s.sign({MessageType::proposal, 1, 2, s.digest, std::nullopt, {}},
                          s.validators->proposer(1, 2)),
                   s.block,
                   {},
                   {}};
  for (std::size_t i = 0; i < quorum; ++i) {
    proposal.round_changes.push_back(
        s.sign({MessageType::round_change, 1, 2, s.digest, 1, {}}, addresses[i]));
    proposal.prepares.push_back(
        s.sign({MessageType::prepare, 1, 1, s.digest, std::nullopt, {}}, addresses[i]));
  }
  const Bytes encoded = proposal.encode();
  for (auto _ : state) {
    SignerCache signers;  // cold: every signature recovered
    const CheckContext context{*s.validators, s.suite, 1, s.genesis, s.block.header.parent_hash, 1,
                               1'000'000,     signers};
    auto decoded = Message::decode(encoded, s.suite, signers);
    benchmark::DoNotOptimize(check_proposal(*decoded, context).value());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_QbftVerifyFinality(benchmark::State& state, SuiteId id) {
  const Setup s(id, static_cast<std::size_t>(state.range(0)));
  std::vector<Bytes> seals;
  for (std::size_t i = 0; i < s.validators->quorum(); ++i) {
    const auto seal = s.suite.sign(commit_seal_hash(s.digest, 0, s.suite), s.keys[i]);
    seals.emplace_back(seal->encoded().begin(), seal->encoded().end());
  }
  const Block sealed = *seal_block(s.block, 0, seals);
  for (auto _ : state)
    benchmark::DoNotOptimize(verify_finality(sealed, *s.validators, s.suite).has_value());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

BENCHMARK_CAPTURE(BM_QbftJustifiedProposal, standard, SuiteId::standard)->Arg(4)->Arg(10);
BENCHMARK_CAPTURE(BM_QbftJustifiedProposal, guomi, SuiteId::guomi)->Arg(4)->Arg(10);
BENCHMARK_CAPTURE(BM_QbftVerifyFinality, standard, SuiteId::standard)->Arg(4)->Arg(10);
BENCHMARK_CAPTURE(BM_QbftVerifyFinality, guomi, SuiteId::guomi)->Arg(4)->Arg(10);

}  // namespace
