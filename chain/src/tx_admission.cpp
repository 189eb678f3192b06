#include "tx_admission.hpp"

#include <tally/chain/intrinsic_gas.hpp>
#include <tally/chain/tx_rejection.hpp>
#include <tally/chain/tx_validation.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

// Which of validate_tx's checks refused `fields`, to give the refusal geth's text; validate_tx
// stays the one authority on the rules, this only names the failure it found.
TxRejection classify_stateless(const TxFields& fields) {
  if (fields.nonce > kMaxTxNonce)
    return TxRejection::nonce_max;
  if (fields.max_priority_fee_per_gas > fields.max_fee_per_gas)
    return TxRejection::tip_above_fee_cap;
  if (fields.is_creation() && fields.data.size() > kMaxInitCodeSize)
    return TxRejection::max_init_code_size;
  const auto intrinsic = intrinsic_gas(fields);
  if (intrinsic && fields.gas_limit < *intrinsic)
    return TxRejection::intrinsic_gas;
  return TxRejection::fee_overflow;
}

}  // namespace

Result<Transaction> decode_pool_tx(const CryptoSuite& suite,
                                   const TxPoolConfig& config,
                                   BytesView raw_tx) {
  // Before decoding, unlike the order a client might expect, so that no outsider can make the
  // pool parse more than max_tx_bytes.
  if (raw_tx.size() > config.max_tx_bytes) {
    return reject(TxRejection::oversized,
                  str_cat("tx of ", raw_tx.size(), " bytes; at most ", config.max_tx_bytes));
  }
  TALLY_TRY(Transaction tx, Transaction::decode(suite, raw_tx));
  const TxFields& fields = tx.fields();
  if (auto chain = check_chain_id(fields, config.chain_id, config.replay_protection); !chain)
    return reject(TxRejection::invalid_chain_id, chain.error().message);
  const TxRules rules{config.chain_id, config.replay_protection};
  if (auto valid = validate_tx(fields, rules); !valid)
    return reject(classify_stateless(fields), valid.error().message);
  return tx;
}

Result<void> check_sender_and_gas(const VerifiedTx& tx,
                                  const TxPoolConfig& config,
                                  const SenderAdmission& admitted) {
  if (!admitted(tx.sender()))
    return reject(TxRejection::not_admitted, str_cat("sender ", tx.sender().hex()));
  const std::uint64_t gas_limit = tx.tx().fields().gas_limit;
  if (gas_limit > config.block_gas_limit) {
    return reject(
        TxRejection::exceeds_block_gas_limit,
        str_cat("tx gas limit ", gas_limit, ", block gas limit ", config.block_gas_limit));
  }
  return {};
}

Result<VerifiedTx> verify_pool_tx(Transaction tx,
                                  const TxPoolConfig& config,
                                  const SenderAdmission& admitted) {
  auto verified = recover_sender(std::move(tx));
  if (!verified)
    return reject(TxRejection::invalid_sender, to_string(verified.error()));
  TALLY_TRY_VOID(check_sender_and_gas(*verified, config, admitted));
  return verified;
}

}  // namespace tally::chain
