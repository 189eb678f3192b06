#pragma once
// The precompiled contracts the EVM calls by address (Cancun's 0x01..0x0a). The interface between
// the interpreter and the precompiles; their implementation lives beside it.

#include <cstdint>

#include <tally/core/bytes.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {
struct PrecompileResult {
  bool success = false;  // false: the call fails and consumes all gas given
  std::uint64_t gas_used = 0;
  Bytes output;
};
// Cancun's precompiles: 0x01..0x0a (0x0a, KZG point evaluation, always fails on this chain: it has
// no blobs).
bool is_precompile(const Address& address) noexcept;
PrecompileResult run_precompile(const Address& address, BytesView input, std::uint64_t gas_limit);
}  // namespace tally::chain
