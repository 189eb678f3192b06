#pragma once
// The precompiles one by one, and the helpers they share. Internal to precompiles*.cpp.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <tally/chain/precompiles.hpp>

namespace tally::chain::precompile {

inline PrecompileResult failure(std::uint64_t gas_limit) {
  return {.success = false, .gas_used = gas_limit, .output = {}};
}

// Success costing `gas`, or failure when gas_limit does not cover it.
inline PrecompileResult charged(std::uint64_t gas, std::uint64_t gas_limit, Bytes output) {
  if (gas > gas_limit)
    return failure(gas_limit);
  return {.success = true, .gas_used = gas, .output = std::move(output)};
}

// 32-byte words covering `size` bytes.
constexpr std::uint64_t word_count(std::uint64_t size) noexcept {
  return size / 32 + (size % 32 != 0 ? 1 : 0);
}

// base + per_word * words(size), saturating at 2^64 - 1 (which no gas limit covers).
constexpr std::uint64_t linear_gas(std::uint64_t base,
                                   std::uint64_t per_word,
                                   std::uint64_t size) noexcept {
  std::uint64_t gas = 0;
  if (__builtin_mul_overflow(word_count(size), per_word, &gas) ||
      __builtin_add_overflow(gas, base, &gas))
    return UINT64_MAX;
  return gas;
}

// input[offset, offset + N) with the bytes past the input's end read as zero.
template <std::size_t N>
std::array<Byte, N> padded_slice(BytesView input, std::uint64_t offset) {
  std::array<Byte, N> out{};
  if (offset < input.size()) {
    const std::size_t available = std::min<std::size_t>(N, input.size() - offset);
    std::copy_n(input.begin() + static_cast<std::ptrdiff_t>(offset), available, out.begin());
  }
  return out;
}

PrecompileResult ecrecover(BytesView input, std::uint64_t gas_limit);
PrecompileResult sha256(BytesView input, std::uint64_t gas_limit);
PrecompileResult ripemd160(BytesView input, std::uint64_t gas_limit);
PrecompileResult identity(BytesView input, std::uint64_t gas_limit);
PrecompileResult modexp(BytesView input, std::uint64_t gas_limit);
PrecompileResult bn254_add(BytesView input, std::uint64_t gas_limit);
PrecompileResult bn254_mul(BytesView input, std::uint64_t gas_limit);
PrecompileResult bn254_pairing(BytesView input, std::uint64_t gas_limit);
PrecompileResult blake2f(BytesView input, std::uint64_t gas_limit);
PrecompileResult point_evaluation(BytesView input, std::uint64_t gas_limit);

}  // namespace tally::chain::precompile
