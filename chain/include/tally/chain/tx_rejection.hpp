#pragma once
// Why the tx pool refuses a tx: fixed codes (their numbers never change once released; new ones
// are appended) and Ethereum-style texts. Where geth has a text for the same refusal it is geth's
// exactly, because clients (ethers, web3.js, wallets) match on it; each refusal's Error message is
// the text, then ": " and the details ("nonce too low: address 0x.., tx nonce 3, state nonce 5").
// A tx that does not decode keeps the decoder's own error (transaction.hpp), as geth returns its
// RLP errors.

#include <cstdint>
#include <string>
#include <string_view>

#include <tally/core/error.hpp>

namespace tally::chain {

enum class TxRejection : std::uint8_t {
  oversized = 1,                 // "oversized data"
  invalid_chain_id = 2,          // "invalid chain id"
  nonce_max = 3,                 // "nonce has max value" (EIP-2681)
  tip_above_fee_cap = 4,         // "max priority fee per gas higher than max fee per gas"
  fee_overflow = 5,              // not geth's: gas limit times max fee past 2^256 - 1
  max_init_code_size = 6,        // "max initcode size exceeded" (EIP-3860)
  intrinsic_gas = 7,             // "intrinsic gas too low"
  invalid_sender = 8,            // "invalid sender"
  not_admitted = 9,              // not geth's: the consortium's own rule
  exceeds_block_gas_limit = 10,  // "exceeds block gas limit"
  nonce_too_low = 11,            // "nonce too low"
  already_known = 12,            // "already known"
  replacement_underpriced = 13,  // "replacement transaction underpriced"
  nonce_gap = 14,                // not geth's: geth queues any future nonce; we bound the gap
  account_limit = 15,            // "account limit exceeded"
  pool_full = 16,                // "txpool is full"
  insufficient_funds = 17,       // "insufficient funds for gas * price + value"
};

// The fixed text of a refusal, the prefix of its Error message.
std::string_view tx_rejection_text(TxRejection rejection) noexcept;
// The coarse code a refusal carries: pool_full is `unavailable` (the same tx may be taken later),
// already_known and replacement_underpriced `already_exists`, and so on.
Errc tx_rejection_errc(TxRejection rejection) noexcept;

// The Error for `rejection`: its text, ": ", then `detail`.
std::unexpected<Error> reject(TxRejection rejection, std::string_view detail);

}  // namespace tally::chain
