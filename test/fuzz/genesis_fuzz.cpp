// genesis.json comes from the consortium's operators and is read by every node: parse_genesis
// must refuse anything malformed with an error, never crash. What it accepts must be in canonical
// form after one round trip, and must make a block 0 in its suite.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <tally/chain/genesis.hpp>
#include <tally/core/assert.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto genesis = tally::chain::parse_genesis(text, "fuzz.json");
  if (!genesis)
    return 0;
  const auto again = tally::chain::parse_genesis(tally::chain::to_json(*genesis), "canonical");
  TALLY_ASSERT(again && *again == *genesis);
  // Large states make slow inputs, not findings: build block 0 for small ones only.
  if (genesis->accounts.size() + genesis->alloc.size() <= 64)
    TALLY_ASSERT(tally::chain::make_genesis(*genesis, tally::CryptoSuite(genesis->suite)));
  return 0;
}
