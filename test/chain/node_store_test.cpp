// The node stores, and the promise they exist for: changing a few keys of a large trie reads and
// writes only their paths.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <iostream>
#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/caching_node_store.hpp>
#include <tally/chain/node_store.hpp>
#include <tally/chain/secure_trie.hpp>

#include "support/seed.hpp"

namespace tally::chain {
namespace {

const CryptoSuite kStandard(SuiteId::standard);

// Counts the reads that reach it.
class CountingStore final : public NodeStore {
 public:
  explicit CountingStore(const NodeStore& inner) : inner_(inner) {}
  Result<std::optional<Bytes>> get(const Hash256& hash) const override {
    reads_.fetch_add(1);
    return inner_.get(hash);
  }
  std::uint64_t reads() const { return reads_.load(); }

 private:
  const NodeStore& inner_;
  mutable std::atomic<std::uint64_t> reads_{0};
};

NodeBatch batch_of(int count, std::size_t value_size) {
  NodeBatch batch;
  for (int i = 0; i < count; ++i) {
    Bytes encoded(value_size, static_cast<Byte>(i));
    encoded[0] = static_cast<Byte>(i >> 8);
    batch.add(kStandard.hash(encoded), encoded);
  }
  return batch;
}

TEST(NodeBatch, AppendsAndCountsBytes) {
  NodeBatch a = batch_of(3, 40);
  NodeBatch b = batch_of(2, 50);
  a.append(std::move(b));
  EXPECT_EQ(a.size(), 5u);
  EXPECT_EQ(a.encoded_bytes(), 3 * 40 + 2 * 50u);
  EXPECT_TRUE(b.empty());
}

TEST(MemoryNodeStore, ReturnsWhatWasWrittenAndNothingElse) {
  MemoryNodeStore store;
  const NodeBatch batch = batch_of(10, 40);
  store.write(batch);
  store.write(batch);  // idempotent
  EXPECT_EQ(store.size(), 10u);
  for (const NodeWrite& node : batch.nodes())
    EXPECT_EQ(store.get(node.hash).value(), node.encoded);
  EXPECT_EQ(store.get(kStandard.hash(as_bytes("other"))).value(), std::nullopt);
}

TEST(CachingNodeStore, ServesRepeatsFromMemory) {
  MemoryNodeStore backing;
  const NodeBatch batch = batch_of(10, 40);
  backing.write(batch);
  const CountingStore counting(backing);
  const CachingNodeStore cache(counting, kStandard);
  for (int pass = 0; pass < 3; ++pass) {
    for (const NodeWrite& node : batch.nodes())
      EXPECT_EQ(cache.get(node.hash).value(), node.encoded);
  }
  EXPECT_EQ(counting.reads(), 10u);
  EXPECT_EQ(cache.stats().hits, 20u);
  EXPECT_EQ(cache.stats().misses, 10u);
  EXPECT_EQ(cache.get(kStandard.hash(as_bytes("absent"))).value(), std::nullopt);
  EXPECT_EQ(cache.stats().entries, 10u) << "absence is not cached";
}

TEST(CachingNodeStore, StaysWithinItsCapacityEvictingTheLeastRecentlyUsed) {
  MemoryNodeStore backing;
  const NodeBatch batch = batch_of(100, 100);
  backing.write(batch);
  const std::size_t entry = 100 + CachingNodeStore::kEntryOverheadBytes;
  const CachingNodeStore cache(backing, kStandard, 10 * entry);
  const Hash256& first = batch.nodes()[0].hash;
  for (const NodeWrite& node : batch.nodes()) {
    ASSERT_TRUE(cache.get(node.hash).has_value());
    ASSERT_TRUE(cache.get(first).has_value());  // keep the first one recent
    EXPECT_LE(cache.stats().charged_bytes, 10 * entry);
  }
  EXPECT_EQ(cache.stats().entries, 10u);
  const auto misses = cache.stats().misses;
  ASSERT_TRUE(cache.get(first).has_value());
  ASSERT_TRUE(cache.get(batch.nodes()[99].hash).has_value());
  EXPECT_EQ(cache.stats().misses, misses) << "recently used entries survive";
  ASSERT_TRUE(cache.get(batch.nodes()[50].hash).has_value());
  EXPECT_EQ(cache.stats().misses, misses + 1) << "older ones were evicted";
}

TEST(CachingNodeStore, ZeroCapacityCachesNothing) {
  MemoryNodeStore backing;
  const NodeBatch batch = batch_of(3, 40);
  backing.write(batch);
  CachingNodeStore cache(backing, kStandard, 0);
  cache.insert(batch);
  EXPECT_EQ(cache.get(batch.nodes()[1].hash).value(), batch.nodes()[1].encoded);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(CachingNodeStore, InsertWarmsTheCache) {
  MemoryNodeStore backing;
  const NodeBatch batch = batch_of(5, 40);
  backing.write(batch);
  const CountingStore counting(backing);
  CachingNodeStore cache(counting, kStandard);
  cache.insert(batch);
  for (const NodeWrite& node : batch.nodes())
    EXPECT_EQ(cache.get(node.hash).value(), node.encoded);
  EXPECT_EQ(counting.reads(), 0u);
}

// A store whose record under a hash holds other bytes.
class SwappingStore final : public NodeStore {
 public:
  Result<std::optional<Bytes>> get(const Hash256&) const override {
    return std::optional<Bytes>(Bytes{0xc2, 0x20, 0x01});
  }
};

TEST(CachingNodeStore, RefusesARecordThatDoesNotMatchItsHash) {
  const SwappingStore backing;
  const CachingNodeStore cache(backing, kStandard);
  const auto read = cache.get(kStandard.hash(as_bytes("x")));
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, Errc::corrupted);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(CachingNodeStore, ConcurrentReadersSeeTheSameBytes) {
  MemoryNodeStore backing;
  const NodeBatch batch = batch_of(200, 60);
  backing.write(batch);
  const CachingNodeStore cache(backing, kStandard, 50 * 200);  // small: evictions race reads
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const NodeWrite& node = batch.nodes()[static_cast<std::size_t>((i * 7 + t) % 200)];
        const auto read = cache.get(node.hash);
        if (!read || *read != node.encoded)
          wrong.fetch_add(1);
      }
    });
  }
  for (std::thread& reader : readers)
    reader.join();
  EXPECT_EQ(wrong.load(), 0);
}

