#pragma once
// The tx pool seen by the block executor (block_tx_source.hpp): candidates for a block are the
// pool's executable txs against the head state; after a commit the state view follows the new
// head and the pool drops what the block included (and what it made stale). A tx the state
// refused while building is skipped until the next commit (the pool keeps it: a later block may
// make it valid), so a proposer does not retry it every round.

#include <functional>
#include <mutex>
#include <set>

#include <tally/chain/block_tx_source.hpp>
#include <tally/chain/tx_pool.hpp>
#include <tally/core/crypto_suite.hpp>

#include "ledger_state_view.hpp"

namespace tally::tallyd {

class PoolTxSource final : public chain::BlockTxSource {
 public:
  PoolTxSource(chain::TxPool& pool, LedgerStateView& head, const CryptoSuite& suite)
      : pool_(pool), head_(head), suite_(suite) {}

  std::size_t pending_count() const override;
  std::vector<std::shared_ptr<const chain::VerifiedTx>> select(std::uint64_t gas_limit,
                                                               std::size_t max_txs) override;
  std::shared_ptr<const chain::VerifiedTx> find(const Hash256& tx_hash) const override {
    return pool_.find(tx_hash);
  }
  void on_committed(const chain::Block& block) override;
  void on_rejected(const Hash256& tx_hash, const Error& reason) override;

 private:
  chain::TxPool& pool_;
  LedgerStateView& head_;
  CryptoSuite suite_;
  mutable std::mutex mutex_;
  std::set<Hash256> skipped_;  // guarded by mutex_; refused since the last commit
};

}  // namespace tally::tallyd
