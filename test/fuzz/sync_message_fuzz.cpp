// Block sync messages (sync_message.hpp) on any bytes: decoding never crashes, stays within its
// bounds, and what decodes re-encodes to exactly the input (one encoding per message).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <tally/chain/sync_message.hpp>
#include <tally/core/assert.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally::chain;
  const tally::BytesView input(data, size);
  const auto message = decode_sync_message(input);
  if (!message)
    return 0;
  if (const auto* blocks = std::get_if<BlocksResponse>(&*message))
    TALLY_ASSERT(blocks->blocks.size() <= kMaxBlocksPerResponse);
  if (const auto* request = std::get_if<GetBlocks>(&*message))
    TALLY_ASSERT(request->count >= 1 && request->count <= kMaxBlocksPerResponse);
  const tally::Bytes encoded = encode_sync_message(*message);
  TALLY_ASSERT(encoded.size() == input.size() &&
               std::equal(encoded.begin(), encoded.end(), input.begin()));
  return 0;
}
