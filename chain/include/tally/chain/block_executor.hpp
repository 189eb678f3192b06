#pragma once
// The EVM-backed ConsensusExecutor: builds, validates and commits blocks by running their txs
// through apply_tx (state_transition.hpp) on the parent's state, read from the ledger.
//
//   build     takes candidates from the BlockTxSource in its order, applies each to the parent's
//             state; a tx the state refuses (nonce, balance, chain id, gas: an invalid_argument,
//             out_of_range, overflow or limit_exceeded Error) is left out and reported to the
//             source; a tx that no longer fits the block's gas is left for a later block. Returns
//             the block with the request's header fields and every root filled; nothing when no
//             tx made it in (the chain has no empty blocks).
//   validate  executes a proposed block on its parent: any tx that does not decode, verify or
//             apply makes the block invalid; then every derived field (transactions root,
//             receipts root, logs bloom, gas used, state root) must equal the header's, and the
//             fixed ones (gas limit, base fee 0, difficulty 1, ommers, mix hash) the chain's.
//             The Error names the first field that differs.
//   commit    writes a final block: from the cached result when this node built or validated it
//             (found by digest, so the seals added since do not matter), otherwise executed now
//             and checked exactly as validate does before anything is written (the sync path:
//             a sealed block with a wrong root is refused loudly, not stored). Then the source
//             is told.
//
// A store Error (anything else from apply_tx or the ledger) aborts the call: it says nothing
// about the block. Deterministic: the same block on the same parent gives the same roots on every
// node (no clock, no unordered iteration; txs in block order).
//
// Holds the writable Ledger: one thread (the consensus thread) calls it.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>

#include <tally/chain/block_tx_source.hpp>
#include <tally/chain/consensus_executor.hpp>
#include <tally/chain/ledger.hpp>
#include <tally/chain/system_contracts.hpp>
#include <tally/core/crypto_suite.hpp>

namespace tally::chain {

// Results kept for commit: the proposals of a few rounds of one block_number.
inline constexpr std::size_t kExecutedBlockCacheSize = 4;
// The most txs select() is asked for at once; the gas limit usually stops a block earlier.
inline constexpr std::size_t kMaxBuildTxs = 10'000;

// Besu QBFT's mix hash ("ctical byzantine fault tolerance" in ASCII): marks a QBFT header.
Hash256 qbft_mix_hash();
// The ommers hash of every header on this chain: the suite hash of rlp([]).
Hash256 empty_ommers_hash(const CryptoSuite& suite);

struct ExecutionParams {
  std::uint64_t chain_id = 0;
  std::uint64_t block_gas_limit = 30'000'000;
};

class BlockExecutor final : public ConsensusExecutor {
 public:
  // `ledger` (of `suite`), `txs` and `system_contracts` (may be null) outlive the executor.
  BlockExecutor(Ledger& ledger,
                const CryptoSuite& suite,
                const ExecutionParams& params,
                BlockTxSource& txs,
                const SystemContracts* system_contracts = nullptr);
  ~BlockExecutor() override;
  BlockExecutor(const BlockExecutor&) = delete;
  BlockExecutor& operator=(const BlockExecutor&) = delete;

  std::size_t pending_txs() const override;
  Result<std::optional<Block>> build(const BuildBlock& request) override;
  Result<void> validate(const Block& block, const BlockHeader& parent) override;
  Result<void> commit(const Block& sealed) override;

  // How many executed results are held for commit (tests).
  std::size_t cached_results() const noexcept { return cache_.size(); }

 private:
  // What executing a block adds to the ledger beside the block itself.
  struct Executed {
    Hash256 digest;
    std::vector<Receipt> receipts;
    NodeBatch trie_nodes;
    CodeBatch code;
  };
  struct Stores;  // the ledger as node and code store, with a node cache in front

  BlockHeader header_for(const BuildBlock& request, const Hash256& parent_digest) const;
  Result<void> check_fixed_fields(const BlockHeader& header, const BlockHeader& parent) const;
  Result<Executed> execute_strict(const Block& block, const BlockHeader& parent);
  // The tx of a block, from the source when it holds it, else decoded and its sender recovered;
  // an Error says the tx is invalid.
  Result<std::shared_ptr<const VerifiedTx>> verified_tx(BytesView raw) const;
  void remember(Executed executed);
  std::optional<Executed> take_cached(const Hash256& digest);

  Ledger& ledger_;
  CryptoSuite suite_;
  ExecutionParams params_;
  BlockTxSource& txs_;
  const SystemContracts* system_contracts_;
  std::unique_ptr<Stores> stores_;
  std::deque<Executed> cache_;  // oldest first, at most kExecutedBlockCacheSize
};

}  // namespace tally::chain
