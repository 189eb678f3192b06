#pragma once
// Ethereum's precompiled contracts as Cancun has them, at addresses 0x01..0x0a:
//   0x01 ecrecover (secp256k1 and Keccak-256 whatever the chain's suite: contracts expect
//   Ethereum's) 0x02 SHA-256, 0x03 RIPEMD-160, 0x04 identity 0x05 modexp (EIP-198 input, EIP-2565
//   gas) 0x06, 0x07, 0x08 alt_bn128 add, scalar multiplication, pairing check (EIP-196/197,
//   EIP-1108 gas) 0x09 BLAKE2b compression F (EIP-152) 0x0a KZG point evaluation (EIP-4844): always
//   fails here. It verifies a claim about a blob
//        commitment (its versioned hash must match a blob of the tx), and this chain carries no
//        blobs and no trusted setup, so no input can ever be valid; failing costs all gas given,
//        which is what Ethereum does with every invalid input too.
//
// A precompile either succeeds, charging its gas, or fails, consuming all gas given (out of gas and
// invalid input alike). Inputs shorter than a precompile reads are padded with zero bytes on the
// right, as Ethereum pads them. Pure functions of their input: safe from any thread.
//
// The EVM calls run_precompile for CALL, CALLCODE, DELEGATECALL and STATICCALL to these addresses
// (value transfer and warm-address rules are the caller's) and for txs sent to them.

#include <cstdint>

#include <tally/core/bytes.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

struct PrecompileResult {
  bool success = false;  // false: the call fails and consumes all gas given
  std::uint64_t gas_used = 0;
  Bytes output;
};

// Cancun's precompiles: 0x01..0x0a (0x0a, KZG point evaluation, always fails on this chain: it has
// no blobs).
bool is_precompile(const Address& address) noexcept;

// Runs the precompile at `address`, which must be one (is_precompile); gas_used is gas_limit when
// it fails.
PrecompileResult run_precompile(const Address& address, BytesView input, std::uint64_t gas_limit);

}  // namespace tally::chain
