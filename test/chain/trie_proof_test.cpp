#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/node_store.hpp>
#include <tally/chain/secure_trie.hpp>
#include <tally/chain/trie.hpp>
#include <tally/chain/trie_proof.hpp>

#include "chain/trie_model.hpp"
#include "support/seed.hpp"

namespace tally::chain {
namespace {

using test::Model;
using test::TrieInputs;

const CryptoSuite kStandard(SuiteId::standard);
const CryptoSuite kGuomi(SuiteId::guomi);

Bytes text(std::string_view value) {
  return to_bytes(value);
}

// A trie of `count` keys from `inputs`, committed and reopened from `store`, and its model.
Trie stored_trie(CryptoSuite suite,
                 MemoryNodeStore& store,
                 TrieInputs& inputs,
                 int count,
                 Model& model) {
  Trie trie(suite, store, empty_trie_root(suite));
  for (int i = 0; i < count; ++i) {
    const Bytes key = inputs.key();
    Bytes value = inputs.value();
    value.push_back(0x42);
    EXPECT_TRUE(trie.put(key, value).has_value());
    model[key] = value;
  }
  NodeBatch batch;
  const Hash256 root = trie.commit(batch);
  store.write(batch);
  return Trie(suite, store, root);
}

TEST(TrieProof, ProvesEveryValueAndEveryAbsence) {
  const std::uint64_t seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  TrieInputs inputs(seed);
  for (const CryptoSuite suite : {kStandard, kGuomi}) {
    for (std::uint64_t round = 0; round < tally::test::property_iterations(10); ++round) {
      MemoryNodeStore store;
      Model model;
      Trie trie = stored_trie(suite, store, inputs, 60, model);
      const Hash256 root = trie.root_hash();
      for (const auto& [key, value] : model) {
        const auto proof = trie.prove(key);
        ASSERT_TRUE(proof.has_value());
        EXPECT_EQ(verify_trie_proof(suite, root, key, *proof).value(), value);
      }
      for (int probe = 0; probe < 60; ++probe) {
        const Bytes key = inputs.key();
        if (model.contains(key))
          continue;
        const auto proof = trie.prove(key);
        ASSERT_TRUE(proof.has_value());
        EXPECT_EQ(verify_trie_proof(suite, root, key, *proof).value(), std::nullopt);
      }
    }
  }
}

TEST(TrieProof, UncommittedTrieProvesWithTheSameNodes) {
  MemoryNodeStore store;
  TrieInputs inputs(7);
  Model model;
  Trie stored = stored_trie(kStandard, store, inputs, 80, model);
  Trie fresh(kStandard);
  for (const auto& [key, value] : model)
    ASSERT_TRUE(fresh.put(key, value).has_value());
  for (const auto& [key, value] : model)
    EXPECT_EQ(fresh.prove(key).value(), stored.prove(key).value());
}

TEST(TrieProof, SecureTrieProofsUseTheHashedKey) {
  SecureTrie trie(kGuomi);
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(trie.put(as_bytes("account" + std::to_string(i)), text("some account rlp")));
  const Hash256 root = trie.root_hash();
  const auto proof = trie.prove(text("account7"));
  ASSERT_TRUE(proof.has_value());
  EXPECT_EQ(SecureTrie::verify_proof(kGuomi, root, text("account7"), *proof).value(),
            text("some account rlp"));
  const auto absent = trie.prove(text("account70"));
  EXPECT_EQ(SecureTrie::verify_proof(kGuomi, root, text("account70"), *absent).value(),
            std::nullopt);
  EXPECT_FALSE(verify_trie_proof(kGuomi, root, text("account7"), *proof).has_value())
      << "the unhashed key walks another path";
}

TEST(TrieProof, EmptyTrieIsProvenByNoNodes) {
  Trie trie(kStandard);
  const auto proof = trie.prove(text("anything"));
  ASSERT_TRUE(proof.has_value());
  EXPECT_TRUE(proof->empty());
  const Hash256 empty = empty_trie_root(kStandard);
  EXPECT_EQ(verify_trie_proof(kStandard, empty, text("anything"), {}).value(), std::nullopt);
  const std::vector<Bytes> extra = {from_hex("0x80").value()};
  EXPECT_EQ(verify_trie_proof(kStandard, empty, text("anything"), extra).error().code,
            Errc::verification_failed);
}

TEST(TrieProof, ShortRootIsItsOwnProof) {
  Trie trie(kStandard);
  ASSERT_TRUE(trie.put(text("a"), text("b")).has_value());
  const auto proof = trie.prove(text("a"));
  ASSERT_EQ(proof->size(), 1u);
  EXPECT_LT(proof->front().size(), 32u);
  EXPECT_EQ(verify_trie_proof(kStandard, trie.root_hash(), text("a"), *proof).value(), text("b"));
}

// The proofs the mutation tests below attack: values and absences of a trie with long values (so
// most nodes are hashed) and short ones (so some are embedded).
struct ProofCase {
  Bytes key;
  std::vector<Bytes> proof;
  std::optional<Bytes> value;
};

std::vector<ProofCase> proof_cases(Trie& trie) {
  for (int i = 0; i < 40; ++i) {
    const std::string value = i % 3 == 0 ? "v" : std::string(40, static_cast<char>('a' + i % 26));
    EXPECT_TRUE(trie.put(as_bytes("key-" + std::to_string(i * 7)), as_bytes(value)));
  }
  std::vector<ProofCase> cases;
  for (const char* key : {"key-0", "key-21", "key-273", "key-3", "key-2730", "nokey"}) {
    ProofCase c{text(key), trie.prove(text(key)).value(), trie.get(text(key)).value()};
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(TrieProof, ChangingAnyByteOfAnyNodeFailsVerification) {
  for (const CryptoSuite suite : {kStandard, kGuomi}) {
    Trie trie(suite);
    const std::vector<ProofCase> cases = proof_cases(trie);
    const Hash256 root = trie.root_hash();
    std::size_t mutations = 0;
    std::size_t longest = 0;
    for (const ProofCase& c : cases) {
      ASSERT_EQ(verify_trie_proof(suite, root, c.key, c.proof).value(), c.value);
      ASSERT_FALSE(c.proof.empty());
      longest = std::max(longest, c.proof.size());
      for (std::size_t node = 0; node < c.proof.size(); ++node) {
        for (std::size_t at = 0; at < c.proof[node].size(); ++at) {
          for (const Byte flip : {Byte{0x01}, Byte{0x80}, Byte{0xff}}) {
            std::vector<Bytes> bad = c.proof;
            bad[node][at] ^= flip;
            const auto verified = verify_trie_proof(suite, root, c.key, bad);
            ASSERT_FALSE(verified.has_value()) << "node " << node << " byte " << at;
            EXPECT_EQ(verified.error().code, Errc::verification_failed);
            ++mutations;
          }
        }
      }
    }
    EXPECT_GE(longest, 3u) << "some proofs go several nodes deep";
    EXPECT_GT(mutations, 3000u);
  }
}

TEST(TrieProof, DroppingAddingOrReorderingNodesFailsVerification) {
  Trie trie(kStandard);
  const std::vector<ProofCase> cases = proof_cases(trie);
  const Hash256 root = trie.root_hash();
  for (const ProofCase& c : cases) {
    SCOPED_TRACE(std::string(c.key.begin(), c.key.end()));
    for (std::size_t node = 0; node < c.proof.size(); ++node) {
      std::vector<Bytes> dropped = c.proof;
      dropped.erase(dropped.begin() + static_cast<std::ptrdiff_t>(node));
      EXPECT_FALSE(verify_trie_proof(kStandard, root, c.key, dropped).has_value());
      std::vector<Bytes> truncated = c.proof;
      truncated[node].pop_back();
      EXPECT_FALSE(verify_trie_proof(kStandard, root, c.key, truncated).has_value());
      std::vector<Bytes> doubled = c.proof;
      doubled.insert(doubled.begin() + static_cast<std::ptrdiff_t>(node), c.proof[node]);
      EXPECT_FALSE(verify_trie_proof(kStandard, root, c.key, doubled).has_value());
    }
    std::vector<Bytes> extended = c.proof;
    extended.push_back(c.proof.back());
    EXPECT_FALSE(verify_trie_proof(kStandard, root, c.key, extended).has_value());
    if (c.proof.size() >= 2) {
      std::vector<Bytes> swapped = c.proof;
      std::swap(swapped[0], swapped[1]);
      EXPECT_FALSE(verify_trie_proof(kStandard, root, c.key, swapped).has_value());
    }
    Hash256 other_root = root;
    other_root.bytes[31] ^= 1;
    EXPECT_FALSE(verify_trie_proof(kStandard, other_root, c.key, c.proof).has_value());
    EXPECT_FALSE(verify_trie_proof(kGuomi, root, c.key, c.proof).has_value())
        << "another suite's hashes";
  }
}

TEST(TrieProof, RefusesMoreNodesThanTheBound) {
  const std::vector<Bytes> at_bound(kMaxTrieProofNodes, from_hex("0xc0").value());
  EXPECT_EQ(
      verify_trie_proof(kStandard, kStandard.hash(text("r")), text("k"), at_bound).error().code,
      Errc::verification_failed);
  std::vector<Bytes> past_bound = at_bound;
  past_bound.push_back(from_hex("0xc0").value());
  EXPECT_EQ(
      verify_trie_proof(kStandard, kStandard.hash(text("r")), text("k"), past_bound).error().code,
      Errc::limit_exceeded);
}

}  // namespace
}  // namespace tally::chain
