// unpack_members on any bytes (a stored match group's members BLOB): it accepts or refuses without
// crashing, and whatever it accepts packs back to the same bytes (one encoding per group).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <tally/core/assert.hpp>
#include <tally/reconcile/packed_members.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const tally::BytesView bytes(data, size);
  const auto members = tally::reconcile::unpack_members(bytes);
  if (!members)
    return 0;
  TALLY_ASSERT(!members->empty());
  tally::Bytes again;
  tally::reconcile::pack_members(*members, again);
  TALLY_ASSERT(again.size() == size && std::equal(again.begin(), again.end(), bytes.begin()));
  return 0;
}
