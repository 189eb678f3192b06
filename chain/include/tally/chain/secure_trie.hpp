#pragma once
// The trie of world state and of each account's storage: a Trie keyed by the suite hash of the
// key (an address, a storage slot) rather than the key itself. Hashed keys spread evenly, so no
// caller can make a path deep, and all keys have the same length.
//
// Ethereum's secure trie also stores each key's preimage; this one does not: state that must be
// enumerated by address keeps its own index.

#include <optional>
#include <span>
#include <vector>

#include <tally/chain/trie.hpp>

namespace tally::chain {

class SecureTrie {
 public:
  explicit SecureTrie(CryptoSuite suite) : trie_(suite) {}
  SecureTrie(CryptoSuite suite, const NodeStore& store, const Hash256& root)
      : trie_(suite, store, root) {}

  Result<std::optional<Bytes>> get(BytesView key) const { return trie_.get(hashed(key).view()); }
  // An empty value erases.
  Result<void> put(BytesView key, BytesView value) { return trie_.put(hashed(key).view(), value); }
  Result<void> erase(BytesView key) { return trie_.erase(hashed(key).view()); }

  Hash256 root_hash() { return trie_.root_hash(); }
  Hash256 commit(NodeBatch& out) { return trie_.commit(out); }

  // The proof of the hashed key, as eth_getProof returns for accounts and storage slots.
  Result<std::vector<Bytes>> prove(BytesView key) { return trie_.prove(hashed(key).view()); }
  static Result<std::optional<Bytes>> verify_proof(CryptoSuite suite,
                                                   const Hash256& root,
                                                   BytesView key,
                                                   std::span<const Bytes> proof);

  CryptoSuite suite() const noexcept { return trie_.suite(); }
  bool empty() const noexcept { return trie_.empty(); }
  // The trie underneath, keyed by hashes (its ordered walks go in hash order).
  const Trie& trie() const noexcept { return trie_; }

 private:
  Hash256 hashed(BytesView key) const { return trie_.suite().hash(key); }

  Trie trie_;
};

}  // namespace tally::chain
