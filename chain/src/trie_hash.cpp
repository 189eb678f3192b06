// Hashing and committing: both walk only the nodes whose cached state is stale. A node's ref or
// dirty flag can be stale only if its parent's is too (every change touches the whole path up to
// the root), so the walks stop at the first fresh node and cost O(changed nodes).

#include <tally/chain/trie.hpp>
#include <tally/core/assert.hpp>

namespace tally::chain {

namespace {

void set_ref(TrieNode& node, BytesView encoding, CryptoSuite suite) {
  node.ref = encoding.size() < kTrieHashedNodeMinSize ? NodeRef::of_embedded(encoding)
                                                      : NodeRef::of_hash(suite.hash(encoding));
}

template <typename Fn>
void for_each_child(TrieNode& node, Fn&& fn) {
  if (auto* extension = std::get_if<ExtensionNode>(&node.body)) {
    fn(*extension->child);
  } else if (auto* branch = std::get_if<BranchNode>(&node.body)) {
    for (TrieNodePtr& child : branch->children) {
      if (child)
        fn(*child);
    }
  }
}

// `scratch` is shared by the whole walk: a node is encoded only after all its children are done.
void compute_ref(TrieNode& node, CryptoSuite suite, Bytes& scratch) {
  if (node.ref.valid())
    return;
  for_each_child(node, [&](TrieNode& child) { compute_ref(child, suite, scratch); });
  scratch.clear();
  encode_trie_node(node, scratch);
  set_ref(node, scratch, suite);
}

void commit_node(TrieNode& node, CryptoSuite suite, NodeBatch& out, Bytes& scratch) {
  if (!node.dirty)
    return;
  for_each_child(node, [&](TrieNode& child) { commit_node(child, suite, out, scratch); });
  scratch.clear();
  encode_trie_node(node, scratch);
  if (!node.ref.valid())
    set_ref(node, scratch, suite);
  if (node.ref.is_hash())
    out.add(node.ref.hash(), Bytes(scratch.begin(), scratch.end()));
  node.dirty = false;
}

}  // namespace

Hash256 Trie::root_hash() {
  if (!root_)
    return empty_trie_root(suite_);
  Bytes scratch;
  compute_ref(*root_, suite_, scratch);
  // The root is always referred to by hash, however short its encoding.
  return root_->ref.is_hash() ? root_->ref.hash() : suite_.hash(root_->ref.view());
}

Hash256 Trie::commit(NodeBatch& out) {
  if (!root_)
    return empty_trie_root(suite_);
  const bool root_dirty = root_->dirty;
  Bytes scratch;
  commit_node(*root_, suite_, out, scratch);
  if (root_->ref.is_hash())
    return root_->ref.hash();
  // A short root is embedded nowhere, so it is stored under its hash like any other node.
  const Hash256 root = suite_.hash(root_->ref.view());
  if (root_dirty)
    out.add(root, Bytes(root_->ref.view().begin(), root_->ref.view().end()));
  return root;
}

}  // namespace tally::chain
