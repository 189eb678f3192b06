#include <algorithm>
#include <utility>

#include <tally/chain/trie_node.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/rlp_decode.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

Hash256 NodeRef::hash() const {
  TALLY_ASSERT(is_hash());
  Hash256 out;
  std::ranges::copy(bytes, out.bytes.begin());
  return out;
}

NodeRef NodeRef::of_hash(const Hash256& hash) {
  NodeRef out;
  std::ranges::copy(hash.bytes, out.bytes.begin());
  out.size = kTrieHashedNodeMinSize;
  return out;
}

NodeRef NodeRef::of_embedded(BytesView encoding) {
  TALLY_ASSERT(!encoding.empty() && encoding.size() < kTrieHashedNodeMinSize);
  NodeRef out;
  std::ranges::copy(encoding, out.bytes.begin());
  out.size = static_cast<std::uint8_t>(encoding.size());
  return out;
}

// Built field by field: g++ 12 crashes on aggregate initialisation of the variant here.
TrieNodePtr make_hash_node(const Hash256& hash) {
  auto node = std::make_unique<TrieNode>();
  node->body.emplace<HashNode>(HashNode{hash});
  node->ref = NodeRef::of_hash(hash);
  node->dirty = false;
  return node;
}

TrieNodePtr make_leaf(NibblesView path, BytesView value) {
  auto node = std::make_unique<TrieNode>();
  auto& leaf = node->body.emplace<LeafNode>();
  leaf.path.assign(path.begin(), path.end());
  leaf.value.assign(value.begin(), value.end());
  return node;
}

TrieNodePtr make_extension(NibblesView path, TrieNodePtr child) {
  TALLY_ASSERT(!path.empty() && child);
  auto node = std::make_unique<TrieNode>();
  auto& extension = node->body.emplace<ExtensionNode>();
  extension.path.assign(path.begin(), path.end());
  extension.child = std::move(child);
  return node;
}

TrieNodePtr make_branch() {
  auto node = std::make_unique<TrieNode>();
  node->body.emplace<BranchNode>();
  return node;
}

namespace {

// Encoded size of a child slot: the empty string, a 32-byte string, or the embedded encoding.
std::size_t child_item_size(const TrieNodePtr& child) {
  if (!child)
    return 1;
  TALLY_ASSERT(child->ref.valid());
  return child->ref.is_hash() ? 1 + kTrieHashedNodeMinSize : child->ref.size;
}

void append_child(Bytes& out, const TrieNodePtr& child) {
  if (!child) {
    append_rlp_string(out, {});
  } else if (child->ref.is_hash()) {
    append_rlp_string(out, child->ref.view());
  } else {
    const BytesView embedded = child->ref.view();
    out.insert(out.end(), embedded.begin(), embedded.end());
  }
}

void encode_short(NibblesView path, bool leaf, Bytes& out, std::size_t tail_size) {
  const Bytes prefix = hex_prefix_encode(path, leaf);
  append_rlp_list_header(out, rlp_string_size(prefix) + tail_size);
  append_rlp_string(out, prefix);
}

}  // namespace

void encode_trie_node(const TrieNode& node, Bytes& out) {
  if (const auto* leaf = std::get_if<LeafNode>(&node.body)) {
    encode_short(leaf->path, true, out, rlp_string_size(leaf->value));
    append_rlp_string(out, leaf->value);
  } else if (const auto* extension = std::get_if<ExtensionNode>(&node.body)) {
    encode_short(extension->path, false, out, child_item_size(extension->child));
    append_child(out, extension->child);
  } else if (const auto* branch = std::get_if<BranchNode>(&node.body)) {
    std::size_t payload = rlp_string_size(branch->value);
    for (const TrieNodePtr& child : branch->children)
      payload += child_item_size(child);
    append_rlp_list_header(out, payload);
    for (const TrieNodePtr& child : branch->children)
      append_child(out, child);
    append_rlp_string(out, branch->value);
  } else {
    TALLY_ASSERT(false && "a HashNode has no encoding of its own");
  }
}

Bytes encode_trie_node(const TrieNode& node) {
  Bytes out;
  encode_trie_node(node, out);
  return out;
}

