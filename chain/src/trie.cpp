#include <algorithm>
#include <utility>

#include <tally/chain/trie.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

Hash256 empty_trie_root(CryptoSuite suite) {
  static const Bytes kEmptyString = rlp_encode_string({});
  return suite.hash(kEmptyString);
}

Trie::Trie(CryptoSuite suite) : suite_(suite) {}

Trie::Trie(CryptoSuite suite, const NodeStore& store, const Hash256& root)
    : suite_(suite), store_(&store) {
  if (root != empty_trie_root(suite))
    root_ = make_hash_node(root);
}

Trie::Trie(Trie&&) noexcept = default;
Trie& Trie::operator=(Trie&&) noexcept = default;
Trie::~Trie() = default;

Result<Bytes> Trie::load_encoded(const Hash256& hash) const {
  // Only nodes that came from the store are HashNodes, so a trie without one never gets here.
  TALLY_ASSERT(store_ != nullptr);
  auto found = store_->get(hash);
  if (!found)
    return std::unexpected(std::move(found.error()));
  if (!*found)
    return fail(Errc::not_found, str_cat("trie node ", hash.hex(), " is not in the store"));
  return std::move(**found);
}

Result<TrieNodePtr> Trie::load(const Hash256& hash) const {
  auto encoded = load_encoded(hash);
  if (!encoded)
    return std::unexpected(std::move(encoded.error()));
  auto node = decode_trie_node(*encoded);
  if (!node) {
    return fail(node.error().code, str_cat("trie node ", hash.hex(), ": ", node.error().message));
  }
  (*node)->ref = NodeRef::of_hash(hash);
  return node;
}

Result<void> Trie::resolve(TrieNodePtr& slot) const {
  if (const auto* stored = std::get_if<HashNode>(&slot->body)) {
    auto node = load(stored->hash);
    if (!node)
      return std::unexpected(std::move(node.error()));
    slot = std::move(*node);
  }
  return {};
}

Result<const TrieNode*> Trie::view(const TrieNode& node, TrieNodePtr& holder) const {
  const auto* stored = std::get_if<HashNode>(&node.body);
  if (stored == nullptr)
    return &node;
  auto loaded = load(stored->hash);
  if (!loaded)
    return std::unexpected(std::move(loaded.error()));
  // `node` may live inside `holder`'s old tree: read from it before replacing that.
  holder = std::move(*loaded);
  return holder.get();
}

Result<std::optional<Bytes>> Trie::get(BytesView key) const {
  const Nibbles nibbles = to_nibbles(key);
  NibblesView path = nibbles;
  TrieNodePtr holder;
  const TrieNode* at = root_.get();
  while (at != nullptr) {
    auto node = view(*at, holder);
    if (!node)
      return std::unexpected(std::move(node.error()));
    if (const auto* leaf = std::get_if<LeafNode>(&(*node)->body)) {
      if (!std::ranges::equal(leaf->path, path))
        return std::nullopt;
      return leaf->value;
    }
    if (const auto* extension = std::get_if<ExtensionNode>(&(*node)->body)) {
      if (!starts_with(path, extension->path))
        return std::nullopt;
      path = path.subspan(extension->path.size());
      at = extension->child.get();
      continue;
    }
    const auto& branch = std::get<BranchNode>((*node)->body);
    if (path.empty()) {
      if (branch.value.empty())
        return std::nullopt;
      return branch.value;
    }
    at = branch.children[path[0]].get();
    path = path.subspan(1);
  }
  return std::nullopt;
}

Result<void> Trie::put(BytesView key, BytesView value) {
  if (value.empty())
    return erase(key);
  const Nibbles path = to_nibbles(key);
  auto changed = insert(root_, path, value);
  if (!changed)
    return std::unexpected(std::move(changed.error()));
  return {};
}

Result<void> Trie::erase(BytesView key) {
  const Nibbles path = to_nibbles(key);
  auto changed = remove(root_, path);
  if (!changed)
    return std::unexpected(std::move(changed.error()));
  return {};
}

namespace {

// Adds the entry `path` -> `value` to a fresh branch: as its value when the path ends here,
// otherwise as a leaf under the path's first nibble.
void add_entry(BranchNode& branch, NibblesView path, BytesView value) {
  if (path.empty())
    branch.value.assign(value.begin(), value.end());
  else
    branch.children[path[0]] = make_leaf(path.subspan(1), value);
}

// `node` under `prefix`: an extension with that path, or the node itself when prefix is empty.
TrieNodePtr under_prefix(NibblesView prefix, TrieNodePtr node) {
  return prefix.empty() ? std::move(node) : make_extension(prefix, std::move(node));
}

}  // namespace

// Each insert returns whether anything changed; a node is touched only when something below it
// did, so putting a value that is already there leaves the trie clean.
Result<bool> Trie::insert(TrieNodePtr& slot, NibblesView path, BytesView value) {
  if (!slot) {
    slot = make_leaf(path, value);
    return true;
  }
  if (auto resolved = resolve(slot); !resolved)
    return std::unexpected(std::move(resolved.error()));
  if (std::holds_alternative<LeafNode>(slot->body))
    return insert_into_leaf(slot, path, value);
  if (std::holds_alternative<ExtensionNode>(slot->body))
    return insert_into_extension(slot, path, value);
  auto& branch = std::get<BranchNode>(slot->body);
  if (path.empty()) {
    if (std::ranges::equal(branch.value, value))
      return false;
    branch.value.assign(value.begin(), value.end());
    slot->touch();
    return true;
  }
  auto changed = insert(branch.children[path[0]], path.subspan(1), value);
  if (changed && *changed)
    slot->touch();
  return changed;
}

