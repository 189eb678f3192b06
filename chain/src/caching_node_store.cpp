#include <utility>

#include <tally/chain/caching_node_store.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

CachingNodeStore::CachingNodeStore(const NodeStore& backing,
                                   CryptoSuite suite,
                                   std::size_t capacity_bytes)
    : backing_(backing), suite_(suite), capacity_bytes_(capacity_bytes) {}

Result<std::optional<Bytes>> CachingNodeStore::get(const Hash256& hash) const {
  {
    const std::lock_guard lock(mutex_);
    if (const auto found = index_.find(hash); found != index_.end()) {
      ++hits_;
      lru_.splice(lru_.begin(), lru_, found->second);
      return std::optional<Bytes>{found->second->encoded};
    }
    ++misses_;
  }
  auto loaded = backing_.get(hash);
  if (!loaded || !*loaded)
    return loaded;
  if (suite_.hash(**loaded) != hash) {
    return fail(Errc::corrupted,
                str_cat("trie node ", hash.hex(), ": stored bytes hash to something else"));
  }
  const std::lock_guard lock(mutex_);
  insert_locked(hash, **loaded);
  return loaded;
}

void CachingNodeStore::insert(const NodeBatch& batch) {
  const std::lock_guard lock(mutex_);
  for (const NodeWrite& node : batch.nodes())
    insert_locked(node.hash, node.encoded);
}

CachingNodeStore::Stats CachingNodeStore::stats() const {
  const std::lock_guard lock(mutex_);
  return Stats{hits_, misses_, index_.size(), charged_bytes_};
}

void CachingNodeStore::insert_locked(const Hash256& hash, BytesView encoded) const {
  if (const auto found = index_.find(hash); found != index_.end()) {
    lru_.splice(lru_.begin(), lru_, found->second);
    return;
  }
  Entry entry{hash, Bytes(encoded.begin(), encoded.end())};
  if (charge(entry) > capacity_bytes_)
    return;
  charged_bytes_ += charge(entry);
  lru_.push_front(std::move(entry));
  index_.emplace(hash, lru_.begin());
  while (charged_bytes_ > capacity_bytes_) {
    const Entry& oldest = lru_.back();
    charged_bytes_ -= charge(oldest);
    index_.erase(oldest.hash);
    lru_.pop_back();
  }
}

}  // namespace tally::chain
