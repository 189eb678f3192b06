#pragma once
// The block sync protocol's messages (the `sync` channel of the peer network), one RLP list each,
// with a kind tag first:
//   Status     rlp([0x01, head_block_number, head_digest (32 bytes)])
//   GetBlocks  rlp([0x02, from_block_number, count])      1 <= count <= kMaxBlocksPerResponse
//   Blocks     rlp([0x03, from_block_number, [block, ...]])
//                at most kMaxBlocksPerResponse blocks, each a sealed Block in its own encoding
//                (block.hpp: rlp([header, txs, []])), of block_numbers from_block_number,
//                from_block_number + 1, ... in order
// A peer sends Status when it connects and after each block it commits; GetBlocks asks for final
// blocks by number; Blocks answers with those it has, possibly fewer (none: it has not got them).
// Block hashes are digests (block_seal.hpp). Decoding is strict: canonical RLP, a known kind, the
// exact field count, the bounds above, block numbers that follow each other, every block decoding
// strictly, nothing after the list, and the whole message at most kMaxSyncMessageBytes. What the
// blocks claim (links, seals, roots) is checked by BlockSync and the executor, not here.

#include <cstdint>
#include <variant>
#include <vector>

#include <tally/chain/block.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

inline constexpr std::uint64_t kMaxBlocksPerResponse = 64;
// One message fits one peer frame (peer_frame.hpp: kMaxFrameBytes = 16 MiB, channel byte
// included), with room to spare; a response carries fewer blocks when they are large.
inline constexpr std::size_t kMaxSyncMessageBytes = std::size_t{15} << 20;

enum class SyncKind : std::uint8_t { status = 1, get_blocks = 2, blocks = 3 };

struct SyncStatus {
  std::uint64_t head_block_number = 0;
  Hash256 head_digest;
  bool operator==(const SyncStatus&) const = default;
};

struct GetBlocks {
  std::uint64_t from_block_number = 0;
  std::uint64_t count = 0;
  bool operator==(const GetBlocks&) const = default;
};

struct BlocksResponse {
  std::uint64_t from_block_number = 0;
  std::vector<Block> blocks;
  bool operator==(const BlocksResponse&) const = default;
};

using SyncMessage = std::variant<SyncStatus, GetBlocks, BlocksResponse>;

// Asserts the bounds (a caller never builds an out-of-bounds message).
Bytes encode_sync_message(const SyncMessage& message);
Result<SyncMessage> decode_sync_message(BytesView encoded);

}  // namespace tally::chain
