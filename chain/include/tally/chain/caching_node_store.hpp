#pragma once
// A bounded LRU cache of encoded trie nodes in front of another NodeStore (SQLite, usually).
// Tries load nodes lazily along the paths they touch; the cache keeps the hot top of the state
// trie and recently written paths in memory so a block's updates mostly avoid the database.
//
// Entries are immutable (content-addressed), so the cache is never stale and needs no
// invalidation. Nodes read from the backing store are checked against their hash once, on the way
// in: a corrupted record is reported, not trusted. Thread-safe: one mutex around the LRU; reads of
// the backing store happen outside it.

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <unordered_map>

#include <tally/chain/node_store.hpp>
#include <tally/core/crypto_suite.hpp>

namespace tally::chain {

class CachingNodeStore final : public NodeStore {
 public:
  static constexpr std::size_t kDefaultCapacityBytes = std::size_t{64} << 20;
  // Charged per entry beside its encoding: the list node, the map node and the key.
  static constexpr std::size_t kEntryOverheadBytes = 128;

  // `backing` must outlive the cache. A capacity of 0 caches nothing.
  CachingNodeStore(const NodeStore& backing,
                   CryptoSuite suite,
                   std::size_t capacity_bytes = kDefaultCapacityBytes);

  Result<std::optional<Bytes>> get(const Hash256& hash) const override;

  // Adds the nodes of a batch once the caller has written them to the backing store (an entry
  // evicted before that would be lost to readers).
  void insert(const NodeBatch& batch);

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::size_t entries = 0;
    std::size_t charged_bytes = 0;  // what counts against the capacity
  };
  Stats stats() const;

 private:
  struct Entry {
    Hash256 hash;
    Bytes encoded;
  };
  using Lru = std::list<Entry>;

  void insert_locked(const Hash256& hash, BytesView encoded) const;
  static std::size_t charge(const Entry& entry) noexcept {
    return entry.encoded.size() + kEntryOverheadBytes;
  }

  const NodeStore& backing_;
  CryptoSuite suite_;
  std::size_t capacity_bytes_;

  mutable std::mutex mutex_;
  mutable Lru lru_;  // guarded by mutex_; most recent first
  mutable std::unordered_map<Hash256, Lru::iterator> index_;  // guarded by mutex_
  mutable std::size_t charged_bytes_ = 0;                     // guarded by mutex_
  mutable std::uint64_t hits_ = 0;                            // guarded by mutex_
  mutable std::uint64_t misses_ = 0;                          // guarded by mutex_
};

}  // namespace tally::chain
