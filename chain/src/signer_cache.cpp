#include <tally/chain/signer_cache.hpp>

namespace tally::chain {

Result<Address> SignerCache::recover(const CryptoSuite& suite,
                                     const Hash256& hash,
                                     BytesView signature) {
  Bytes key_bytes(hash.view().begin(), hash.view().end());
  key_bytes.insert(key_bytes.end(), signature.begin(), signature.end());
  const auto key = std::make_pair(suite.id(), suite.hash(key_bytes));
  if (const auto found = entries_.find(key); found != entries_.end()) {
    ++hits_;
    return found->second;
  }
  TALLY_TRY(const Signature decoded, Signature::decode(suite.id(), signature));
  TALLY_TRY(const PublicKey signer, suite.recover_signer(hash, decoded));
  if (entries_.size() == kSignerCacheEntries)
    entries_.clear();
  const Address address = suite.address(signer);
  entries_.emplace(key, address);
  return address;
}

}  // namespace tally::chain
