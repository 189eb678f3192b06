#pragma once
// Who signed a hash, remembered. A validator meets the same signed payload many times: the
// prepares of a prepared certificate ride in every round change and in the next proposal, round
// changes are sent again, peers duplicate. Recovering a signer costs tens of microseconds
// (secp256k1) to far more (SM2); a lookup costs a hash. Keyed by the suite hash of
// (hash, signature bytes), so any change to either misses. Only successes are kept. Bounded:
// when full it starts over, which costs recoveries, never correctness.

#include <cstddef>
#include <map>

#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

inline constexpr std::size_t kSignerCacheEntries = 1 << 16;

class SignerCache {
 public:
  // The address whose key made `signature` (the suite's canonical encoding) over `hash`.
  Result<Address> recover(const CryptoSuite& suite, const Hash256& hash, BytesView signature);

  std::size_t size() const noexcept { return entries_.size(); }
  std::size_t hits() const noexcept { return hits_; }

 private:
  std::map<std::pair<SuiteId, Hash256>, Address> entries_;
  std::size_t hits_ = 0;
};

}  // namespace tally::chain
