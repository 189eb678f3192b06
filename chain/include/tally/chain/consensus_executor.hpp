#pragma once
// How consensus drives execution, so it can be built and proven before the EVM: a node's host
// answers the engine's BuildBlock, ValidateBlock and CommitBlock actions (qbft_io.hpp) through
// this interface. The EVM-backed implementation executes txs into the world state; the consensus
// simulator uses a toy one. Either way the state root in the header is what validators check, so
// it is part of what they agree on.

#include <cstddef>

#include <tally/chain/block.hpp>
#include <tally/chain/qbft_io.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

class ConsensusExecutor {
 public:
  virtual ~ConsensusExecutor() = default;

  // Pending txs in the pool (the engine proposes only when some are).
  virtual std::size_t pending_txs() const = 0;
  // A block on request.parent with the request's header fields and pending txs, executed: its
  // roots filled. Empty when the pool has nothing to include.
  virtual Result<std::optional<Block>> build(const BuildBlock& request) = 0;
  // Executes `block` on `parent` and checks what the header claims (roots, gas).
  virtual Result<void> validate(const Block& block, const BlockHeader& parent) = 0;
  // Writes a final block, executing it first if it was not executed here.
  virtual Result<void> commit(const Block& sealed) = 0;
};

}  // namespace tally::chain
