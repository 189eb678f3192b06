// Signatures from the outside (a transaction, a consensus message) on any bytes: decoding and
// recovering the signer never crash, in either suite; SM2's DER form is strict, so what it accepts
// re-encodes to the same bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <tally/core/assert.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/sm2.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally;
  const BytesView input(data, size);
  if (size > 32) {
    Hash256 hash;
    std::copy(data, data + 32, hash.bytes.begin());
    for (const SuiteId id : {SuiteId::standard, SuiteId::guomi}) {
      const CryptoSuite suite(id);
      if (const auto signature = Signature::decode(id, input.subspan(32))) {
        (void)suite.recover_signer(hash, *signature);
      }
    }
  }
  if (const auto der = sm2::Signature::from_der(input)) {
    const Bytes again = der->to_der();
    TALLY_ASSERT(again.size() == size && std::equal(again.begin(), again.end(), data));
  }
  return 0;
}
