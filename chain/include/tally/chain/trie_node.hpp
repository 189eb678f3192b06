#pragma once
// The nodes of an Ethereum Merkle-Patricia trie, as a trie holds them in memory, and their
// encoding (Yellow Paper, appendix D):
//   leaf:      rlp([hex_prefix(path, leaf), value])
//   extension: rlp([hex_prefix(path, not leaf), child])
//   branch:    rlp([child_0, ..., child_15, value])   (value empty when no key ends here)
// A child is referenced by the suite hash of its encoding, or, when that encoding is shorter than
// 32 bytes, embedded in the parent as the encoding itself. An empty branch slot is the empty
// string.
//
// In memory a node owns its children. A child that lives in a NodeStore and has not been loaded is
// a HashNode; loading replaces it with the decoded node. Each node caches the reference its parent
// holds to it (`ref`) until a change invalidates it, and remembers whether it is `dirty`: created
// or changed since it was last handed to a NodeBatch, so commit() writes only new nodes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <variant>

#include <tally/chain/nibbles.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

// Encodings at least this long are referenced by hash; shorter ones are embedded in the parent.
inline constexpr std::size_t kTrieHashedNodeMinSize = 32;
inline constexpr std::size_t kBranchWidth = 16;

struct TrieNode;
using TrieNodePtr = std::unique_ptr<TrieNode>;

struct HashNode {
  Hash256 hash;
};
struct LeafNode {
  Nibbles path;
  Bytes value;  // never empty: an empty value is no value
};
struct ExtensionNode {
  Nibbles path;       // never empty
  TrieNodePtr child;  // a branch, in a well-formed trie
};
struct BranchNode {
  std::array<TrieNodePtr, kBranchWidth> children;
  Bytes value;  // empty when no key ends at this branch
};

// What a parent holds for a child: the child's hash (32 bytes) or its whole encoding (shorter).
// Size 0 means "not computed": every real encoding is at least 3 bytes.
struct NodeRef {
  std::array<Byte, kTrieHashedNodeMinSize> bytes{};
  std::uint8_t size = 0;

  bool valid() const noexcept { return size != 0; }
  bool is_hash() const noexcept { return size == kTrieHashedNodeMinSize; }
  BytesView view() const noexcept { return BytesView(bytes.data(), size); }
  Hash256 hash() const;  // asserts is_hash()
  static NodeRef of_hash(const Hash256& hash);
  static NodeRef of_embedded(BytesView encoding);  // asserts the size is below 32
};

struct TrieNode {
  using Body = std::variant<HashNode, LeafNode, ExtensionNode, BranchNode>;

  Body body;
  NodeRef ref;        // cached; reset when the node or anything below it changes
  bool dirty = true;  // not yet handed to a NodeBatch (nor loaded from a store)

  // Marks the node changed: its reference must be recomputed and it must be written again.
  void touch() noexcept {
    ref = NodeRef{};
    dirty = true;
  }
};

TrieNodePtr make_hash_node(const Hash256& hash);
TrieNodePtr make_leaf(NibblesView path, BytesView value);
TrieNodePtr make_extension(NibblesView path, TrieNodePtr child);
TrieNodePtr make_branch();

// The encoding of `node`, appended to `out`. Every child must have a valid ref (HashNodes always
// do; see Trie for how refs are computed bottom-up). Asserts on a HashNode itself.
void encode_trie_node(const TrieNode& node, Bytes& out);
Bytes encode_trie_node(const TrieNode& node);

// Decodes one node, strictly: canonical RLP, a leaf or extension of two items or a branch of
// seventeen, canonical hex-prefix paths, children that are empty, a 32-byte hash or an embedded
// node shorter than 32 bytes, no empty leaf value, no empty extension path, an embedded extension
// child that is a branch, and branches with at least two entries. Whatever it accepts encodes back
// to the same bytes. Embedded children are decoded too (clean, with their encoding as ref); hashed
// children become HashNodes. The node returned is clean with no ref: the caller knows its hash.
Result<TrieNodePtr> decode_trie_node(BytesView encoded);

}  // namespace tally::chain
