#pragma once
// A deterministic stand-in for execution, the consensus simulator's test double of the EVM: a tx
// is an opaque byte string that must have been submitted (the analogue of a valid signature) and
// not included before (the analogue of a nonce); the state root is a hash chain over the txs
// applied, so two different tx sequences give different roots and a wrong root is caught.

#include <cstddef>
#include <optional>
#include <set>
#include <vector>

#include <tally/chain/consensus_executor.hpp>
#include <tally/core/crypto_suite.hpp>

namespace tally::sim {

inline constexpr std::size_t kMaxToyTxsPerBlock = 8;

// Every tx ever submitted, in order: the tx pool every node sees through gossip.
struct TxFeed {
  std::vector<Bytes> txs;
};

chain::BlockHeader toy_genesis(const std::vector<Address>& validators);

class ToyExecutor final : public chain::ConsensusExecutor {
 public:
  ToyExecutor(CryptoSuite suite, const TxFeed& feed, chain::BlockHeader genesis);

  std::size_t pending_txs() const override;
  Result<std::optional<chain::Block>> build(const chain::BuildBlock& request) override;
  Result<void> validate(const chain::Block& block, const chain::BlockHeader& parent) override;
  Result<void> commit(const chain::Block& sealed) override;

  const chain::BlockHeader& head() const noexcept { return head_; }
  const std::vector<chain::Block>& chain() const noexcept { return chain_; }

 private:
  Hash256 state_root_after(const Hash256& root, const std::vector<Bytes>& txs) const;
  Hash256 txs_root(const std::vector<Bytes>& txs) const;
  Result<void> check_txs(const std::vector<Bytes>& txs) const;

  CryptoSuite suite_;
  const TxFeed& feed_;
  chain::BlockHeader head_;
  std::vector<chain::Block> chain_;  // committed, after genesis
  std::set<Hash256> included_;       // suite hashes of the txs committed
};

}  // namespace tally::sim