namespace {

std::unexpected<Error> malformed_at(std::size_t offset, std::string_view what) {
  return fail(Errc::malformed, str_cat("trie node: offset ", offset, ": ", what));
}

Result<TrieNodePtr> decode_at(BytesView encoded, std::size_t base);

// One child slot; `base` is the offset of the enclosing node in the outermost input.
Result<TrieNodePtr> read_child(RlpReader& reader, std::size_t base) {
  const std::size_t offset = base + reader.offset();
  auto kind = reader.peek_kind();
  if (!kind)
    return std::unexpected(std::move(kind.error()));
  if (*kind == RlpKind::string) {
    auto bytes = reader.read_string();
    if (!bytes)
      return std::unexpected(std::move(bytes.error()));
    if (bytes->empty())
      return TrieNodePtr{};
    if (bytes->size() != Hash256::kSize)
      return malformed_at(offset, "a child reference is neither empty nor a 32-byte hash");
    return make_hash_node(Hash256::from_span(*bytes).value());
  }
  auto raw = reader.read_raw();
  if (!raw)
    return std::unexpected(std::move(raw.error()));
  if (raw->size() >= kTrieHashedNodeMinSize)
    return malformed_at(offset, "an embedded child of 32 bytes or more");
  auto child = decode_at(*raw, offset);
  if (!child)
    return child;
  (*child)->ref = NodeRef::of_embedded(*raw);
  return child;
}

Result<TrieNodePtr> decode_short(RlpReader& reader, std::size_t base) {
  auto prefix = reader.read_string();
  if (!prefix)
    return std::unexpected(std::move(prefix.error()));
  auto path = hex_prefix_decode(*prefix);
  if (!path)
    return malformed_at(base, path.error().message);
  if (path->leaf) {
    const std::size_t offset = base + reader.offset();
    auto value = reader.read_string();
    if (!value)
      return std::unexpected(std::move(value.error()));
    if (value->empty())
      return malformed_at(offset, "a leaf with an empty value");
    return make_leaf(path->path, *value);
  }
  if (path->path.empty())
    return malformed_at(base, "an extension with an empty path");
  const std::size_t offset = base + reader.offset();
  auto child = read_child(reader, base);
  if (!child)
    return child;
  if (!*child)
    return malformed_at(offset, "an extension without a child");
  if ((*child)->ref.valid() && !(*child)->ref.is_hash() &&
      !std::holds_alternative<BranchNode>((*child)->body))
    return malformed_at(offset, "an extension whose embedded child is not a branch");
  return make_extension(path->path, std::move(*child));
}

Result<TrieNodePtr> decode_branch(RlpReader& reader, std::size_t base) {
  auto node = make_branch();
  auto& branch = std::get<BranchNode>(node->body);
  std::size_t entries = 0;
  for (TrieNodePtr& slot : branch.children) {
    auto child = read_child(reader, base);
    if (!child)
      return child;
    if (*child)
      ++entries;
    slot = std::move(*child);
  }
  auto value = reader.read_string();
  if (!value)
    return std::unexpected(std::move(value.error()));
  branch.value.assign(value->begin(), value->end());
  if (!branch.value.empty())
    ++entries;
  if (entries < 2)
    return malformed_at(base, "a branch with fewer than two entries");
  return node;
}

Result<TrieNodePtr> decode_at(BytesView encoded, std::size_t base) {
  auto list = rlp_open_list(encoded);
  if (!list)
    return std::unexpected(std::move(list.error()));
  RlpReader counter = *list;
  std::size_t items = 0;
  while (!counter.at_end()) {
    if (auto skipped = counter.skip(); !skipped)
      return std::unexpected(std::move(skipped.error()));
    ++items;
  }
  Result<TrieNodePtr> node;
  if (items == 2) {
    node = decode_short(*list, base);
  } else if (items == kBranchWidth + 1) {
    node = decode_branch(*list, base);
  } else {
    return malformed_at(base, str_cat("a node of ", items, " items (2 or 17 expected)"));
  }
  if (node)
    (*node)->dirty = false;
  return node;
}

}  // namespace

Result<TrieNodePtr> decode_trie_node(BytesView encoded) {
  return decode_at(encoded, 0);
}

}  // namespace tally::chain
