#pragma once
// RLP of 256-bit integers (balances, values, gas prices, difficulty): minimal big-endian bytes,
// zero as the empty string, as Ethereum encodes every integer.

#include <tally/core/rlp_decode.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/u256.hpp>

namespace tally {

void add_rlp_u256(RlpWriter& writer, const u256& value);

// An integer of at most 32 bytes without leading zeros (RlpReader's rules), as a u256.
Result<u256> read_rlp_u256(RlpReader& reader);

}  // namespace tally