// The point of lazy loading: a block that changes a few keys of a large state reads and writes
// only their paths, not the trie.
TEST(TrieStore, UpdatingAFewKeysOfALargeTrieTouchesOnlyTheirPaths) {
  constexpr std::uint64_t kKeys = 100'000;
  const std::uint64_t seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  auto key_of = [](std::uint64_t i) {
    Bytes key(8);
    for (std::size_t b = 0; b < 8; ++b)
      key[b] = static_cast<Byte>(i >> (8 * b));
    return key;
  };

  MemoryNodeStore store;
  Hash256 root;
  {
    SecureTrie trie(kStandard);
    Bytes value(32);
    for (std::uint64_t i = 0; i < kKeys; ++i) {
      std::ranges::generate(value, [&] { return static_cast<Byte>(rng()); });
      ASSERT_TRUE(trie.put(key_of(i), value).has_value());
    }
    NodeBatch batch;
    root = trie.commit(batch);
    store.write(batch);
  }
  ASSERT_GT(store.size(), kKeys);

  // The longest path among the keys about to change bounds what each may touch.
  std::vector<Bytes> touched;
  for (int i = 0; i < 5; ++i)
    touched.push_back(key_of(rng() % kKeys));
  const Bytes inserted = key_of(kKeys + 1);
  const Bytes erased = key_of(rng() % kKeys);
  std::size_t depth = 0;
  {
    SecureTrie reader(kStandard, store, root);
    for (const Bytes& key : touched)
      depth = std::max(depth, reader.prove(key).value().size());
    depth = std::max(depth, reader.prove(inserted).value().size());
    depth = std::max(depth, reader.prove(erased).value().size());
  }
  ASSERT_GE(depth, 4u) << "16^4 < 100k: paths are at least four hashed nodes deep";
  ASSERT_LE(depth, 8u);

  const CountingStore counting(store);
  SecureTrie trie(kStandard, counting, root);
  for (const Bytes& key : touched)
    ASSERT_TRUE(trie.put(key, as_bytes("new value, long enough to be hashed")).has_value());
  ASSERT_TRUE(trie.put(inserted, as_bytes("a new account")).has_value());
  ASSERT_TRUE(trie.erase(erased).has_value());
  NodeBatch batch;
  EXPECT_NE(trie.commit(batch), root);

  const std::size_t changed_keys = touched.size() + 2;
  // Each key reads at most its path, plus the sibling an erase may merge with.
  EXPECT_LE(counting.reads(), changed_keys * depth + 1);
  EXPECT_GE(counting.reads(), depth) << "the first path at least was loaded";
  // Each key rewrites at most its path, plus the branch an insert may add.
  EXPECT_LE(batch.size(), changed_keys * (depth + 1));
  EXPECT_GT(batch.size(), 0u);
  std::cout << "100k-key trie, " << changed_keys << " keys changed, paths of at most " << depth
            << " hashed nodes: " << counting.reads() << " node reads, " << batch.size()
            << " node writes (of " << store.size() << " stored)\n";
}

}  // namespace
}  // namespace tally::chain
