#pragma once
// One block's execution in progress (private to chain/src): txs applied one by one to the
// parent's state, receipts and gas accumulated, then the roots. Shared by building (which skips
// the txs the state refuses) and validating (which refuses the block for them).

#include <cstdint>
#include <vector>

#include <tally/chain/block_header.hpp>
#include <tally/chain/code_analysis.hpp>
#include <tally/chain/evm_env.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/system_contracts.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/chain/world_state.hpp>

namespace tally::chain {

// Whether apply_tx's Error is about the tx (its checks against the state or the block) rather
// than a store failure.
bool is_tx_error(const Error& error) noexcept;

struct BlockRunResult {
  std::vector<Receipt> receipts;
  NodeBatch trie_nodes;
  CodeBatch code;
  Hash256 state_root;
  Hash256 transactions_root;
  Hash256 receipts_root;
  Bloom logs_bloom;
  std::uint64_t gas_used = 0;
};

class BlockRun {
 public:
  // Executes on `parent_state_root`, read through `nodes` and `code`; BLOCKHASH reads the
  // digests of earlier blocks from `ledger`. Everything passed must outlive the run.
  BlockRun(Ledger& ledger,
           const NodeStore& nodes,
           const CodeStore& code,
           const BlockHeader& header,
           const Hash256& parent_state_root,
           std::uint64_t chain_id,
           const SystemContracts* system_contracts);
  // BLOCKHASH's lookup points at this run.
  BlockRun(const BlockRun&) = delete;
  BlockRun& operator=(const BlockRun&) = delete;

  std::uint64_t gas_left() const noexcept { return env_.gas_limit - gas_used_; }

  // Applies `tx` (its raw bytes are what the block carries). A tx Error (is_tx_error) leaves the
  // state as it was; any other Error means the run cannot go on.
  Result<void> apply(const VerifiedTx& tx);
  // Commits the state and computes the roots. The run is spent.
  Result<BlockRunResult> finish();

 private:
  Ledger& ledger_;
  CryptoSuite suite_;
  WorldState state_;
  CodeCache code_cache_;
  BlockEnv env_;
  const SystemContracts* system_contracts_;
  std::vector<Bytes> txs_;
  std::vector<Receipt> receipts_;
  std::uint64_t gas_used_ = 0;
  bool block_hash_failed_ = false;
};

}  // namespace tally::chain
