// Trie proofs from the outside (an eth_getProof answer, a light client's request) on any bytes:
// verification never crashes, and a proof it accepts is made of canonical nodes.
//
// Input: a flags byte (bit 0: guomi suite; bit 1: the root is the hash of the first node, so the
// fuzzer gets past the root check, else the root is the next 32 bytes), a key length byte and the
// key, then nodes, each a 2-byte big-endian length and that many bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <tally/chain/trie.hpp>
#include <tally/chain/trie_node.hpp>
#include <tally/chain/trie_proof.hpp>
#include <tally/core/assert.hpp>

namespace {

struct Input {
  tally::BytesView rest;

  bool take(std::size_t count, tally::BytesView& out) {
    if (rest.size() < count)
      return false;
    out = rest.first(count);
    rest = rest.subspan(count);
    return true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally;
  Input input{BytesView(data, size)};
  BytesView flags;
  BytesView key_size;
  BytesView key;
  if (!input.take(1, flags))
    return 0;
  const CryptoSuite suite((flags[0] & 1) != 0 ? SuiteId::guomi : SuiteId::standard);
  const bool root_is_first_node = (flags[0] & 2) != 0;
  BytesView root_bytes;
  if (!root_is_first_node && !input.take(32, root_bytes))
    return 0;
  if (!input.take(1, key_size) || !input.take(key_size[0], key))
    return 0;
  std::vector<Bytes> proof;
  BytesView length;
  while (input.take(2, length)) {
    const std::size_t wanted = std::size_t{length[0]} << 8 | length[1];
    const std::size_t count = std::min(wanted, input.rest.size());
    BytesView node;
    input.take(count, node);
    proof.emplace_back(node.begin(), node.end());
  }
  Hash256 root;
  if (root_is_first_node)
    root = proof.empty() ? chain::empty_trie_root(suite) : suite.hash(proof.front());
  else
    std::ranges::copy(root_bytes, root.bytes.begin());

  const auto verified = chain::verify_trie_proof(suite, root, key, proof);
  if (!verified)
    return 0;
  TALLY_ASSERT(verified == chain::verify_trie_proof(suite, root, key, proof));
  for (const Bytes& node : proof) {
    const auto decoded = chain::decode_trie_node(node);
    TALLY_ASSERT(decoded.has_value());
    TALLY_ASSERT(chain::encode_trie_node(**decoded) == node);
  }
  return 0;
}
