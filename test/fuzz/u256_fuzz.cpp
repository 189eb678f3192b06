// u256 on any operands: the identities that tie the operations together hold, and text that
// parses round-trips. Boost's reference comparison lives in the property tests; this target looks
// for crashes and undefined behaviour on inputs a generator would not think of.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <tally/core/assert.hpp>
#include <tally/core/u256.hpp>

namespace {

tally::u256 word_at(const std::uint8_t* data) {
  tally::Hash256 word;
  std::copy(data, data + 32, word.bytes.begin());
  return tally::u256::from_be(word);
}

void check_arithmetic(const tally::u256& a, const tally::u256& b, const tally::u256& m) {
  using namespace tally;
  if (!b.is_zero()) {
    TALLY_ASSERT(div(a, b) * b + mod(a, b) == a);
    TALLY_ASSERT(mod(a, b) < b);
    TALLY_ASSERT(sdiv(a, b) * b + smod(a, b) == a);
  } else {
    TALLY_ASSERT(div(a, b).is_zero() && mod(a, b).is_zero());
  }
  TALLY_ASSERT(mulmod(a, b, m) == mulmod(b, a, m));
  TALLY_ASSERT(addmod(a, b, m) == addmod(b, a, m));
  if (!m.is_zero()) {
    TALLY_ASSERT(mulmod(a, b, m) < m && addmod(a, b, m) < m);
    TALLY_ASSERT(mulmod(a, b, m) == mulmod(mod(a, m), mod(b, m), m));
  }
  TALLY_ASSERT(exp(a, u256(2)) == a * a);
  TALLY_ASSERT(shr(u256(3), shl(u256(3), a)) == (a & (u256::max() >> 3)));
}

void check_text(std::string_view text) {
  if (const auto value = tally::u256::from_hex(text)) {
    TALLY_ASSERT(tally::u256::from_hex(value->hex()).value() == *value);
  }
  if (const auto value = tally::u256::from_decimal(text)) {
    TALLY_ASSERT(tally::u256::from_decimal(value->decimal()).value() == *value);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size >= 96)
    check_arithmetic(word_at(data), word_at(data + 32), word_at(data + 64));
  check_text(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
