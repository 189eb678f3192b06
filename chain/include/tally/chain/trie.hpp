#pragma once
// An Ethereum Merkle-Patricia trie (Yellow Paper, appendix D) over a NodeStore, hashed with the
// chain's crypto suite: Keccak-256 in `standard` (roots equal Ethereum's), SM3 in `guomi` (same
// structure and encoding, other hashes).
//
// A trie opened at a root holds only that root's hash. Nodes are loaded one at a time along the
// paths that get, put, erase and prove walk, so changing a few keys of a large trie reads and
// rewrites only their paths. Changed nodes stay in memory until commit() hands them to the caller
// as a NodeBatch; the trie never writes to the store itself. Nodes loaded for a change stay
// resolved in memory for the trie's lifetime: a long-lived trie should be reopened at its root
// once its batches are written, to let them go.
//
// Keys are byte strings of any length; values are byte strings, and an empty value is no value:
// put(key, {}) erases, as Ethereum's reference tests expect. Not synchronised: one thread at a
// time, except that const members (get, the ordered walks) may run concurrently with each other.

#include <functional>
#include <optional>
#include <vector>

#include <tally/chain/node_store.hpp>
#include <tally/chain/trie_node.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

// The root of the empty trie: hash(rlp("")), 0x56e81f...b421 in the standard suite.
Hash256 empty_trie_root(CryptoSuite suite);

class Trie {
 public:
  // An empty trie without a store: everything stays in memory (ordered roots, scratch tries).
  explicit Trie(CryptoSuite suite);
  // The trie with root `root` in `store`, which must outlive the trie. The empty root opens an
  // empty trie; any other root is read from the store when first needed (a root that is not there
  // is not_found then).
  Trie(CryptoSuite suite, const NodeStore& store, const Hash256& root);

  Trie(Trie&&) noexcept;
  Trie& operator=(Trie&&) noexcept;
  ~Trie();

  // Errors come only from the store: not_found for a node the trie refers to that the store lacks,
  // malformed for a stored node that does not decode, or what the store itself reports.
  Result<std::optional<Bytes>> get(BytesView key) const;
  Result<void> put(BytesView key, BytesView value);
  Result<void> erase(BytesView key);

  // Hashes what changed since the last call; cheap when nothing did.
  Hash256 root_hash();
  // Appends every node created or changed since the last commit to `out`, children before parents,
  // and returns the root. The root node is included even when shorter than 32 bytes (it is looked
  // up by hash when the trie is reopened). Committing twice without a change adds nothing.
  Hash256 commit(NodeBatch& out);

  // Ordered walks, in byte order of keys (a key sorts before its extensions).
  // The smallest key greater than `key` / the largest key less than it; nullopt when there is none.
  Result<std::optional<Bytes>> next_key(BytesView key) const;
  Result<std::optional<Bytes>> prev_key(BytesView key) const;
  using Visitor = std::function<void(BytesView key, BytesView value)>;
  Result<void> for_each(const Visitor& visit) const;

  // The encoded nodes on the path of `key`, root first: every node referenced by hash, the root
  // always (embedded nodes travel inside their parents). Proves the key's value or its absence;
  // see trie_proof.hpp for verification. Computes the root hash first.
  Result<std::vector<Bytes>> prove(BytesView key);

  CryptoSuite suite() const noexcept { return suite_; }
  bool empty() const noexcept { return root_ == nullptr; }

 private:
  friend class TrieWalk;  // the ordered walks, in trie_order.cpp

  Result<bool> insert(TrieNodePtr& slot, NibblesView path, BytesView value);
  Result<bool> insert_into_leaf(TrieNodePtr& slot, NibblesView path, BytesView value);
  Result<bool> insert_into_extension(TrieNodePtr& slot, NibblesView path, BytesView value);
  Result<bool> remove(TrieNodePtr& slot, NibblesView path);
  Result<void> collapse_extension(TrieNodePtr& slot);
  Result<void> collapse_branch(TrieNodePtr& slot);

  // Replaces a HashNode in `slot` by the node it names, loaded from the store.
  Result<void> resolve(TrieNodePtr& slot) const;
  // `node` itself, or, for a HashNode, the node loaded from the store and kept in `holder`.
  Result<const TrieNode*> view(const TrieNode& node, TrieNodePtr& holder) const;
  Result<TrieNodePtr> load(const Hash256& hash) const;
  Result<Bytes> load_encoded(const Hash256& hash) const;

  CryptoSuite suite_;
  const NodeStore* store_ = nullptr;  // null for a trie that was never stored
  TrieNodePtr root_;                  // null when empty
};

}  // namespace tally::chain
