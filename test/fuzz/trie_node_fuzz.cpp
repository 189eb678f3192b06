// Trie nodes from a store or a proof on any bytes: decoding never crashes, and what it accepts is
// canonical, so encoding the decoded node gives back exactly the input.
#include <cstddef>
#include <cstdint>

#include <tally/chain/trie_node.hpp>
#include <tally/core/assert.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally;
  const BytesView input(data, size);
  const auto node = chain::decode_trie_node(input);
  if (!node)
    return 0;
  const Bytes encoded = chain::encode_trie_node(**node);
  TALLY_ASSERT(encoded.size() == size && std::equal(encoded.begin(), encoded.end(), data));
  return 0;
}
