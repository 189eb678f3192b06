#pragma once
// Merkle proofs of trie entries, as eth_getProof returns them: the encoded nodes on a key's path,
// root first (Trie::prove makes them). A proof shows a key's value, or that the key is absent:
// the path ends in an empty branch slot, a leaf of another key, or an extension that leaves it.
//
// Verification is strict: the first node must hash to the root, each next node to the hash its
// predecessor holds on the key's path, and the proof must end exactly where the path does. So
// changing, adding, dropping or reordering any byte or node makes it fail. A proof of the empty
// trie has no nodes.

#include <cstddef>
#include <optional>
#include <span>

#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

// A path has at most one hashed node per nibble of the key plus the root: 65 for the 32-byte keys
// of secure tries. The bound leaves room for plain tries keyed by short strings.
inline constexpr std::size_t kMaxTrieProofNodes = 256;

// The value `proof` shows for `key` under `root` (nullopt: proven absent). verification_failed
// when the proof does not prove either; limit_exceeded past kMaxTrieProofNodes. For a secure trie
// pass the hashed key (SecureTrie::verify_proof does).
Result<std::optional<Bytes>> verify_trie_proof(CryptoSuite suite,
                                               const Hash256& root,
                                               BytesView key,
                                               std::span<const Bytes> proof);

}  // namespace tally::chain
