#pragma once
// What the EVM reads of its surroundings: the block (BlockEnv) and the transaction (TxEnv).
//
// This chain has no blobs (no type-3 transactions), so BLOBHASH always pushes 0 (there is no
// versioned hash at any index) and BLOBBASEFEE pushes the EIP-4844 blob base fee computed from
// excess_blob_gas, which is 1 (the minimum) at the chain's constant excess of 0.

#include <cstdint>
#include <functional>

#include <tally/core/fixed_bytes.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

struct BlockEnv {
  Address coinbase;
  std::uint64_t number = 0;
  std::uint64_t timestamp = 0;
  std::uint64_t gas_limit = 0;
  u256 base_fee;
  Hash256 prev_randao;  // PREVRANDAO (0x44) in Cancun
  u256 difficulty;      // what 0x44 reads in the legacy revision
  std::uint64_t excess_blob_gas = 0;
  std::uint64_t chain_id = 1;
  // The hash of block `number` (asked only for the 256 blocks below this one); zero when unset.
  std::function<Hash256(std::uint64_t number)> block_hash;
};

struct TxEnv {
  Address origin;
  u256 gas_price;  // the effective price the sender pays per gas
};

// EIP-4844's fake_exponential(1, excess_blob_gas, 3338477): the blob base fee.
u256 blob_base_fee(std::uint64_t excess_blob_gas);

}  // namespace tally::chain
