// Ordered walks. Nibble paths sort like the keys they spell (a key before its extensions, since a
// branch's own value sorts before its children), so a search is one descent that leaves the
// target's path only where the first larger (or smaller) subtree starts.

#include <algorithm>
#include <compare>
#include <optional>

#include <tally/chain/trie.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

class TrieWalk {
 public:
  explicit TrieWalk(const Trie& trie) : trie_(trie) {}

  // Appends to `key` the rest of the smallest key below `at` that is greater than `target`, the
  // rest of the search key below this node; with no target, the smallest key. Returns whether
  // there is one; `key` is left as it was when there is not.
  Result<bool> first_above(const TrieNode& at, std::optional<NibblesView> target, Nibbles& key);
  // The same for the largest key less than `target`.
  Result<bool> last_below(const TrieNode& at, std::optional<NibblesView> target, Nibbles& key);
  Result<void> visit_all(const TrieNode& at, Nibbles& key, const Trie::Visitor& visit);

 private:
  const Trie& trie_;
};

namespace {

std::strong_ordering compare(NibblesView a, NibblesView b) {
  return std::lexicographical_compare_three_way(a.begin(), a.end(), b.begin(), b.end());
}

void append(Nibbles& key, NibblesView path) {
  key.insert(key.end(), path.begin(), path.end());
}

// Where an extension's path stands against the target: below every target key, above them, or
// on the way (the target continues past the path).
enum class PathVsTarget { below, above, on_path };

PathVsTarget locate(NibblesView path, NibblesView target) {
  const std::size_t shared = std::min(path.size(), target.size());
  const auto order = compare(path.first(shared), target.first(shared));
  if (order < 0)
    return PathVsTarget::below;
  if (order > 0 || target.size() < path.size())
    return PathVsTarget::above;  // the target ends inside the path: every key here is longer
  return target.size() == path.size() ? PathVsTarget::above : PathVsTarget::on_path;
}

Result<Bytes> key_bytes(const Nibbles& key) {
  if (key.size() % 2 != 0)
    return fail(Errc::corrupted, "trie: a value at an odd nibble depth");
  return nibbles_to_bytes(key);
}

}  // namespace

Result<bool> TrieWalk::first_above(const TrieNode& at,
                                   std::optional<NibblesView> target,
                                   Nibbles& key) {
  TrieNodePtr holder;
  auto viewed = trie_.view(at, holder);
  if (!viewed)
    return std::unexpected(std::move(viewed.error()));
  const TrieNode& node = **viewed;
  const std::size_t mark = key.size();
  if (const auto* leaf = std::get_if<LeafNode>(&node.body)) {
    if (target && compare(leaf->path, *target) <= 0)
      return false;
    append(key, leaf->path);
    return true;
  }
  if (const auto* extension = std::get_if<ExtensionNode>(&node.body)) {
    std::optional<NibblesView> below;
    if (target) {
      // An extension's child is a branch: a target equal to the path excludes only its value.
      const NibblesView path = extension->path;
      const bool same = std::ranges::equal(path, *target);
      const PathVsTarget where = same ? PathVsTarget::on_path : locate(path, *target);
      if (where == PathVsTarget::below)
        return false;
      if (where == PathVsTarget::on_path)
        below = target->subspan(path.size());
    }
    append(key, extension->path);
    auto found = first_above(*extension->child, below, key);
    if (!found || !*found)
      key.resize(mark);
    return found;
  }
  const auto& branch = std::get<BranchNode>(node.body);
  if (!target && !branch.value.empty())
    return true;
  std::size_t first_free = 0;  // children from here on are all above the target
  if (target && !target->empty()) {
    const Byte nibble = (*target)[0];
    first_free = nibble + 1u;
    if (const TrieNodePtr& child = branch.children[nibble]) {
      key.push_back(nibble);
      auto found = first_above(*child, target->subspan(1), key);
      if (!found || *found)
        return found;
      key.resize(mark);
    }
  }
  for (std::size_t i = first_free; i < kBranchWidth; ++i) {
    if (const TrieNodePtr& child = branch.children[i]) {
      key.push_back(static_cast<Byte>(i));
      auto found = first_above(*child, std::nullopt, key);
      if (!found || *found)
        return found;
      key.resize(mark);
    }
  }
  return false;
}

