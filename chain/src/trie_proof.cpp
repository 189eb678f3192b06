#include <algorithm>
#include <utility>

#include <tally/chain/trie.hpp>
#include <tally/chain/trie_node.hpp>
#include <tally/chain/trie_proof.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

namespace {

// One step of a walk down a key's path: the child to go on to, or the walk's outcome.
struct Step {
  const TrieNode* next = nullptr;
  bool done = false;
  std::optional<Bytes> value;  // the outcome, when done
};

Step step(const TrieNode& node, NibblesView& path) {
  if (const auto* leaf = std::get_if<LeafNode>(&node.body)) {
    if (std::ranges::equal(leaf->path, path))
      return {nullptr, true, leaf->value};
    return {nullptr, true, std::nullopt};
  }
  if (const auto* extension = std::get_if<ExtensionNode>(&node.body)) {
    if (!starts_with(path, extension->path))
      return {nullptr, true, std::nullopt};
    path = path.subspan(extension->path.size());
    return {extension->child.get(), false, std::nullopt};
  }
  const auto& branch = std::get<BranchNode>(node.body);
  if (path.empty()) {
    if (branch.value.empty())
      return {nullptr, true, std::nullopt};
    return {nullptr, true, branch.value};
  }
  const TrieNode* child = branch.children[path[0]].get();
  path = path.subspan(1);
  if (child == nullptr)
    return {nullptr, true, std::nullopt};
  return {child, false, std::nullopt};
}

std::unexpected<Error> refuted(std::size_t index, std::string_view what) {
  return fail(Errc::verification_failed, str_cat("trie proof: node ", index, ": ", what));
}

}  // namespace

Result<std::vector<Bytes>> Trie::prove(BytesView key) {
  std::vector<Bytes> proof;
  if (!root_)
    return proof;
  root_hash();  // every node in memory gets its ref, so the encodings below can be made
  const Nibbles nibbles = to_nibbles(key);
  NibblesView path = nibbles;
  TrieNodePtr holder;
  const TrieNode* at = root_.get();
  while (at != nullptr) {
    if (const auto* stored = std::get_if<HashNode>(&at->body)) {
      auto encoded = load_encoded(stored->hash);
      if (!encoded)
        return std::unexpected(std::move(encoded.error()));
      auto node = decode_trie_node(*encoded);
      if (!node)
        return std::unexpected(std::move(node.error()));
      proof.push_back(std::move(*encoded));
      holder = std::move(*node);
      at = holder.get();
    } else if (at == root_.get() || at->ref.is_hash()) {
      proof.push_back(encode_trie_node(*at));
    }
    const Step next = step(*at, path);
    if (next.done)
      break;
    at = next.next;
  }
  return proof;
}

Result<std::optional<Bytes>> verify_trie_proof(CryptoSuite suite,
                                               const Hash256& root,
                                               BytesView key,
                                               std::span<const Bytes> proof) {
  if (proof.size() > kMaxTrieProofNodes) {
    return fail(Errc::limit_exceeded,
                str_cat("trie proof: ", proof.size(), " nodes, at most ", kMaxTrieProofNodes));
  }
  if (root == empty_trie_root(suite)) {
    if (!proof.empty())
      return refuted(0, "the empty trie has no nodes to prove with");
    return std::nullopt;
  }
  const Nibbles nibbles = to_nibbles(key);
  NibblesView path = nibbles;
  Hash256 expected = root;
  for (std::size_t index = 0; index < proof.size(); ++index) {
    if (suite.hash(proof[index]) != expected)
      return refuted(index, index == 0 ? "does not hash to the root"
                                       : "does not hash to the reference its parent holds");
    auto decoded = decode_trie_node(proof[index]);
    if (!decoded)
      return refuted(index, decoded.error().message);
    const TrieNode* at = decoded->get();
    // Embedded children travel inside this node: walk them until the path ends or leaves it.
    while (true) {
      const Step next = step(*at, path);
      if (next.done) {
        if (index + 1 != proof.size())
          return refuted(index + 1, "the key's path ended before this node");
        return next.value;
      }
      if (const auto* stored = std::get_if<HashNode>(&next.next->body)) {
        expected = stored->hash;
        break;
      }
      at = next.next;
    }
  }
  return refuted(proof.size(), "missing: the proof ends before the key's path does");
}

}  // namespace tally::chain
