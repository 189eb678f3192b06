#pragma once
// What the consensus engine agrees on and what a commit seal signs, after QBFT:
//   digest    = hash(header with extra_data's round set to 0 and its commit seals removed)
//   seal hash = hash(rlp([kCommitSealTag, digest, round]))
// The digest names a block whatever round finalises it and whichever quorum of seals it carries,
// so a block re-proposed in a later round is the same block, and the next block's parent_hash
// (the parent's digest) is the same on every node. A seal binds the digest and the round the
// quorum committed in; the sealed header carries that round and the seals in its extra_data.

#include <cstdint>
#include <vector>

#include <tally/chain/block.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

// Separates commit seals from any other signature over a 32-byte hash.
inline constexpr std::uint8_t kCommitSealTag = 0x51;

// Malformed when the header's extra_data is not a ConsensusExtra.
Result<Hash256> block_digest(const BlockHeader& header, const CryptoSuite& suite);

Hash256 commit_seal_hash(const Hash256& digest, std::uint32_t round, const CryptoSuite& suite);

// The block with `round` and `seals` written into its extra_data.
Result<Block> seal_block(Block block, std::uint32_t round, std::vector<Bytes> seals);

}  // namespace tally::chain