Result<bool> TrieWalk::last_below(const TrieNode& at,
                                  std::optional<NibblesView> target,
                                  Nibbles& key) {
  TrieNodePtr holder;
  auto viewed = trie_.view(at, holder);
  if (!viewed)
    return std::unexpected(std::move(viewed.error()));
  const TrieNode& node = **viewed;
  const std::size_t mark = key.size();
  if (const auto* leaf = std::get_if<LeafNode>(&node.body)) {
    if (target && compare(leaf->path, *target) >= 0)
      return false;
    append(key, leaf->path);
    return true;
  }
  if (const auto* extension = std::get_if<ExtensionNode>(&node.body)) {
    std::optional<NibblesView> below;
    if (target) {
      const PathVsTarget where = locate(extension->path, *target);
      if (where == PathVsTarget::above)
        return false;
      if (where == PathVsTarget::on_path)
        below = target->subspan(extension->path.size());
    }
    append(key, extension->path);
    auto found = last_below(*extension->child, below, key);
    if (!found || !*found)
      key.resize(mark);
    return found;
  }
  const auto& branch = std::get<BranchNode>(node.body);
  if (target && target->empty())
    return false;                       // every key here starts with the target, so none is less
  std::size_t free_end = kBranchWidth;  // children below this are all under the target
  if (target) {
    const Byte nibble = (*target)[0];
    free_end = nibble;
    if (const TrieNodePtr& child = branch.children[nibble]) {
      key.push_back(nibble);
      auto found = last_below(*child, target->subspan(1), key);
      if (!found || *found)
        return found;
      key.resize(mark);
    }
  }
  for (std::size_t i = free_end; i-- > 0;) {
    if (const TrieNodePtr& child = branch.children[i]) {
      key.push_back(static_cast<Byte>(i));
      auto found = last_below(*child, std::nullopt, key);
      if (!found || *found)
        return found;
      key.resize(mark);
    }
  }
  return !branch.value.empty();
}

Result<void> TrieWalk::visit_all(const TrieNode& at, Nibbles& key, const Trie::Visitor& visit) {
  TrieNodePtr holder;
  auto viewed = trie_.view(at, holder);
  if (!viewed)
    return std::unexpected(std::move(viewed.error()));
  const TrieNode& node = **viewed;
  const std::size_t mark = key.size();
  auto emit = [&](BytesView value) -> Result<void> {
    auto bytes = key_bytes(key);
    if (!bytes)
      return std::unexpected(std::move(bytes.error()));
    visit(*bytes, value);
    return {};
  };
  Result<void> done;
  if (const auto* leaf = std::get_if<LeafNode>(&node.body)) {
    append(key, leaf->path);
    done = emit(leaf->value);
  } else if (const auto* extension = std::get_if<ExtensionNode>(&node.body)) {
    append(key, extension->path);
    done = visit_all(*extension->child, key, visit);
  } else {
    const auto& branch = std::get<BranchNode>(node.body);
    if (!branch.value.empty())
      done = emit(branch.value);
    for (std::size_t i = 0; done && i < kBranchWidth; ++i) {
      if (const TrieNodePtr& child = branch.children[i]) {
        key.push_back(static_cast<Byte>(i));
        done = visit_all(*child, key, visit);
        key.resize(mark);
      }
    }
  }
  key.resize(mark);
  return done;
}

namespace {

Result<std::optional<Bytes>> to_key(const Result<bool>& found, const Nibbles& key) {
  if (!found)
    return std::unexpected(found.error());
  if (!*found)
    return std::nullopt;
  auto bytes = key_bytes(key);
  if (!bytes)
    return std::unexpected(std::move(bytes.error()));
  return std::optional<Bytes>(std::move(*bytes));
}

}  // namespace

Result<std::optional<Bytes>> Trie::next_key(BytesView key) const {
  if (!root_)
    return std::nullopt;
  const Nibbles target = to_nibbles(key);
  Nibbles found_key;
  const auto found = TrieWalk(*this).first_above(*root_, NibblesView(target), found_key);
  return to_key(found, found_key);
}

Result<std::optional<Bytes>> Trie::prev_key(BytesView key) const {
  if (!root_)
    return std::nullopt;
  const Nibbles target = to_nibbles(key);
  Nibbles found_key;
  const auto found = TrieWalk(*this).last_below(*root_, NibblesView(target), found_key);
  return to_key(found, found_key);
}

Result<void> Trie::for_each(const Visitor& visit) const {
  if (!root_)
    return {};
  Nibbles key;
  return TrieWalk(*this).visit_all(*root_, key, visit);
}

}  // namespace tally::chain
