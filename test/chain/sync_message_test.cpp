// The block sync wire format (sync_message.hpp): round trips and strict, bounded decoding.
#include <gtest/gtest.h>

#include <tally/chain/extra_data.hpp>
#include <tally/chain/sync_message.hpp>
#include <tally/core/rlp_encode.hpp>

namespace tally::chain {
namespace {

Block block_at(std::uint64_t number) {
  Block block;
  block.header.block_number = number;
  block.header.base_fee_per_gas = 0;
  block.header.extra_data = ConsensusExtra{}.encode();
  block.txs.push_back(Bytes{0x02, 0xc1, static_cast<Byte>(number)});
  return block;
}

// rlp([3, from, [blocks...]]) written by hand, so the decoder's bounds can be crossed.
Bytes blocks_message(std::uint64_t from, const std::vector<Block>& blocks) {
  RlpWriter writer;
  writer.begin_list();
  writer.add_uint(3);
  writer.add_uint(from);
  writer.begin_list();
  for (const Block& block : blocks)
    writer.add_raw(block.encode());
  writer.end_list();
  writer.end_list();
  return writer.finish();
}

TEST(SyncMessage, RoundTripsEveryKind) {
  SyncStatus status{42, Hash256{}};
  status.head_digest.bytes[3] = 7;
  BlocksResponse blocks{10, {block_at(10), block_at(11), block_at(12)}};
  for (const SyncMessage& message :
       {SyncMessage(status), SyncMessage(GetBlocks{5, kMaxBlocksPerResponse}), SyncMessage(blocks),
        SyncMessage(BlocksResponse{7, {}})}) {
    const Bytes encoded = encode_sync_message(message);
    const auto decoded = decode_sync_message(encoded);
    ASSERT_TRUE(decoded) << decoded.error();
    EXPECT_EQ(*decoded, message);
  }
  // The documented layout.
  EXPECT_EQ(encode_sync_message(GetBlocks{1, 2}), (Bytes{0xc3, 0x02, 0x01, 0x02}));
}

TEST(SyncMessage, RefusesCountsOutsideTheBound) {
  const auto zero = decode_sync_message(Bytes{0xc3, 0x02, 0x01, 0x80});
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, Errc::limit_exceeded);
  const auto many = decode_sync_message(Bytes{0xc3, 0x02, 0x01, kMaxBlocksPerResponse + 1});
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().code, Errc::limit_exceeded);
}

TEST(SyncMessage, RefusesMoreBlocksThanTheBound) {
  std::vector<Block> blocks;
  for (std::uint64_t n = 0; n <= kMaxBlocksPerResponse; ++n)
    blocks.push_back(block_at(100 + n));
  const auto refused = decode_sync_message(blocks_message(100, blocks));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::limit_exceeded);
  blocks.pop_back();
  EXPECT_TRUE(decode_sync_message(blocks_message(100, blocks)));
}

TEST(SyncMessage, RefusesAMessageAboveTheByteBound) {
  Bytes huge(kMaxSyncMessageBytes + 1, 0);
  const auto refused = decode_sync_message(huge);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::limit_exceeded);
}

TEST(SyncMessage, RefusesBlocksOutOfSequence) {
  const auto gap = decode_sync_message(blocks_message(10, {block_at(10), block_at(12)}));
  ASSERT_FALSE(gap);
  EXPECT_NE(gap.error().message.find("block 1 is block_number 12"), std::string::npos)
      << gap.error();
  EXPECT_FALSE(decode_sync_message(blocks_message(9, {block_at(10)})));
}

TEST(SyncMessage, RefusesUnknownKindsExtraFieldsAndTrailingBytes) {
  EXPECT_FALSE(decode_sync_message(Bytes{0xc3, 0x04, 0x01, 0x02}));
  EXPECT_FALSE(decode_sync_message(Bytes{0xc4, 0x02, 0x01, 0x02, 0x03}));
  EXPECT_FALSE(decode_sync_message(Bytes{0xc2, 0x02, 0x01}));
  EXPECT_FALSE(decode_sync_message(Bytes{0xc3, 0x02, 0x01, 0x02, 0x00}));
  EXPECT_FALSE(decode_sync_message(Bytes{0xc3, 0x01, 0x01, 0x02}));  // digest not 32 bytes
  Bytes bad_block = blocks_message(1, {block_at(1)});
  bad_block.back() ^= 0x01;  // the last byte of the block's ommers list
  EXPECT_FALSE(decode_sync_message(bad_block));
  EXPECT_FALSE(decode_sync_message(Bytes{}));
}

}  // namespace
}  // namespace tally::chain
