// decode_payload on any bytes, for the action the first byte chooses: what decodes is exactly its
// canonical encoding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <tally/core/assert.hpp>
#include <tally/reconcile/action_payload.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1)
    return 0;
  const auto kind = static_cast<tally::reconcile::ActionKind>(data[0] % 6);
  const std::string_view json(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto action = tally::reconcile::decode_payload(kind, json);
  if (!action)
    return 0;
  TALLY_ASSERT(action->kind == kind);
  TALLY_ASSERT(tally::reconcile::encode_payload(*action) == json);
  return 0;
}
