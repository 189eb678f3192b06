#include <tally/chain/bloom.hpp>
#include <tally/core/keccak.hpp>

namespace tally::chain {
namespace {

// The three (byte index, bit mask) pairs of an item: bits are numbered from the end of the
// 256-byte array, each the low 11 bits of a big-endian byte pair of the item's hash.
std::array<std::pair<std::size_t, Byte>, 3> bloom_bits(BytesView item) {
  const Hash256 hash = keccak256(item);
  std::array<std::pair<std::size_t, Byte>, 3> out;
  for (std::size_t i = 0; i < 3; ++i) {
    const unsigned bit = ((unsigned{hash.bytes[2 * i]} << 8) | hash.bytes[2 * i + 1]) & 2047U;
    out[i] = {Bloom::kSize - 1 - bit / 8, static_cast<Byte>(1U << (bit % 8))};
  }
  return out;
}

}  // namespace

void Bloom::add(BytesView item) {
  for (const auto& [index, mask] : bloom_bits(item))
    bits_.bytes[index] |= mask;
}

bool Bloom::may_contain(BytesView item) const {
  for (const auto& [index, mask] : bloom_bits(item)) {
    if ((bits_.bytes[index] & mask) == 0)
      return false;
  }
  return true;
}

void Bloom::merge(const Bloom& other) {
  for (std::size_t i = 0; i < kSize; ++i)
    bits_.bytes[i] |= other.bits_.bytes[i];
}

}  // namespace tally::chain
