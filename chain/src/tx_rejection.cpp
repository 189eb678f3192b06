#include <tally/chain/tx_rejection.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

std::string_view tx_rejection_text(TxRejection rejection) noexcept {
  switch (rejection) {
    case TxRejection::oversized:
      return "oversized data";
    case TxRejection::invalid_chain_id:
      return "invalid chain id";
    case TxRejection::nonce_max:
      return "nonce has max value";
    case TxRejection::tip_above_fee_cap:
      return "max priority fee per gas higher than max fee per gas";
    case TxRejection::fee_overflow:
      return "gas limit * max fee per gas overflows 256 bits";
    case TxRejection::max_init_code_size:
      return "max initcode size exceeded";
    case TxRejection::intrinsic_gas:
      return "intrinsic gas too low";
    case TxRejection::invalid_sender:
      return "invalid sender";
    case TxRejection::not_admitted:
      return "sender not admitted to the consortium";
    case TxRejection::exceeds_block_gas_limit:
      return "exceeds block gas limit";
    case TxRejection::nonce_too_low:
      return "nonce too low";
    case TxRejection::already_known:
      return "already known";
    case TxRejection::replacement_underpriced:
      return "replacement transaction underpriced";
    case TxRejection::nonce_gap:
      return "nonce too far ahead of the sender's next nonce";
    case TxRejection::account_limit:
      return "account limit exceeded";
    case TxRejection::pool_full:
      return "txpool is full";
    case TxRejection::insufficient_funds:
      return "insufficient funds for gas * price + value";
  }
  TALLY_ASSERT(false);
  return {};
}

Errc tx_rejection_errc(TxRejection rejection) noexcept {
  switch (rejection) {
    case TxRejection::oversized:
    case TxRejection::max_init_code_size:
    case TxRejection::exceeds_block_gas_limit:
    case TxRejection::account_limit:
      return Errc::limit_exceeded;
    case TxRejection::invalid_chain_id:
    case TxRejection::not_admitted:
      return Errc::invalid_argument;
    case TxRejection::fee_overflow:
      return Errc::overflow;
    case TxRejection::invalid_sender:
      return Errc::verification_failed;
    case TxRejection::already_known:
    case TxRejection::replacement_underpriced:
      return Errc::already_exists;
    case TxRejection::pool_full:
      return Errc::unavailable;
    case TxRejection::nonce_max:
    case TxRejection::tip_above_fee_cap:
    case TxRejection::intrinsic_gas:
    case TxRejection::nonce_too_low:
    case TxRejection::nonce_gap:
    case TxRejection::insufficient_funds:
      return Errc::out_of_range;
  }
  TALLY_ASSERT(false);
  return Errc::internal;
}

std::unexpected<Error> reject(TxRejection rejection, std::string_view detail) {
  return fail(tx_rejection_errc(rejection), str_cat(tx_rejection_text(rejection), ": ", detail));
}

}  // namespace tally::chain
