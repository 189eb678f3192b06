#pragma once
// The checks a tx must pass on its own, before any state is read (Cancun rules, as Ethereum's
// TransactionTests apply them): it is for this chain, and it is internally consistent. What needs
// state (nonce, balance, the sender's admission) or a block (base fee, gas left) is checked where
// those are known.

#include <cstdint>

#include <tally/chain/transaction.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

// EIP-2681: an account nonce stops at 2^64 - 1, so a tx with that nonce could never be followed.
inline constexpr std::uint64_t kMaxTxNonce = UINT64_MAX - 1;

// Whether a legacy tx may omit its chain id (be signed without EIP-155). Ethereum still accepts
// such txs; a new consortium chain has no reason to, so its genesis would choose `required`.
enum class ReplayProtection : bool { optional, required };

struct TxRules {
  std::uint64_t chain_id = 0;
  ReplayProtection replay_protection = ReplayProtection::required;
};

// invalid_argument when the tx names another chain, or names none while the chain requires
// replay protection.
Result<void> check_chain_id(const TxFields& fields,
                            std::uint64_t chain_id,
                            ReplayProtection replay_protection);

// check_chain_id, then: nonce at most kMaxTxNonce (out_of_range); max priority fee at most the max
// fee (out_of_range); gas limit times max fee within 256 bits (overflow: no balance could pay it);
// init code at most kMaxInitCodeSize bytes (limit_exceeded); gas limit at least the intrinsic gas
// (out_of_range). Each message names the field and both values.
Result<void> validate_tx(const TxFields& fields, const TxRules& rules);

}  // namespace tally::chain
