#pragma once
// The tx pool's contents and the admission checks that depend on them and on the head state:
// per sender, txs by nonce; by hash; hashes recently included. Not thread-safe: TxPool holds one
// under its mutex. Ordered maps throughout: tx hashes and addresses are chosen by outsiders (a
// hash can be ground), so no hash table an adversary could fill into one bucket.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <span>
#include <vector>

#include <tally/chain/tx_pool.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

class PooledTxs {
 public:
  explicit PooledTxs(const TxPoolConfig& config) : config_(config) {}

  // The checks from "nonce too low" on (tx_pool.hpp), then the insertion (or replacement).
  Result<Hash256> insert(PooledTx tx, const PoolStateView& head);

  std::vector<PooledTx> select(std::uint64_t gas_limit,
                               std::size_t max_txs,
                               const PoolStateView& head) const;
  void remove_committed(std::span<const Hash256> included, const PoolStateView& new_head);

  std::uint64_t pending_nonce(const Address& sender, std::uint64_t state_nonce) const;
  PooledTx find(const Hash256& hash) const;
  std::size_t size() const noexcept { return by_hash_.size(); }
  std::size_t executable_count(const PoolStateView& head) const;

 private:
  struct Slot {
    PooledTx tx;
    std::uint64_t seq = 0;  // arrival order, unique
  };
  using Queue = std::map<std::uint64_t, Slot>;  // by nonce

  Result<void> check_replacement(const VerifiedTx& old_tx, const VerifiedTx& new_tx) const;
  Result<void> check_room(const VerifiedTx& tx,
                          const Queue* queue,
                          std::uint64_t state_nonce) const;
  Result<void> check_funds(const VerifiedTx& tx,
                           const Queue* queue,
                           const u256& balance,
                           std::uint64_t state_nonce) const;
  void erase(Queue& queue, Queue::iterator slot);
  void remember_included(const Hash256& hash);

  const TxPoolConfig config_;
  std::map<Address, Queue> senders_;  // no empty queues
  std::map<Hash256, PooledTx> by_hash_;
  std::deque<Hash256> recent_order_;  // oldest first, at most config_.recent_included
  std::set<Hash256> recent_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace tally::chain
