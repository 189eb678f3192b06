// unpack_groups and unpack_members on any bytes (a stored row of match groups, a break's
// members): each accepts or refuses without crashing, and whatever it accepts packs back to the
// same bytes (one encoding per list).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <tally/core/assert.hpp>
#include <tally/reconcile/packed_groups.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const tally::BytesView bytes(data, size);
  if (const auto members = tally::reconcile::unpack_members(bytes)) {
    tally::Bytes again;
    tally::reconcile::pack_members(*members, again);
    TALLY_ASSERT(again.size() == size && std::equal(again.begin(), again.end(), bytes.begin()));
  }
  const auto groups = tally::reconcile::unpack_groups(bytes);
  if (!groups)
    return 0;
  TALLY_ASSERT(!groups->empty());
  tally::reconcile::GroupPacker packer;
  for (const auto& group : *groups)
    packer.add(group);
  tally::Bytes again;
  packer.finish(again);
  TALLY_ASSERT(again.size() == size && std::equal(again.begin(), again.end(), bytes.begin()));
  return 0;
}
