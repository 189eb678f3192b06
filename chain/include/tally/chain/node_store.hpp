#pragma once
// Where trie nodes live: encoded nodes keyed by the suite hash of their encoding. Content
// addressing makes a stored node immutable: a key is never rewritten with other bytes, so writing
// is idempotent and caches never go stale.
//
// Reading and writing are split. A trie reads through NodeStore::get, lazily, one node at a time.
// It never writes: Trie::commit hands the new nodes over as a NodeBatch, and whoever owns the
// storage writes the batches of a whole block (state trie, storage tries) in one database
// transaction, so a crash never leaves a partial block behind.

#include <cstddef>
#include <optional>
#include <unordered_map>
#include <vector>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

class NodeStore {
 public:
  virtual ~NodeStore() = default;

  // The encoded node whose hash is `hash`, nullopt when there is none. An error only when the
  // store cannot answer (an I/O failure, a corrupted record).
  virtual Result<std::optional<Bytes>> get(const Hash256& hash) const = 0;
};

struct NodeWrite {
  Hash256 hash;
  Bytes encoded;
};

// The new nodes of one or more commits, children before parents. The same hash may appear twice
// (two tries holding an identical subtree): writers should treat an existing key as written.
class NodeBatch {
 public:
  void add(const Hash256& hash, Bytes encoded);
  void append(NodeBatch&& other);

  const std::vector<NodeWrite>& nodes() const noexcept { return nodes_; }
  std::size_t size() const noexcept { return nodes_.size(); }
  bool empty() const noexcept { return nodes_.empty(); }
  // Encoded bytes of all nodes, hashes not included.
  std::size_t encoded_bytes() const noexcept { return encoded_bytes_; }

 private:
  std::vector<NodeWrite> nodes_;
  std::size_t encoded_bytes_ = 0;
};

// Everything in a hash map: tests, benchmarks, and tries that never outlive a computation.
// Not synchronised: one thread at a time.
class MemoryNodeStore final : public NodeStore {
 public:
  Result<std::optional<Bytes>> get(const Hash256& hash) const override;
  void write(const NodeBatch& batch);

  std::size_t size() const noexcept { return nodes_.size(); }

 private:
  // Looked up, never iterated, so the unordered map cannot leak an order into results.
  std::unordered_map<Hash256, Bytes> nodes_;
};

}  // namespace tally::chain
