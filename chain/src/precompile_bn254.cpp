// NOT YET IMPLEMENTED (being written now): alt_bn128 add, mul and pairing fail for every input.
#include "precompile_impl.hpp"

namespace tally::chain::precompile {

PrecompileResult bn254_add(BytesView, std::uint64_t gas_limit) {
  return failure(gas_limit);
}
PrecompileResult bn254_mul(BytesView, std::uint64_t gas_limit) {
  return failure(gas_limit);
}
PrecompileResult bn254_pairing(BytesView, std::uint64_t gas_limit) {
  return failure(gas_limit);
}

}  // namespace tally::chain::precompile
