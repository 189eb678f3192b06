#pragma once
// Byte strings and their strict hex form. Hex is accepted with or without "0x", must have an even
// number of digits, and every error names the offset of the offending character.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tally/core/error.hpp>

namespace tally {

using Byte = std::uint8_t;
using Bytes = std::vector<Byte>;
using BytesView = std::span<const Byte>;

// The value of one hex digit of either case, or -1 for any other character.
constexpr int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// Parses hex digits (either case) with an optional "0x" prefix. "" and "0x" give empty bytes.
Result<Bytes> from_hex(std::string_view hex);

// Lower-case hex; with_prefix adds "0x".
std::string to_hex(BytesView bytes, bool with_prefix = true);

// The bytes of a string's characters, unchanged.
inline BytesView as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const Byte*>(text.data()), text.size()};
}

inline Bytes to_bytes(std::string_view text) {
  const BytesView view = as_bytes(text);
  return {view.begin(), view.end()};
}

}  // namespace tally
