// The precompiles on any input: the first byte picks one of 0x01..0x0a, the rest is its input. No
// crash, no sanitizer report, and the result keeps the contract: a failure consumes all gas and
// returns nothing; a success stays within the gas limit with an output of the precompile's size.
// The gas limit keeps pairing to a few pairs and modexp small, so each run stays fast.
#include <cstddef>
#include <cstdint>

#include <tally/chain/bn254.hpp>
#include <tally/chain/precompiles.hpp>
#include <tally/core/assert.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally;
  if (size == 0)
    return 0;
  constexpr std::uint64_t kGasLimit = 200'000;
  Address address;
  address.bytes[19] = static_cast<Byte>(data[0] % 10 + 1);
  const BytesView input(data + 1, size - 1);
  const chain::PrecompileResult result = chain::run_precompile(address, input, kGasLimit);
  if (!result.success) {
    TALLY_ASSERT(result.gas_used == kGasLimit && result.output.empty());
    return 0;
  }
  TALLY_ASSERT(result.gas_used <= kGasLimit);
  switch (address.bytes[19]) {
    case 1:
      TALLY_ASSERT(result.output.empty() || result.output.size() == 32);
      break;
    case 2:
    case 3:
    case 8:
      TALLY_ASSERT(result.output.size() == 32);
      break;
    case 4:
      TALLY_ASSERT(result.output.size() == input.size());
      break;
    case 6:
    case 7:
      // What add and mul return is itself a valid point.
      TALLY_ASSERT(result.output.size() == 64);
      TALLY_ASSERT(chain::bn254::decode_g1(result.output).has_value());
      break;
    case 9:
      TALLY_ASSERT(result.output.size() == 64);
      break;
    case 10:
      TALLY_ASSERT(false);  // point evaluation never succeeds
      break;
    default:
      break;
  }
  return 0;
}
