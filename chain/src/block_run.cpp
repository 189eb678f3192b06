#include "block_run.hpp"

#include <tally/chain/block_seal.hpp>
#include <tally/chain/ordered_trie.hpp>
#include <tally/chain/state_transition.hpp>
#include <tally/chain/tx_validation.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

bool is_tx_error(const Error& error) noexcept {
  switch (error.code) {
    case Errc::invalid_argument:
    case Errc::out_of_range:
    case Errc::overflow:
    case Errc::limit_exceeded:
      return true;
    default:
      return false;
  }
}

BlockRun::BlockRun(Ledger& ledger,
                   const NodeStore& nodes,
                   const CodeStore& code,
                   const BlockHeader& header,
                   const Hash256& parent_state_root,
                   std::uint64_t chain_id,
                   const SystemContracts* system_contracts)
    : ledger_(ledger),
      suite_(ledger.suite()),
      state_(suite_, nodes, code, parent_state_root),
      system_contracts_(system_contracts) {
  env_.coinbase = header.beneficiary;
  env_.number = header.block_number;
  env_.timestamp = header.timestamp;
  env_.gas_limit = header.gas_limit;
  env_.base_fee = header.base_fee_per_gas.value_or(u256(0));
  env_.prev_randao = header.mix_hash;
  env_.difficulty = header.difficulty;
  env_.chain_id = chain_id;
  // A failed read must not become a zero hash silently (the state would differ from other
  // nodes'): it is remembered and fails the run.
  env_.block_hash = [this](std::uint64_t number) {
    const auto stored = ledger_.header_by_number(number);
    if (!stored || !*stored) {
      block_hash_failed_ = true;
      return Hash256{};
    }
    const auto digest = block_digest(**stored, suite_);
    if (!digest) {
      block_hash_failed_ = true;
      return Hash256{};
    }
    return *digest;
  };
}

Result<void> BlockRun::apply(const VerifiedTx& verified) {
  const TxFields& fields = verified.tx().fields();
  TALLY_TRY_VOID(validate_tx(fields, TxRules{env_.chain_id, ReplayProtection::required}));
  if (fields.gas_limit > gas_left()) {
    return fail(Errc::limit_exceeded, str_cat("tx gas limit ", fields.gas_limit,
                                              " above the block's gas left ", gas_left()));
  }
  TALLY_TRY(TxOutcome outcome,
            apply_tx(state_, code_cache_, env_, fields, verified.sender(), system_contracts_));
  gas_used_ += outcome.gas_used;
  Receipt receipt;
  receipt.tx_type = static_cast<std::uint8_t>(fields.type);
  receipt.success = outcome.success();
  receipt.cumulative_gas_used = gas_used_;
  receipt.logs = std::move(outcome.logs);
  receipt.bloom = logs_bloom(receipt.logs);
  receipts_.push_back(std::move(receipt));
  const BytesView raw = verified.tx().encoded();
  txs_.emplace_back(raw.begin(), raw.end());
  return {};
}

Result<BlockRunResult> BlockRun::finish() {
  if (block_hash_failed_) {
    return fail(Errc::io_error,
                str_cat("execution of block ", env_.number, ": BLOCKHASH could not read a block"));
  }
  BlockRunResult result;
  TALLY_TRY(result.state_root, state_.commit(result.trie_nodes, result.code));
  result.transactions_root = ordered_trie_root(txs_, suite_);
  std::vector<Bytes> encoded;
  encoded.reserve(receipts_.size());
  for (const Receipt& receipt : receipts_) {
    encoded.push_back(receipt.encode());
    result.logs_bloom.merge(receipt.bloom);
  }
  result.receipts_root = ordered_trie_root(encoded, suite_);
  result.gas_used = gas_used_;
  result.receipts = std::move(receipts_);
  return result;
}

}  // namespace tally::chain
