#pragma once
// Trie paths. A trie key is read as a sequence of 4-bit nibbles, high nibble of each byte first;
// nodes store the part of the path they cover. On the wire a path is hex-prefix encoded (Yellow
// Paper, appendix C): the first nibble carries two flags (bit 1: leaf, bit 0: odd length), an odd
// path puts its first nibble beside the flags, an even one pads the flags' byte with a zero nibble.

#include <algorithm>
#include <cstddef>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>

namespace tally::chain {

// One nibble (0..15) per byte. An alias rather than a type: paths are sliced and compared as byte
// spans everywhere, and every function here documents which of the two it takes.
using Nibbles = Bytes;
using NibblesView = BytesView;

Nibbles to_nibbles(BytesView key);
// The bytes of an even-length path (a whole key); asserts the length is even.
Bytes nibbles_to_bytes(NibblesView path);

inline std::size_t common_prefix_length(NibblesView a, NibblesView b) noexcept {
  const auto [end_a, end_b] = std::ranges::mismatch(a, b);
  return static_cast<std::size_t>(end_a - a.begin());
}

inline bool starts_with(NibblesView path, NibblesView prefix) noexcept {
  return prefix.size() <= path.size() && std::ranges::equal(path.first(prefix.size()), prefix);
}

// Hex-prefix encoding of `path`, with the leaf flag set for leaves.
Bytes hex_prefix_encode(NibblesView path, bool leaf);
// Bytes of hex_prefix_encode's output, without building it.
inline std::size_t hex_prefix_size(NibblesView path) noexcept {
  return path.size() / 2 + 1;
}
void append_hex_prefix(Bytes& out, NibblesView path, bool leaf);

struct HexPrefixPath {
  Nibbles path;
  bool leaf = false;
};

// Strict: malformed for an empty input, flags above 3, or a non-zero pad nibble, so that every
// path has exactly one encoding.
Result<HexPrefixPath> hex_prefix_decode(BytesView encoded);

}  // namespace tally::chain
