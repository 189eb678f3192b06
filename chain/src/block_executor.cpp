#include <set>

#include <tally/chain/block_executor.hpp>
#include <tally/chain/block_seal.hpp>
#include <tally/chain/caching_node_store.hpp>
#include <tally/chain/ledger_store.hpp>
#include <tally/core/str_cat.hpp>

#include "block_run.hpp"

namespace tally::chain {
namespace {

// The block is wrong (as opposed to: it could not be checked).
Error invalid_block(const BlockHeader& header, std::string_view what) {
  return Error{Errc::verification_failed, str_cat("block ", header.block_number, ": ", what)};
}

Result<void> expect_equal(const BlockHeader& header,
                          std::string_view field,
                          const auto& claimed,
                          const auto& computed) {
  if (claimed == computed)
    return {};
  return std::unexpected(invalid_block(header, str_cat(field, " differs from execution")));
}

}  // namespace

Hash256 qbft_mix_hash() {
  return Hash256::from_span(as_bytes("ctical byzantine fault tolerance")).value();
}

Hash256 empty_ommers_hash(const CryptoSuite& suite) {
  const Byte empty_list = 0xc0;
  return suite.hash(BytesView(&empty_list, 1));
}

struct BlockExecutor::Stores {
  explicit Stores(Ledger& ledger) : ledger_store(ledger), nodes(ledger_store, ledger.suite()) {}
  LedgerStore ledger_store;
  CachingNodeStore nodes;
};

BlockExecutor::BlockExecutor(Ledger& ledger,
                             const CryptoSuite& suite,
                             const ExecutionParams& params,
                             BlockTxSource& txs,
                             const SystemContracts* system_contracts)
    : ledger_(ledger),
      suite_(suite),
      params_(params),
      txs_(txs),
      system_contracts_(system_contracts),
      stores_(std::make_unique<Stores>(ledger)) {
  TALLY_ASSERT(ledger.suite().id() == suite.id());
}

BlockExecutor::~BlockExecutor() = default;

std::size_t BlockExecutor::pending_txs() const {
  return txs_.pending_count();
}

BlockHeader BlockExecutor::header_for(const BuildBlock& request,
                                      const Hash256& parent_digest) const {
  BlockHeader header;
  header.parent_hash = parent_digest;
  header.ommers_hash = empty_ommers_hash(suite_);
  header.beneficiary = request.beneficiary;
  header.difficulty = u256(1);
  header.block_number = request.block_number;
  header.gas_limit = params_.block_gas_limit;
  header.timestamp = request.timestamp;
  header.extra_data = request.extra_data;
  header.mix_hash = qbft_mix_hash();
  header.base_fee_per_gas = u256(0);
  return header;
}

Result<std::optional<Block>> BlockExecutor::build(const BuildBlock& request) {
  TALLY_TRY(const Hash256 parent_digest, block_digest(request.parent, suite_));
  if (!ledger_.head() || ledger_.head()->hash != parent_digest) {
    return fail(Errc::invalid_argument, str_cat("build: block ", request.block_number,
                                                " on a parent that is not the head"));
  }
  Block block;
  block.header = header_for(request, parent_digest);
  BlockRun run(ledger_, stores_->nodes, stores_->ledger_store, block.header,
               request.parent.state_root, params_.chain_id, system_contracts_);
  // Once one tx of a sender is left out, its later nonces cannot apply: they wait, unreported.
  std::set<Address> left_out;
  for (const auto& tx : txs_.select(params_.block_gas_limit, kMaxBuildTxs)) {
    if (left_out.contains(tx->sender()))
      continue;
    if (tx->tx().fields().gas_limit > run.gas_left()) {
      left_out.insert(tx->sender());
      continue;
    }
    const auto applied = run.apply(*tx);
    if (!applied) {
      if (!is_tx_error(applied.error()))
        return std::unexpected(applied.error());
      txs_.on_rejected(tx->hash(), applied.error());
      left_out.insert(tx->sender());
      continue;
    }
    const BytesView raw = tx->tx().encoded();
    block.txs.emplace_back(raw.begin(), raw.end());
  }
  if (block.txs.empty())
    return std::optional<Block>();
  TALLY_TRY(BlockRunResult result, run.finish());
  BlockHeader& header = block.header;
  header.state_root = result.state_root;
  header.transactions_root = result.transactions_root;
  header.receipts_root = result.receipts_root;
  header.logs_bloom = result.logs_bloom;
  header.gas_used = result.gas_used;
  TALLY_TRY(const Hash256 digest, block_digest(header, suite_));
  remember(Executed{digest, std::move(result.receipts), std::move(result.trie_nodes),
                    std::move(result.code)});
  return std::optional<Block>(std::move(block));
}

Result<void> BlockExecutor::check_fixed_fields(const BlockHeader& header,
                                               const BlockHeader& parent) const {
  if (header.block_number != parent.block_number + 1) {
    return std::unexpected(invalid_block(
        header, str_cat("block number does not follow the parent's ", parent.block_number)));
  }
  const auto parent_digest = block_digest(parent, suite_);
  if (!parent_digest || header.parent_hash != *parent_digest)
    return std::unexpected(invalid_block(header, "parent_hash is not the parent's digest"));
  if (header.gas_limit != params_.block_gas_limit) {
    return std::unexpected(invalid_block(
        header,
        str_cat("gas_limit ", header.gas_limit, ", the chain's is ", params_.block_gas_limit)));
  }
  if (header.gas_used > header.gas_limit)
    return std::unexpected(invalid_block(header, "gas_used above gas_limit"));
  if (header.base_fee_per_gas != u256(0))
    return std::unexpected(invalid_block(header, "base_fee_per_gas is not 0"));
  if (header.difficulty != u256(1))
    return std::unexpected(invalid_block(header, "difficulty is not 1"));
  if (header.ommers_hash != empty_ommers_hash(suite_))
    return std::unexpected(invalid_block(header, "ommers_hash is not that of no ommers"));
  if (header.mix_hash != qbft_mix_hash())
    return std::unexpected(invalid_block(header, "mix_hash is not the QBFT marker"));
  return {};
}

Result<BlockExecutor::Executed> BlockExecutor::execute_strict(const Block& block,
                                                              const BlockHeader& parent) {
  const BlockHeader& header = block.header;
  TALLY_TRY_VOID(check_fixed_fields(header, parent));
  const auto digest = block_digest(header, suite_);
  if (!digest)
    return std::unexpected(invalid_block(header, digest.error().message));
  BlockRun run(ledger_, stores_->nodes, stores_->ledger_store, header, parent.state_root,
               params_.chain_id, system_contracts_);
  for (std::size_t i = 0; i < block.txs.size(); ++i) {
    const auto verified = verified_tx(block.txs[i]);
    if (!verified) {
      return std::unexpected(
          invalid_block(header, str_cat("tx ", i, ": ", verified.error().message)));
    }
    const auto applied = run.apply(**verified);
    if (!applied) {
      if (!is_tx_error(applied.error()))
        return std::unexpected(applied.error());
      return std::unexpected(
          invalid_block(header, str_cat("tx ", i, ": ", applied.error().message)));
    }
  }
  TALLY_TRY(BlockRunResult result, run.finish());
  TALLY_TRY_VOID(expect_equal(header, "transactions_root", header.transactions_root,
                              result.transactions_root));
  TALLY_TRY_VOID(expect_equal(header, "gas_used", header.gas_used, result.gas_used));
  TALLY_TRY_VOID(expect_equal(header, "logs_bloom", header.logs_bloom, result.logs_bloom));
  TALLY_TRY_VOID(expect_equal(header, "receipts_root", header.receipts_root, result.receipts_root));
  TALLY_TRY_VOID(expect_equal(header, "state_root", header.state_root, result.state_root));
  return Executed{*digest, std::move(result.receipts), std::move(result.trie_nodes),
                  std::move(result.code)};
}

Result<void> BlockExecutor::validate(const Block& block, const BlockHeader& parent) {
  TALLY_TRY(Executed executed, execute_strict(block, parent));
  remember(std::move(executed));
  return {};
}

Result<void> BlockExecutor::commit(const Block& sealed) {
  const auto digest = block_digest(sealed.header, suite_);
  if (!digest)
    return std::unexpected(invalid_block(sealed.header, digest.error().message));
  std::optional<Executed> executed = take_cached(*digest);
  if (!executed) {
    // Not built or validated here (sync, or a proposal this node missed): check it all now.
    const auto& head = ledger_.head();
    if (!head) {
      return fail(Errc::invalid_argument,
                  "commit: the ledger has no genesis (genesis is written by the genesis module)");
    }
    TALLY_TRY(const auto parent, ledger_.header_by_number(head->block_number));
    if (!parent)
      return fail(Errc::corrupted, str_cat("commit: head block ", head->block_number, " missing"));
    TALLY_TRY(executed, execute_strict(sealed, *parent));
  }
  BlockWrite write{sealed, std::move(executed->receipts), std::move(executed->trie_nodes),
                   std::move(executed->code)};
  TALLY_TRY_VOID(ledger_.commit(write));
  stores_->nodes.insert(write.trie_nodes);
  // Every cached result was built on the old head: none can be committed any more.
  cache_.clear();
  txs_.on_committed(sealed);
  return {};
}

Result<std::shared_ptr<const VerifiedTx>> BlockExecutor::verified_tx(BytesView raw) const {
  // The hash is of the exact bytes, so a tx found by it is this tx.
  if (auto held = txs_.find(suite_.hash(raw)))
    return held;
  TALLY_TRY(Transaction tx, Transaction::decode(suite_, raw));
  TALLY_TRY(VerifiedTx verified, recover_sender(std::move(tx)));
  return std::make_shared<const VerifiedTx>(std::move(verified));
}

void BlockExecutor::remember(Executed executed) {
  for (auto it = cache_.begin(); it != cache_.end(); ++it) {
    if (it->digest == executed.digest) {
      cache_.erase(it);
      break;
    }
  }
  if (cache_.size() == kExecutedBlockCacheSize)
    cache_.pop_front();
  cache_.push_back(std::move(executed));
}

std::optional<BlockExecutor::Executed> BlockExecutor::take_cached(const Hash256& digest) {
  for (auto it = cache_.begin(); it != cache_.end(); ++it) {
    if (it->digest == digest) {
      Executed executed = std::move(*it);
      cache_.erase(it);
      return executed;
    }
  }
  return std::nullopt;
}

}  // namespace tally::chain
