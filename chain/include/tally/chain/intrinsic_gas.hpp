#pragma once
// Intrinsic gas: what a tx costs before its first instruction runs, by the Cancun rules.
//   21000 per tx (G_transaction), 53000 for a contract creation (adds G_txcreate, EIP-2);
//   per data byte 4 if zero, 16 otherwise (EIP-2028);
//   per access-list address 2400 and storage key 1900 (EIP-2930);
//   for a creation, 2 per 32-byte word of init code, rounded up (EIP-3860).
// EIP-3860 also caps init code at 49152 bytes (twice EIP-170's 24576-byte code limit); that
// refusal is tx_validation.hpp's, so the cost of an oversized creation can still be reported.

#include <cstdint>

#include <tally/chain/transaction.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

inline constexpr std::uint64_t kTxGas = 21000;
inline constexpr std::uint64_t kTxCreateGas = 53000;
inline constexpr std::uint64_t kTxDataZeroGas = 4;
inline constexpr std::uint64_t kTxDataNonZeroGas = 16;
inline constexpr std::uint64_t kAccessListAddressGas = 2400;
inline constexpr std::uint64_t kAccessListStorageKeyGas = 1900;
inline constexpr std::uint64_t kInitCodeWordGas = 2;
inline constexpr std::uint64_t kMaxInitCodeSize = 49152;

// What intrinsic gas is counted from.
struct IntrinsicGasCounts {
  bool creation = false;
  std::uint64_t data_zero_bytes = 0;
  std::uint64_t data_nonzero_bytes = 0;
  std::uint64_t access_list_addresses = 0;
  std::uint64_t access_list_storage_keys = 0;
};

IntrinsicGasCounts intrinsic_gas_counts(const TxFields& fields);

// Checked arithmetic throughout: a total past 2^64 - 1 is overflow, never a wrapped value. (No tx
// that fits in memory gets near it; the counts form lets a test cross the bound.)
Result<std::uint64_t> intrinsic_gas(const IntrinsicGasCounts& counts);
Result<std::uint64_t> intrinsic_gas(const TxFields& fields);

}  // namespace tally::chain
