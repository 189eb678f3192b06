// abi_decode on any bytes, against a type also taken from the input: the text before the first
// newline is parsed as a type (refusals are fine), the rest decoded as it. The decoder must never
// crash or allocate without bound, and whatever it accepts must encode, and that canonical
// encoding must decode to the same value.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <tally/chain/abi.hpp>
#include <tally/core/assert.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally;
  const auto* newline = std::find(data, data + size, std::uint8_t{'\n'});
  if (newline == data + size)
    return 0;
  const std::string_view text(reinterpret_cast<const char*>(data),
                              static_cast<std::size_t>(newline - data));
  const auto type = chain::AbiType::parse(text);
  if (!type)
    return 0;
  TALLY_ASSERT(chain::AbiType::parse(type->canonical()).value() == *type);
  const BytesView input(newline + 1, static_cast<std::size_t>(data + size - newline - 1));
  const auto value = chain::abi_decode(*type, input);
  if (!value)
    return 0;
  const auto encoded = chain::abi_encode(*type, *value);
  TALLY_ASSERT(encoded.has_value());
  TALLY_ASSERT(chain::abi_decode(*type, *encoded).value() == *value);
  return 0;
}
