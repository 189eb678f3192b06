#include <tally/chain/evm_env.hpp>

namespace tally::chain {

u256 blob_base_fee(std::uint64_t excess_blob_gas) {
  // fake_exponential(MIN_BASE_FEE_PER_BLOB_GAS = 1, excess, BLOB_BASE_FEE_UPDATE_FRACTION): the
  // Taylor series of e^(excess / fraction), in integers. It saturates instead of wrapping.
  constexpr std::uint64_t kFraction = 3338477;
  const u256 numerator(excess_blob_gas);
  u256 output;
  u256 accumulator(kFraction);
  for (std::uint64_t i = 1; !accumulator.is_zero(); ++i) {
    output += accumulator;
    if (!numerator.is_zero() && accumulator > u256::max() / numerator)
      return u256::max();
    accumulator = accumulator * numerator / (u256(kFraction) * u256(i));
  }
  return output / u256(kFraction);
}

}  // namespace tally::chain
