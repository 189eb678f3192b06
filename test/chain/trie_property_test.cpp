// Random histories of puts and erases, checked against an ordered map. Seeded: a failure prints
// TALLY_SEED=<n> to replay it.

#include <algorithm>
#include <iterator>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/node_store.hpp>
#include <tally/chain/secure_trie.hpp>
#include <tally/chain/trie.hpp>

#include "chain/trie_model.hpp"
#include "support/seed.hpp"

namespace tally::chain {
namespace {

using test::Model;
using test::TrieInputs;

CryptoSuite suite_for(std::uint64_t round) {
  return CryptoSuite(round % 2 == 0 ? SuiteId::standard : SuiteId::guomi);
}

// The root of a fresh in-memory trie holding `model`, entries put in a shuffled order.
Hash256 root_in_shuffled_order(const Model& model, CryptoSuite suite, std::mt19937_64& rng) {
  std::vector<std::pair<Bytes, Bytes>> entries(model.begin(), model.end());
  std::ranges::shuffle(entries, rng);
  Trie trie(suite);
  for (const auto& [key, value] : entries)
    EXPECT_TRUE(trie.put(key, value).has_value());
  return trie.root_hash();
}

std::optional<Bytes> model_next(const Model& model, const Bytes& key) {
  const auto it = model.upper_bound(key);
  return it == model.end() ? std::nullopt : std::optional<Bytes>(it->first);
}

std::optional<Bytes> model_prev(const Model& model, const Bytes& key) {
  auto it = model.lower_bound(key);
  return it == model.begin() ? std::nullopt : std::optional<Bytes>(std::prev(it)->first);
}

// Every read the trie offers agrees with the model: get, the ordered walks, for_each.
void expect_agrees(const Trie& trie, const Model& model, TrieInputs& inputs) {
  for (const auto& [key, value] : model)
    EXPECT_EQ(trie.get(key).value(), value) << to_hex(key);
  for (int probe = 0; probe < 20; ++probe) {
    const Bytes key = inputs.key();
    const auto found = model.find(key);
    EXPECT_EQ(trie.get(key).value(),
              found == model.end() ? std::nullopt : std::optional<Bytes>(found->second));
    EXPECT_EQ(trie.next_key(key).value(), model_next(model, key)) << "next of " << to_hex(key);
    EXPECT_EQ(trie.prev_key(key).value(), model_prev(model, key)) << "prev of " << to_hex(key);
  }
  Model walked;
  ASSERT_TRUE(trie.for_each([&](BytesView key, BytesView value) {
    EXPECT_TRUE(walked.empty() ||
                test::KeyLess{}(walked.rbegin()->first, Bytes(key.begin(), key.end())));
    walked.emplace(Bytes(key.begin(), key.end()), Bytes(value.begin(), value.end()));
  }));
  EXPECT_EQ(walked, model);
}

TEST(TrieProperty, RandomHistoryAgreesWithAnOrderedMap) {
  const std::uint64_t seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  TrieInputs inputs(seed);
  const std::uint64_t rounds = tally::test::property_iterations(24);
  for (std::uint64_t round = 0; round < rounds; ++round) {
    SCOPED_TRACE(round);
    const CryptoSuite suite = suite_for(round);
    MemoryNodeStore store;
    Trie trie(suite, store, empty_trie_root(suite));
    Model model;
    for (int step = 0; step < 300; ++step) {
      const std::size_t choice = inputs.below(100);
      if (choice < 55) {
        const Bytes key = inputs.key();
        const Bytes value = inputs.value();
        ASSERT_TRUE(trie.put(key, value).has_value());
        if (value.empty())
          model.erase(key);
        else
          model[key] = value;
      } else if (choice < 80 && !model.empty()) {
        // Erase a key that is there: the paths that shrink and collapse.
        auto it = model.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(inputs.below(model.size())));
        ASSERT_TRUE(trie.erase(it->first).has_value());
        model.erase(it);
      } else if (choice < 88) {
        // Commit and carry on from the store: later changes load nodes lazily.
        NodeBatch batch;
        const Hash256 root = trie.commit(batch);
        store.write(batch);
        trie = Trie(suite, store, root);
      } else if (choice < 94) {
        const Bytes key = inputs.key();
        const auto found = model.find(key);
        ASSERT_EQ(trie.get(key).value(),
                  found == model.end() ? std::nullopt : std::optional<Bytes>(found->second));
      } else {
        ASSERT_EQ(trie.root_hash(), root_in_shuffled_order(model, suite, inputs.rng()));
      }
    }
    expect_agrees(trie, model, inputs);
    NodeBatch batch;
    const Hash256 root = trie.commit(batch);
    store.write(batch);
    const Trie reopened(suite, store, root);
    expect_agrees(reopened, model, inputs);
  }
}

TEST(TrieProperty, RootDependsOnlyOnTheEntries) {
  const std::uint64_t seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  TrieInputs inputs(seed);
  for (std::uint64_t round = 0; round < tally::test::property_iterations(40); ++round) {
    const CryptoSuite suite = suite_for(round);
    Model model;
    // Churn: some keys are written several times and erased on the way.
    Trie churned(suite);
    for (int step = 0; step < 120; ++step) {
      const Bytes key = inputs.key();
      const Bytes value = inputs.value();
      ASSERT_TRUE(churned.put(key, value).has_value());
      if (value.empty())
        model.erase(key);
      else
        model[key] = value;
    }
    const Hash256 root = churned.root_hash();
    EXPECT_EQ(root, root_in_shuffled_order(model, suite, inputs.rng()));
    EXPECT_EQ(root, root_in_shuffled_order(model, suite, inputs.rng()));
  }
}

TEST(TrieProperty, ErasingEverythingLeavesTheEmptyRoot) {
  const std::uint64_t seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  TrieInputs inputs(seed);
  for (std::uint64_t round = 0; round < tally::test::property_iterations(40); ++round) {
    const CryptoSuite suite = suite_for(round);
    MemoryNodeStore store;
    Trie trie(suite, store, empty_trie_root(suite));
    std::vector<Bytes> keys;
    for (int i = 0; i < 80; ++i) {
      keys.push_back(inputs.key());
      Bytes value = inputs.value();
      value.push_back(1);  // never empty
      ASSERT_TRUE(trie.put(keys.back(), value).has_value());
    }
    // Half the time erase from a trie reopened from the store, so every collapse has to load the
    // sibling it merges with.
    if (round % 2 == 0) {
      NodeBatch batch;
      const Hash256 root = trie.commit(batch);
      store.write(batch);
      trie = Trie(suite, store, root);
    }
    std::ranges::shuffle(keys, inputs.rng());
    for (const Bytes& key : keys)
      ASSERT_TRUE(trie.erase(key).has_value());
    EXPECT_TRUE(trie.empty());
    EXPECT_EQ(trie.root_hash(), empty_trie_root(suite));
  }
}

TEST(TrieProperty, SecureTrieAgreesWithAnOrderedMapAcrossReopens) {
  const std::uint64_t seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  TrieInputs inputs(seed);
  for (std::uint64_t round = 0; round < tally::test::property_iterations(8); ++round) {
    const CryptoSuite suite = suite_for(round);
    MemoryNodeStore store;
    Hash256 root = empty_trie_root(suite);
    Model model;
    for (int block = 0; block < 10; ++block) {
      SecureTrie trie(suite, store, root);
      for (int step = 0; step < 40; ++step) {
        const Bytes key = inputs.key();
        const Bytes value = inputs.value();
        ASSERT_TRUE(trie.put(key, value).has_value());
        if (value.empty())
          model.erase(key);
        else
          model[key] = value;
      }
      NodeBatch batch;
      root = trie.commit(batch);
      store.write(batch);
    }
    const SecureTrie reopened(suite, store, root);
    for (const auto& [key, value] : model)
      EXPECT_EQ(reopened.get(key).value(), value);
    for (int probe = 0; probe < 40; ++probe) {
      const Bytes key = inputs.key();
      if (!model.contains(key)) {
        EXPECT_EQ(reopened.get(key).value(), std::nullopt);
      }
    }
  }
}

}  // namespace
}  // namespace tally::chain
