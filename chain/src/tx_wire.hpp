#pragma once
// Pieces of the tx wire format shared by the decoder, the encoder and signing (private to
// chain/src): the unsigned fields in envelope order, the legacy v value, and the static checks on
// signature values that decode and from_parts both apply.

#include <cstdint>
#include <optional>
#include <string_view>

#include <tally/chain/transaction.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain::detail {

// EIP-155: v = 27 + y_parity without a chain id, chain_id * 2 + 35 + y_parity with one.
inline constexpr std::uint64_t kLegacyVBase = 27;
inline constexpr std::uint64_t kEip155VBase = 35;

struct LegacyV {
  std::optional<std::uint64_t> chain_id;
  std::uint8_t y_parity = 0;
};

u256 legacy_v(const LegacyV& v) noexcept;
// malformed for a value that is neither 27/28 nor an EIP-155 value; out_of_range for an EIP-155
// chain id that does not fit in 64 bits.
Result<LegacyV> parse_legacy_v(const u256& v);

// r and s in [1, n-1] for the suite's curve, s <= n/2 in the standard suite (EIP-2), a recovery id
// of 0 or 1: what can be checked without curve arithmetic. malformed naming r or s otherwise.
Result<void> check_signature_values(const Signature& signature);

// The fields every envelope signs, in envelope order, without the chain id of a legacy tx (which
// sits after data, where EIP-155 put it): legacy nonce..data; typed chainId..accessList.
void add_unsigned_fields(RlpWriter& writer, const TxFields& fields);

// Prefixes an error's message with a place: "EIP-1559 tx: nonce: rlp: offset 3: ...".
std::unexpected<Error> error_at(std::string_view place, const Error& error);

}  // namespace tally::chain::detail
