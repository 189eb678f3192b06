#include <tally/chain/ordered_trie.hpp>
#include <tally/chain/trie.hpp>
#include <tally/core/assert.hpp>
#include <tally/core/rlp_encode.hpp>

namespace tally::chain {

Hash256 ordered_trie_root(std::span<const Bytes> values, CryptoSuite suite) {
  Trie trie(suite);  // no store: every node is in memory and nothing is loaded
  Bytes key;
  for (std::size_t i = 0; i < values.size(); ++i) {
    TALLY_ASSERT(!values[i].empty());
    key.clear();
    append_rlp_uint(key, i);
    // Cannot fail: only loading from a store can, and this trie has none.
    TALLY_ASSERT(trie.put(key, values[i]).has_value());
  }
  return trie.root_hash();
}

}  // namespace tally::chain
