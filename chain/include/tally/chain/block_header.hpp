#pragma once
// A block header in Ethereum's shape (London: 16 fields; 15 before, without the base fee), so
// Ethereum tools read it and Ethereum's own vectors check it. This chain fills the fields as
// Besu's QBFT does: the proposer is the beneficiary, the consensus round, validators and commit
// seals travel in extra_data (extra_data.hpp), ommers are always empty, difficulty is 1, and
// mix_hash carries a fixed marker. The block hash is the chain suite's hash of the header's RLP.

#include <cstdint>
#include <optional>

#include <tally/chain/bloom.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain {

// Extra data holds the validator set and up to one seal per validator; 64 KiB is room for
// hundreds of validators in either suite while keeping a hostile header small.
inline constexpr std::size_t kMaxExtraDataBytes = 64 * 1024;

struct BlockHeader {
  Hash256 parent_hash;
  Hash256 ommers_hash;  // the suite hash of rlp([]): this chain has no ommers
  Address beneficiary;  // the proposer
  Hash256 state_root;
  Hash256 transactions_root;
  Hash256 receipts_root;
  Bloom logs_bloom;
  u256 difficulty;
  std::uint64_t block_number = 0;
  std::uint64_t gas_limit = 0;
  std::uint64_t gas_used = 0;
  std::uint64_t timestamp = 0;  // seconds since the Unix epoch
  Bytes extra_data;
  Hash256 mix_hash;
  FixedBytes<8> nonce;
  std::optional<u256> base_fee_per_gas;  // present from London on; always present on this chain

  Bytes encode() const;
  // Strict: 15 or 16 fields, canonical RLP, fixed-size fields of their exact size, extra data
  // within kMaxExtraDataBytes, nothing after the list.
  static Result<BlockHeader> decode(BytesView encoded);

  Hash256 hash(const CryptoSuite& suite) const { return suite.hash(encode()); }

  bool operator==(const BlockHeader&) const = default;
};

}  // namespace tally::chain
