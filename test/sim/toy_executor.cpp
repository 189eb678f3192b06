#include "sim/toy_executor.hpp"

#include <algorithm>

#include <tally/chain/block_seal.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/ordered_trie.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::sim {

chain::BlockHeader toy_genesis(const std::vector<Address>& validators) {
  chain::BlockHeader genesis;
  genesis.difficulty = u256(1);
  genesis.base_fee_per_gas = u256(0);
  genesis.extra_data = chain::ConsensusExtra{{}, validators, 0, {}}.encode();
  return genesis;
}

ToyExecutor::ToyExecutor(CryptoSuite suite, const TxFeed& feed, chain::BlockHeader genesis)
    : suite_(suite), feed_(feed), head_(std::move(genesis)) {}

std::size_t ToyExecutor::pending_txs() const {
  return feed_.txs.size() - included_.size();
}

Hash256 ToyExecutor::state_root_after(const Hash256& root, const std::vector<Bytes>& txs) const {
  Hash256 next = root;
  for (const Bytes& tx : txs) {
    Bytes link(next.view().begin(), next.view().end());
    link.insert(link.end(), tx.begin(), tx.end());
    next = suite_.hash(link);
  }
  return next;
}

Hash256 ToyExecutor::txs_root(const std::vector<Bytes>& txs) const {
  return chain::ordered_trie_root(txs, suite_);
}

Result<void> ToyExecutor::check_txs(const std::vector<Bytes>& txs) const {
  std::set<Hash256> seen;
  for (const Bytes& tx : txs) {
    const Hash256 hash = suite_.hash(tx);
    if (included_.contains(hash) || !seen.insert(hash).second)
      return fail(Errc::verification_failed, "toy execution: tx included twice");
    if (std::ranges::find(feed_.txs, tx) == feed_.txs.end())
      return fail(Errc::verification_failed, "toy execution: tx never submitted");
  }
  return {};
}

Result<std::optional<chain::Block>> ToyExecutor::build(const chain::BuildBlock& request) {
  if (request.parent != head_)
    return fail(Errc::invalid_argument, "toy execution: build on a parent that is not the head");
  chain::Block block;
  for (const Bytes& tx : feed_.txs) {
    if (block.txs.size() == kMaxToyTxsPerBlock)
      break;
    if (!included_.contains(suite_.hash(tx)))
      block.txs.push_back(tx);
  }
  if (block.txs.empty())
    return std::optional<chain::Block>();
  TALLY_TRY(block.header.parent_hash, chain::block_digest(head_, suite_));
  chain::BlockHeader& header = block.header;
  header.block_number = request.block_number;
  header.timestamp = request.timestamp;
  header.beneficiary = request.beneficiary;
  header.extra_data = request.extra_data;
  header.difficulty = u256(1);
  header.base_fee_per_gas = u256(0);
  header.transactions_root = txs_root(block.txs);
  header.state_root = state_root_after(head_.state_root, block.txs);
  return std::optional<chain::Block>(std::move(block));
}

Result<void> ToyExecutor::validate(const chain::Block& block, const chain::BlockHeader& parent) {
  if (parent != head_)
    return fail(Errc::invalid_argument, "toy execution: validate on a parent that is not the head");
  TALLY_TRY(const Hash256 parent_digest, chain::block_digest(head_, suite_));
  if (block.header.parent_hash != parent_digest)
    return fail(Errc::verification_failed, "toy execution: parent_hash");
  TALLY_TRY_VOID(check_txs(block.txs));
  if (block.header.transactions_root != txs_root(block.txs))
    return fail(Errc::verification_failed, "toy execution: transactions_root");
  if (block.header.state_root != state_root_after(head_.state_root, block.txs))
    return fail(Errc::verification_failed, "toy execution: state_root");
  return {};
}

Result<void> ToyExecutor::commit(const chain::Block& sealed) {
  if (sealed.header.block_number != head_.block_number + 1) {
    return fail(Errc::invalid_argument,
                str_cat("toy execution: commit ", sealed.header.block_number, " on head ",
                        head_.block_number));
  }
  TALLY_TRY_VOID(validate(sealed, head_));
  for (const Bytes& tx : sealed.txs)
    included_.insert(suite_.hash(tx));
  head_ = sealed.header;
  chain_.push_back(sealed);
  return {};
}

}  // namespace tally::sim