Result<bool> Trie::insert_into_leaf(TrieNodePtr& slot, NibblesView path, BytesView value) {
  auto& leaf = std::get<LeafNode>(slot->body);
  const std::size_t common = common_prefix_length(leaf.path, path);
  if (common == leaf.path.size() && common == path.size()) {
    if (std::ranges::equal(leaf.value, value))
      return false;
    leaf.value.assign(value.begin(), value.end());
    slot->touch();
    return true;
  }
  // The two keys part after `common` nibbles: a branch there holds both.
  auto branch_node = make_branch();
  auto& branch = std::get<BranchNode>(branch_node->body);
  add_entry(branch, NibblesView(leaf.path).subspan(common), leaf.value);
  add_entry(branch, path.subspan(common), value);
  slot = under_prefix(path.first(common), std::move(branch_node));
  return true;
}

Result<bool> Trie::insert_into_extension(TrieNodePtr& slot, NibblesView path, BytesView value) {
  auto& extension = std::get<ExtensionNode>(slot->body);
  const std::size_t common = common_prefix_length(extension.path, path);
  if (common == extension.path.size()) {
    auto changed = insert(extension.child, path.subspan(common), value);
    if (changed && *changed)
      slot->touch();
    return changed;
  }
  // The new key leaves the extension's path part-way: split it with a branch.
  auto branch_node = make_branch();
  auto& branch = std::get<BranchNode>(branch_node->body);
  const NibblesView old_rest = NibblesView(extension.path).subspan(common);
  branch.children[old_rest[0]] = under_prefix(old_rest.subspan(1), std::move(extension.child));
  add_entry(branch, path.subspan(common), value);
  slot = under_prefix(path.first(common), std::move(branch_node));
  return true;
}

// Each remove returns whether anything changed. After a removal every node on the path is put
// back into canonical shape: no branch with a single entry, no extension over anything but a
// branch. That is what makes the root depend on the set of keys only, not on the history.
Result<bool> Trie::remove(TrieNodePtr& slot, NibblesView path) {
  if (!slot)
    return false;
  if (auto resolved = resolve(slot); !resolved)
    return std::unexpected(std::move(resolved.error()));
  if (auto* leaf = std::get_if<LeafNode>(&slot->body)) {
    if (!std::ranges::equal(leaf->path, path))
      return false;
    slot.reset();
    return true;
  }
  if (auto* extension = std::get_if<ExtensionNode>(&slot->body)) {
    if (!starts_with(path, extension->path))
      return false;
    auto changed = remove(extension->child, path.subspan(extension->path.size()));
    if (!changed || !*changed)
      return changed;
    if (auto collapsed = collapse_extension(slot); !collapsed)
      return std::unexpected(std::move(collapsed.error()));
    return true;
  }
  auto& branch = std::get<BranchNode>(slot->body);
  if (path.empty()) {
    if (branch.value.empty())
      return false;
    branch.value.clear();
  } else {
    auto changed = remove(branch.children[path[0]], path.subspan(1));
    if (!changed || !*changed)
      return changed;
  }
  if (auto collapsed = collapse_branch(slot); !collapsed)
    return std::unexpected(std::move(collapsed.error()));
  return true;
}

namespace {

// Prepends `prefix` to the path of a leaf or an extension and marks it changed.
void prepend_path(TrieNode& node, NibblesView prefix) {
  Nibbles& path = std::holds_alternative<LeafNode>(node.body)
                      ? std::get<LeafNode>(node.body).path
                      : std::get<ExtensionNode>(node.body).path;
  path.insert(path.begin(), prefix.begin(), prefix.end());
  node.touch();
}

}  // namespace

Result<void> Trie::collapse_extension(TrieNodePtr& slot) {
  auto& extension = std::get<ExtensionNode>(slot->body);
  if (!extension.child) {
    slot.reset();
    return {};
  }
  if (auto resolved = resolve(extension.child); !resolved)
    return resolved;
  if (std::holds_alternative<BranchNode>(extension.child->body)) {
    slot->touch();
    return {};
  }
  // The branch below shrank to a leaf or an extension: absorb this path into it.
  TrieNodePtr child = std::move(extension.child);
  prepend_path(*child, extension.path);
  slot = std::move(child);
  return {};
}

Result<void> Trie::collapse_branch(TrieNodePtr& slot) {
  auto& branch = std::get<BranchNode>(slot->body);
  std::size_t children = 0;
  std::size_t last = 0;
  for (std::size_t i = 0; i < kBranchWidth; ++i) {
    if (branch.children[i]) {
      ++children;
      last = i;
    }
  }
  const bool has_value = !branch.value.empty();
  if (children + (has_value ? 1u : 0u) >= 2) {
    slot->touch();
    return {};
  }
  if (children == 0) {
    slot = has_value ? make_leaf({}, branch.value) : nullptr;
    return {};
  }
  // One child left and no value: the branch becomes a path step towards that child.
  TrieNodePtr& only = branch.children[last];
  if (auto resolved = resolve(only); !resolved)
    return resolved;
  const Byte nibble[] = {static_cast<Byte>(last)};
  if (std::holds_alternative<BranchNode>(only->body)) {
    slot = make_extension(nibble, std::move(only));
    return {};
  }
  TrieNodePtr child = std::move(only);
  prepend_path(*child, nibble);
  slot = std::move(child);
  return {};
}

}  // namespace tally::chain
