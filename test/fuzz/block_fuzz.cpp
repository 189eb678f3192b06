// Blocks, headers, receipts and consensus extra data from peers, on any bytes: decoding never
// crashes, and what decodes re-encodes to exactly the input (one encoding per value).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <tally/chain/block.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/receipt.hpp>
#include <tally/core/assert.hpp>

namespace {

bool same(const tally::Bytes& encoded, tally::BytesView input) {
  return encoded.size() == input.size() &&
         std::equal(encoded.begin(), encoded.end(), input.begin());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally::chain;
  const tally::BytesView input(data, size);
  if (const auto block = Block::decode(input))
    TALLY_ASSERT(same(block->encode(), input));
  if (const auto header = BlockHeader::decode(input))
    TALLY_ASSERT(same(header->encode(), input));
  if (const auto receipt = Receipt::decode(input))
    TALLY_ASSERT(same(receipt->encode(), input));
  if (const auto extra = ConsensusExtra::decode(input))
    TALLY_ASSERT(same(extra->encode(), input));
  return 0;
}
