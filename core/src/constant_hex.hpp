#pragma once
// Compile-time hex for curve constants in the crypto sources (private to core/src). The literal
// must be exactly 2N lower-case hex digits; anything else fails to compile.

#include <cstddef>

#include <tally/core/fixed_bytes.hpp>

namespace tally::detail {

consteval Byte constant_nibble(char c) {
  if (c >= '0' && c <= '9')
    return static_cast<Byte>(c - '0');
  if (c >= 'a' && c <= 'f')
    return static_cast<Byte>(c - 'a' + 10);
  throw "constant_hex: not a lower-case hex digit";
}

template <std::size_t N>
consteval FixedBytes<N> constant_hex(const char (&hex)[2 * N + 1]) {
  FixedBytes<N> out;
  for (std::size_t i = 0; i < N; ++i)
    out.bytes[i] =
        static_cast<Byte>(constant_nibble(hex[2 * i]) << 4 | constant_nibble(hex[2 * i + 1]));
  return out;
}

}  // namespace tally::detail
