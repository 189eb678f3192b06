#include <tally/chain/sync_message.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/rlp_decode.hpp>
#include <tally/core/rlp_encode.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

void encode_body(RlpWriter& writer, const SyncStatus& status) {
  writer.add_uint(static_cast<std::uint8_t>(SyncKind::status));
  writer.add_uint(status.head_block_number);
  writer.add_string(status.head_digest.view());
}

void encode_body(RlpWriter& writer, const GetBlocks& request) {
  TALLY_ASSERT(request.count >= 1 && request.count <= kMaxBlocksPerResponse);
  writer.add_uint(static_cast<std::uint8_t>(SyncKind::get_blocks));
  writer.add_uint(request.from_block_number);
  writer.add_uint(request.count);
}

void encode_body(RlpWriter& writer, const BlocksResponse& response) {
  TALLY_ASSERT(response.blocks.size() <= kMaxBlocksPerResponse);
  writer.add_uint(static_cast<std::uint8_t>(SyncKind::blocks));
  writer.add_uint(response.from_block_number);
  writer.begin_list();
  for (std::size_t i = 0; i < response.blocks.size(); ++i) {
    TALLY_ASSERT(response.blocks[i].header.block_number == response.from_block_number + i);
    writer.add_raw(response.blocks[i].encode());
  }
  writer.end_list();
}

Result<SyncMessage> decode_status(RlpReader& fields) {
  SyncStatus status;
  TALLY_TRY(status.head_block_number,
            in_context(fields.read_uint64(), "sync status: head_block_number"));
  TALLY_TRY(status.head_digest, in_context(fields.read_fixed<32>(), "sync status: head_digest"));
  return status;
}

Result<SyncMessage> decode_get_blocks(RlpReader& fields) {
  GetBlocks request;
  TALLY_TRY(request.from_block_number,
            in_context(fields.read_uint64(), "sync get_blocks: from_block_number"));
  TALLY_TRY(request.count, in_context(fields.read_uint64(), "sync get_blocks: count"));
  if (request.count == 0 || request.count > kMaxBlocksPerResponse) {
    return fail(Errc::limit_exceeded, str_cat("sync get_blocks: count ", request.count,
                                              " outside 1..", kMaxBlocksPerResponse));
  }
  return request;
}

Result<SyncMessage> decode_blocks(RlpReader& fields) {
  BlocksResponse response;
  TALLY_TRY(response.from_block_number,
            in_context(fields.read_uint64(), "sync blocks: from_block_number"));
  TALLY_TRY(RlpReader blocks, in_context(fields.read_list(), "sync blocks: list"));
  while (!blocks.at_end()) {
    const std::size_t index = response.blocks.size();
    if (index == kMaxBlocksPerResponse) {
      return fail(Errc::limit_exceeded,
                  str_cat("sync blocks: more than ", kMaxBlocksPerResponse, " blocks"));
    }
    TALLY_TRY(const BytesView raw,
              in_context(blocks.read_raw(), str_cat("sync blocks: block ", index)));
    TALLY_TRY(Block block, in_context(Block::decode(raw), str_cat("sync blocks: block ", index)));
    if (block.header.block_number != response.from_block_number + index) {
      return fail(Errc::malformed, str_cat("sync blocks: block ", index, " is block_number ",
                                           block.header.block_number, ", expected ",
                                           response.from_block_number + index));
    }
    response.blocks.push_back(std::move(block));
  }
  return response;
}

}  // namespace

Bytes encode_sync_message(const SyncMessage& message) {
  RlpWriter writer;
  writer.begin_list();
  std::visit([&writer](const auto& m) { encode_body(writer, m); }, message);
  writer.end_list();
  Bytes out = writer.finish();
  TALLY_ASSERT(out.size() <= kMaxSyncMessageBytes);
  return out;
}

Result<SyncMessage> decode_sync_message(BytesView encoded) {
  if (encoded.size() > kMaxSyncMessageBytes) {
    return fail(Errc::limit_exceeded, str_cat("sync message: ", encoded.size(),
                                              " bytes, the bound is ", kMaxSyncMessageBytes));
  }
  TALLY_TRY(RlpReader fields, in_context(rlp_open_list(encoded), "sync message"));
  TALLY_TRY(const std::uint64_t kind, in_context(fields.read_uint64(), "sync message: kind"));
  Result<SyncMessage> message = fail(Errc::malformed, str_cat("sync message: unknown kind ", kind));
  switch (kind) {
    case static_cast<std::uint8_t>(SyncKind::status):
      message = decode_status(fields);
      break;
    case static_cast<std::uint8_t>(SyncKind::get_blocks):
      message = decode_get_blocks(fields);
      break;
    case static_cast<std::uint8_t>(SyncKind::blocks):
      message = decode_blocks(fields);
      break;
    default:
      break;
  }
  if (!message)
    return message;
  TALLY_TRY_VOID(in_context(fields.finish(), "sync message: after the last field"));
  return message;
}

}  // namespace tally::chain
