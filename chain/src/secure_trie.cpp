#include <tally/chain/secure_trie.hpp>
#include <tally/chain/trie_proof.hpp>

namespace tally::chain {

Result<std::optional<Bytes>> SecureTrie::verify_proof(CryptoSuite suite,
                                                      const Hash256& root,
                                                      BytesView key,
                                                      std::span<const Bytes> proof) {
  return verify_trie_proof(suite, root, suite.hash(key).view(), proof);
}

}  // namespace tally::chain
