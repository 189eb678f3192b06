#pragma once
// Where a BlockExecutor (block_executor.hpp) takes the txs of the blocks it builds, and whom it
// tells what became of them. A node's tx pool is adapted to this by the node (tallyd); tests give
// a vector. Calls come from the executor's thread (the consensus thread); an implementation backed
// by a shared pool synchronises on its own.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <tally/chain/block.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

class BlockTxSource {
 public:
  virtual ~BlockTxSource() = default;

  // Txs waiting to be included (the engine proposes only when some are).
  virtual std::size_t pending_count() const = 0;
  // Candidates for the next block, in the order to try them: per sender in nonce order, at most
  // `max_txs`, with gas limits summing to at most `gas_limit` (a hint: the executor stops at the
  // block's gas limit whatever it is given). Returned txs stay in the source until on_committed
  // or on_rejected.
  virtual std::vector<std::shared_ptr<const VerifiedTx>> select(std::uint64_t gas_limit,
                                                                std::size_t max_txs) = 0;
  // The tx with this hash if the source holds it, its sender already recovered: validating a
  // proposal reuses it instead of recovering the sender again (null: not held).
  virtual std::shared_ptr<const VerifiedTx> find(const Hash256& tx_hash) const = 0;
  // A final block was written: drop its txs (and any tx they made stale).
  virtual void on_committed(const Block& block) = 0;
  // A selected tx failed its checks against the state when a block was built (nonce, balance,
  // chain id, gas): it was left out. The source decides whether to drop it or keep it for later.
  virtual void on_rejected(const Hash256& tx_hash, const Error& reason) = 0;
};

}  // namespace tally::chain
