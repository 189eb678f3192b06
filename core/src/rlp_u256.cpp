#include <algorithm>

#include <tally/core/rlp_u256.hpp>

namespace tally {

void add_rlp_u256(RlpWriter& writer, const u256& value) {
  const Hash256 word = value.to_be();
  const auto first = std::ranges::find_if(word.bytes, [](Byte b) { return b != 0; });
  const auto skip = static_cast<std::size_t>(first - word.bytes.begin());
  writer.add_uint_bytes(BytesView(word.bytes).subspan(skip));
}

Result<u256> read_rlp_u256(RlpReader& reader) {
  auto bytes = reader.read_uint_bytes(32);
  if (!bytes)
    return std::unexpected(std::move(bytes.error()));
  return u256::from_be_bytes(*bytes);
}

}  // namespace tally
