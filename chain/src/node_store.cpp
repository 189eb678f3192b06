#include <iterator>
#include <utility>

#include <tally/chain/node_store.hpp>

namespace tally::chain {

void NodeBatch::add(const Hash256& hash, Bytes encoded) {
  encoded_bytes_ += encoded.size();
  nodes_.push_back(NodeWrite{hash, std::move(encoded)});
}

void NodeBatch::append(NodeBatch&& other) {
  encoded_bytes_ += other.encoded_bytes_;
  if (nodes_.empty()) {
    nodes_ = std::move(other.nodes_);
  } else {
    nodes_.insert(nodes_.end(), std::make_move_iterator(other.nodes_.begin()),
                  std::make_move_iterator(other.nodes_.end()));
  }
  other.nodes_.clear();
  other.encoded_bytes_ = 0;
}

Result<std::optional<Bytes>> MemoryNodeStore::get(const Hash256& hash) const {
  const auto found = nodes_.find(hash);
  if (found == nodes_.end())
    return std::optional<Bytes>{};
  return std::optional<Bytes>{found->second};
}

void MemoryNodeStore::write(const NodeBatch& batch) {
  for (const NodeWrite& node : batch.nodes())
    nodes_.try_emplace(node.hash, node.encoded);
}

}  // namespace tally::chain
