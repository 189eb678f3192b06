// rlp_decode on any bytes: it must never crash, and what it accepts must be canonical, so encoding
// the decoded item gives back exactly the input.
#include <cstddef>
#include <cstdint>

#include <tally/core/assert.hpp>
#include <tally/core/rlp.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const tally::BytesView input(data, size);
  const auto item = tally::rlp_decode(input);
  if (!item)
    return 0;
  const tally::Bytes encoded = tally::rlp_encode(*item);
  TALLY_ASSERT(tally::BytesView(encoded).size() == size);
  TALLY_ASSERT(std::equal(encoded.begin(), encoded.end(), data));
  return 0;
}
