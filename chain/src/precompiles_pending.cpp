// TEMPORARY, removed when branch `precompiles` is merged: it implements precompiles.hpp. Until
// then every precompile call fails (consuming its gas), so the state tests that call them are in
// the runner's expected-failures list.
#include <algorithm>

#include <tally/chain/precompiles.hpp>

namespace tally::chain {

bool is_precompile(const Address& address) noexcept {
  return std::all_of(address.bytes.begin(), address.bytes.end() - 1,
                     [](Byte b) { return b == 0; }) &&
         address.bytes[19] >= 1 && address.bytes[19] <= 0x0a;
}

PrecompileResult run_precompile(const Address&, BytesView, std::uint64_t) {
  return {};
}

}  // namespace tally::chain
