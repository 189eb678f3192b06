#pragma once
// Shared by the trie tests: the model a trie is checked against (an ordered map) and random keys
// and values shaped to make tries interesting.

#include <cstdint>
#include <map>
#include <random>
#include <string_view>

#include <tally/core/bytes.hpp>

namespace tally::chain::test {

// Byte order of keys. std::less<Bytes> would do, but g++ 12 at -O3 warns (falsely) that its
// memcmp may read past the object.
struct KeyLess {
  bool operator()(const Bytes& a, const Bytes& b) const {
    const std::string_view left(reinterpret_cast<const char*>(a.data()), a.size());
    const std::string_view right(reinterpret_cast<const char*>(b.data()), b.size());
    return left < right;
  }
};

using Model = std::map<Bytes, Bytes, KeyLess>;

class TrieInputs {
 public:
  explicit TrieInputs(std::uint64_t seed) : rng_(seed) {}

  // 0 to 5 bytes from a small alphabet, so keys share prefixes, end inside each other's paths and
  // differ in single nibbles: every node shape and every collapse happens.
  Bytes key() {
    static constexpr Byte kAlphabet[] = {0x00, 0x01, 0x0f, 0x10, 0x11, 0x1f, 0xf0, 0xff};
    Bytes out(below(6));
    for (Byte& b : out)
      b = kAlphabet[below(sizeof kAlphabet)];
    return out;
  }
  // Mostly short values (embedded nodes), some long ones (hashed nodes); a fifth are empty, which
  // a put treats as an erase.
  Bytes value() {
    if (below(5) == 0)
      return {};
    Bytes out(below(8) == 0 ? 20 + below(60) : 1 + below(6));
    for (Byte& b : out)
      b = static_cast<Byte>(rng_());
    return out;
  }
  std::size_t below(std::size_t bound) { return static_cast<std::size_t>(rng_() % bound); }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

}  // namespace tally::chain::test
