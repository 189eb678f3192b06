#include "pool_tx_source.hpp"

#include <algorithm>

namespace tally::tallyd {

std::size_t PoolTxSource::pending_count() const {
  const std::size_t executable = pool_.executable_count(head_);
  std::lock_guard lock(mutex_);
  return executable > skipped_.size() ? executable - skipped_.size() : 0;
}

std::vector<std::shared_ptr<const chain::VerifiedTx>> PoolTxSource::select(std::uint64_t gas_limit,
                                                                           std::size_t max_txs) {
  auto candidates = pool_.select_for_block(gas_limit, max_txs, head_);
  std::lock_guard lock(mutex_);
  std::erase_if(candidates, [&](const auto& tx) { return skipped_.contains(tx->hash()); });
  return candidates;
}

void PoolTxSource::on_committed(const chain::Block& block) {
  std::vector<Hash256> included;
  included.reserve(block.txs.size());
  for (const Bytes& raw : block.txs)
    included.push_back(suite_.hash(raw));
  // The view first, so the pool drops stale nonces against the new head. A failed refresh
  // leaves the old head: stale txs stay a block longer, and the next commit refreshes again.
  (void)head_.refresh();
  pool_.remove_committed(included, head_);
  std::lock_guard lock(mutex_);
  skipped_.clear();
}

void PoolTxSource::on_rejected(const Hash256& tx_hash, const Error&) {
  std::lock_guard lock(mutex_);
  skipped_.insert(tx_hash);
}

}  // namespace tally::tallyd
