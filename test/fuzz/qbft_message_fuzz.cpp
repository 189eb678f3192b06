// Consensus messages and persisted consensus snapshots, on any bytes, in both suites: decoding
// never crashes, and what decodes re-encodes to exactly the input (one encoding per value).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <tally/chain/consensus_store.hpp>
#include <tally/chain/qbft_message.hpp>
#include <tally/core/assert.hpp>

namespace {

bool same(const tally::Bytes& encoded, tally::BytesView input) {
  return encoded.size() == input.size() &&
         std::equal(encoded.begin(), encoded.end(), input.begin());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally::chain;
  const tally::BytesView input(data, size);
  for (const auto id : {tally::SuiteId::standard, tally::SuiteId::guomi}) {
    const tally::CryptoSuite suite(id);
    SignerCache signers;
    if (const auto message = Message::decode(input, suite, signers))
      TALLY_ASSERT(same(message->encode(), input));
    if (const auto payload = Payload::decode(input))
      TALLY_ASSERT(same(payload->encode(), input));
    if (const auto snapshot = ConsensusSnapshot::decode(input, suite))
      TALLY_ASSERT(same(snapshot->encode(), input));
  }
  return 0;
}
