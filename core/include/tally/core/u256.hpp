#pragma once
// u256: the EVM word. A 256-bit unsigned integer on four 64-bit limbs, least significant first,
// with arithmetic modulo 2^256 and the EVM's total operations: division by zero gives 0, shifts of
// 256 or more give 0 (or all ones for an arithmetic shift of a negative word). Signed operations
// read the bits as two's complement. Nothing allocates except the text conversions and the error
// messages of failed conversions.
//
// The name is lower case on purpose: u256 stands in for a builtin integer (like uint64_t or
// unsigned __int128) and is used like one, by value and with operators.
//
// Functions named after an EVM opcode take their operands in the order the opcode pops them, so the
// interpreter maps one to one: div(a, b) is a / b, shl(shift, value), byte(index, word),
// signextend(size, word), addmod(a, b, modulus).
//
// Small operations are inline and constexpr here; division, mulmod, exp and text live in u256.cpp.

#include <array>
#include <bit>
#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include <tally/core/assert.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally {
namespace detail {

// __extension__ keeps -Wpedantic quiet: __int128 is a GCC/Clang extension, and the only way to
// reach the 64x64->128 multiply instruction from C++.
__extension__ typedef unsigned __int128 uint128;

constexpr std::uint64_t low64(uint128 x) noexcept {
  return static_cast<std::uint64_t>(x);
}
constexpr std::uint64_t high64(uint128 x) noexcept {
  return static_cast<std::uint64_t>(x >> 64);
}

struct Wide64 {
  std::uint64_t low;
  std::uint64_t high;
};

// The full 128-bit product of two limbs.
constexpr Wide64 umul(std::uint64_t a, std::uint64_t b) noexcept {
  const uint128 product = uint128{a} * b;
  return {low64(product), high64(product)};
}

// a + b + carry; carry becomes the carry out. GCC 12 does not turn the portable form into an adc
// chain, the intrinsic does.
constexpr std::uint64_t add_carry(std::uint64_t a, std::uint64_t b, bool& carry) noexcept {
#if defined(__x86_64__)
  if (!std::is_constant_evaluated()) {
    unsigned long long sum;
    carry = _addcarry_u64(carry, a, b, &sum) != 0;
    return sum;
  }
#endif
  const std::uint64_t partial = a + b;
  const std::uint64_t sum = partial + carry;
  carry = partial < a || sum < partial;
  return sum;
}

// a - b - borrow; borrow becomes the borrow out.
constexpr std::uint64_t sub_borrow(std::uint64_t a, std::uint64_t b, bool& borrow) noexcept {
#if defined(__x86_64__)
  if (!std::is_constant_evaluated()) {
    unsigned long long difference;
    borrow = _subborrow_u64(borrow, a, b, &difference) != 0;
    return difference;
  }
#endif
  const std::uint64_t partial = a - b;
  const std::uint64_t difference = partial - borrow;
  borrow = a < b || partial < static_cast<std::uint64_t>(borrow);
  return difference;
}

}  // namespace detail

class u256 {
 public:
  using Limbs = std::array<std::uint64_t, 4>;

  // Least significant limb first. Public like FixedBytes::bytes: every bit pattern is a valid
  // value.
  Limbs limbs{};

  constexpr u256() noexcept = default;
  // Implicit, like the widening of a builtin integer: `x + 1`, `u256 gas = 21000`.
  constexpr u256(std::uint64_t value) noexcept : limbs{value, 0, 0, 0} {}
  constexpr explicit u256(const Limbs& limbs_le) noexcept : limbs(limbs_le) {}

  static constexpr u256 max() noexcept { return u256(Limbs{~0ULL, ~0ULL, ~0ULL, ~0ULL}); }

  // The EVM word format: 32 bytes, big-endian.
  static constexpr u256 from_be(const Hash256& word) noexcept;
  // At most 32 big-endian bytes, shorter input left-padded with zeros (PUSH data, RLP integers).
  // More than 32 bytes is out_of_range.
  static Result<u256> from_be_bytes(BytesView bytes);
  constexpr Hash256 to_be() const noexcept;

  // Strict text forms. Hex: optional "0x"/"0X", at least one digit, either case, leading zeros
  // allowed. Decimal: digits only. A bad character is malformed (the message names its offset); a
  // value above 2^256 - 1 is out_of_range.
  static Result<u256> from_hex(std::string_view text);
  static Result<u256> from_decimal(std::string_view text);
  // Shortest lower-case hex, "0x0" for zero (the JSON-RPC quantity form).
  std::string hex(bool with_prefix = true) const;
  std::string decimal() const;

  constexpr bool is_zero() const noexcept {
    return (limbs[0] | limbs[1] | limbs[2] | limbs[3]) == 0;
  }
  constexpr explicit operator bool() const noexcept { return !is_zero(); }
  // Two's complement sign bit (bit 255).
  constexpr bool is_negative() const noexcept { return (limbs[3] >> 63) != 0; }

  // Leading zero bits: 256 for zero.
  constexpr unsigned countl_zero() const noexcept {
    for (std::size_t i = 4; i-- > 0;) {
      if (limbs[i] != 0)
        return static_cast<unsigned>(64 * (3 - i)) +
               static_cast<unsigned>(std::countl_zero(limbs[i]));
    }
    return 256;
  }
  // Bits needed to write the value: 0 for zero, 256 for 2^255 and above.
  constexpr unsigned bit_length() const noexcept { return 256 - countl_zero(); }

  constexpr bool fits_u64() const noexcept { return (limbs[1] | limbs[2] | limbs[3]) == 0; }
  // The low 64 bits, like a narrowing cast; check fits_u64() first where the rest matters.
  constexpr std::uint64_t low_u64() const noexcept { return limbs[0]; }
  // The value if it fits in 64 bits, otherwise out_of_range.
  Result<std::uint64_t> to_u64() const;

  friend constexpr bool operator==(const u256&, const u256&) noexcept = default;
};

// Writes hex(), for logs and test failure messages.
std::ostream& operator<<(std::ostream& out, const u256& value);

// ---- Conversions ----------------------------------------------------------------------------

constexpr u256 u256::from_be(const Hash256& word) noexcept {
  u256 out;
  for (std::size_t i = 0; i < 32; ++i)
    out.limbs[3 - i / 8] = (out.limbs[3 - i / 8] << 8) | word.bytes[i];
  return out;
}

constexpr Hash256 u256::to_be() const noexcept {
  Hash256 out;
  for (std::size_t i = 0; i < 32; ++i)
    out.bytes[i] = static_cast<Byte>(limbs[3 - i / 8] >> (8 * (7 - i % 8)));
  return out;
}

// ---- Comparison (unsigned) --------------------------------------------------------------------

// One subtract-with-borrow chain, no branches: the hot comparison of the interpreter.
constexpr bool operator<(const u256& a, const u256& b) noexcept {
  bool borrow = false;
  for (std::size_t i = 0; i < 4; ++i)
    detail::sub_borrow(a.limbs[i], b.limbs[i], borrow);
  return borrow;
}
constexpr bool operator>(const u256& a, const u256& b) noexcept {
  return b < a;
}
constexpr bool operator<=(const u256& a, const u256& b) noexcept {
  return !(b < a);
}
constexpr bool operator>=(const u256& a, const u256& b) noexcept {
  return !(a < b);
}
constexpr std::strong_ordering operator<=>(const u256& a, const u256& b) noexcept {
  for (std::size_t i = 4; i-- > 0;) {
    if (a.limbs[i] != b.limbs[i])
      return a.limbs[i] <=> b.limbs[i];
  }
  return std::strong_ordering::equal;
}

// Signed comparisons (EVM SLT, SGT): differing signs decide; with equal signs two's complement
// orders like unsigned.
constexpr bool slt(const u256& a, const u256& b) noexcept {
  if (a.is_negative() != b.is_negative())
    return a.is_negative();
  return a < b;
}
constexpr bool sgt(const u256& a, const u256& b) noexcept {
  return slt(b, a);
}

// ---- Addition, subtraction, multiplication (mod 2^256) ----------------------------------------

struct U256Carry {
  u256 value;
  bool carry;  // the carry (add) or borrow (sub) out of bit 255
};

constexpr U256Carry add_with_carry(const u256& a, const u256& b) noexcept {
  U256Carry out{};
  for (std::size_t i = 0; i < 4; ++i)
    out.value.limbs[i] = detail::add_carry(a.limbs[i], b.limbs[i], out.carry);
  return out;
}

constexpr U256Carry sub_with_borrow(const u256& a, const u256& b) noexcept {
  U256Carry out{};
  for (std::size_t i = 0; i < 4; ++i)
    out.value.limbs[i] = detail::sub_borrow(a.limbs[i], b.limbs[i], out.carry);
  return out;
}

constexpr u256 operator+(const u256& a, const u256& b) noexcept {
  return add_with_carry(a, b).value;
}
constexpr u256 operator-(const u256& a, const u256& b) noexcept {
  return sub_with_borrow(a, b).value;
}
constexpr u256 operator-(const u256& a) noexcept {
  return u256() - a;
}

// Schoolbook on the lower triangle only: the ten partial products that land below 2^256, six of
// them full 128-bit, four (those reaching only limb 3) low halves. Written out because GCC 12
// spills badly on the looped form with 128-bit accumulators: this is six times lower latency.
constexpr u256 operator*(const u256& x, const u256& y) noexcept {
  using detail::add_carry;
  using detail::umul;
  const auto& a = x.limbs;
  const auto& b = y.limbs;
  const detail::Wide64 p00 = umul(a[0], b[0]);
  const detail::Wide64 p01 = umul(a[0], b[1]);
  const detail::Wide64 p02 = umul(a[0], b[2]);
  const detail::Wide64 p10 = umul(a[1], b[0]);
  const detail::Wide64 p11 = umul(a[1], b[1]);
  const detail::Wide64 p20 = umul(a[2], b[0]);
  bool carry = false;
  std::uint64_t r1 = add_carry(p00.high, p01.low, carry);
  std::uint64_t r2 = add_carry(p01.high, p02.low, carry);
  std::uint64_t r3 = p02.high + a[0] * b[3] + carry;
  carry = false;
  r1 = add_carry(r1, p10.low, carry);
  r2 = add_carry(r2, p10.high, carry);
  r3 += p11.high + carry;
  carry = false;
  r2 = add_carry(r2, p11.low, carry);
  r3 += a[1] * b[2] + carry;
  carry = false;
  r2 = add_carry(r2, p20.low, carry);
  r3 += p20.high + carry + a[2] * b[1] + a[3] * b[0];
  return u256(u256::Limbs{p00.low, r1, r2, r3});
}

// The exact 512-bit product, least significant limb first (used by mulmod).
using U512Limbs = std::array<std::uint64_t, 8>;
constexpr U512Limbs mul_full(const u256& x, const u256& y) noexcept {
  U512Limbs out{};
  for (std::size_t i = 0; i < 4; ++i) {
    // Row i, x[i] * y, is summed into out[i..i+4] with two carry chains: one across the row's
    // own partial products, one into what the earlier rows left.
    std::uint64_t previous_high = 0;
    bool row_carry = false;
    bool sum_carry = false;
    for (std::size_t j = 0; j < 4; ++j) {
      const detail::Wide64 p = detail::umul(x.limbs[i], y.limbs[j]);
      const std::uint64_t term = detail::add_carry(p.low, previous_high, row_carry);
      out[i + j] = detail::add_carry(out[i + j], term, sum_carry);
      previous_high = p.high;
    }
    out[i + 4] = previous_high + row_carry + sum_carry;
  }
  return out;
}

// ---- Bitwise ----------------------------------------------------------------------------------

constexpr u256 operator~(const u256& a) noexcept {
  return u256(u256::Limbs{~a.limbs[0], ~a.limbs[1], ~a.limbs[2], ~a.limbs[3]});
}
constexpr u256 operator&(const u256& a, const u256& b) noexcept {
  return u256(u256::Limbs{a.limbs[0] & b.limbs[0], a.limbs[1] & b.limbs[1], a.limbs[2] & b.limbs[2],
                          a.limbs[3] & b.limbs[3]});
}
constexpr u256 operator|(const u256& a, const u256& b) noexcept {
  return u256(u256::Limbs{a.limbs[0] | b.limbs[0], a.limbs[1] | b.limbs[1], a.limbs[2] | b.limbs[2],
                          a.limbs[3] | b.limbs[3]});
}
constexpr u256 operator^(const u256& a, const u256& b) noexcept {
  return u256(u256::Limbs{a.limbs[0] ^ b.limbs[0], a.limbs[1] ^ b.limbs[1], a.limbs[2] ^ b.limbs[2],
                          a.limbs[3] ^ b.limbs[3]});
}

// ---- Shifts -----------------------------------------------------------------------------------

namespace detail {

// Bits moving across a limb boundary: `(x >> 1) >> (63 - bits)` is `x >> (64 - bits)` without the
// undefined shift by 64 when bits is 0.
constexpr std::uint64_t spill_up(std::uint64_t lower, unsigned bits) noexcept {
  return (lower >> 1) >> (63 - bits);
}
constexpr std::uint64_t spill_down(std::uint64_t upper, unsigned bits) noexcept {
  return (upper << 1) << (63 - bits);
}

constexpr u256 shift_left(const u256& x, std::uint64_t shift) noexcept {
  if (shift >= 256)
    return {};
  const std::size_t skip = shift / 64;
  const unsigned bits = shift % 64;
  u256 out;
  for (std::size_t i = skip; i < 4; ++i) {
    out.limbs[i] = x.limbs[i - skip] << bits;
    if (i > skip)
      out.limbs[i] |= spill_up(x.limbs[i - skip - 1], bits);
  }
  return out;
}

constexpr u256 shift_right(const u256& x, std::uint64_t shift) noexcept {
  if (shift >= 256)
    return {};
  const std::size_t skip = shift / 64;
  const unsigned bits = shift % 64;
  u256 out;
  for (std::size_t i = 0; i + skip < 4; ++i) {
    out.limbs[i] = x.limbs[i + skip] >> bits;
    if (i + skip + 1 < 4)
      out.limbs[i] |= spill_down(x.limbs[i + skip + 1], bits);
  }
  return out;
}

// A shift amount as the EVM gives it: any word, where 256 and above all mean "everything out".
constexpr std::uint64_t clamp_shift(const u256& shift) noexcept {
  return shift.fits_u64() && shift.limbs[0] < 256 ? shift.limbs[0] : 256;
}

}  // namespace detail

// Builtin-style shifts by an integral amount; unlike builtins, 256 and more give 0.
template <std::integral S>
constexpr u256 operator<<(const u256& x, S shift) noexcept {
  if constexpr (std::signed_integral<S>)
    TALLY_ASSERT(shift >= 0);
  return detail::shift_left(x, static_cast<std::uint64_t>(shift));
}
template <std::integral S>
constexpr u256 operator>>(const u256& x, S shift) noexcept {
  if constexpr (std::signed_integral<S>)
    TALLY_ASSERT(shift >= 0);
  return detail::shift_right(x, static_cast<std::uint64_t>(shift));
}

// EVM SHL, SHR, SAR: value shifted by a word-sized amount.
constexpr u256 shl(const u256& shift, const u256& value) noexcept {
  return detail::shift_left(value, detail::clamp_shift(shift));
}
constexpr u256 shr(const u256& shift, const u256& value) noexcept {
  return detail::shift_right(value, detail::clamp_shift(shift));
}
// Shifting the complement in zeros and complementing back shifts a negative value in ones.
constexpr u256 sar(const u256& shift, const u256& value) noexcept {
  if (!value.is_negative())
    return shr(shift, value);
  return ~shr(shift, ~value);
}

// ---- Byte access and sign extension -----------------------------------------------------------

// EVM BYTE: byte `index` of the big-endian word (0 is the most significant); 0 from 32 on.
constexpr u256 byte(const u256& index, const u256& word) noexcept {
  if (!index.fits_u64() || index.limbs[0] >= 32)
    return {};
  const std::uint64_t from_low = 31 - index.limbs[0];
  return u256((word.limbs[from_low / 8] >> (8 * (from_low % 8))) & 0xff);
}

// EVM SIGNEXTEND: treat `word` as a (size + 1)-byte two's complement number and widen it to 256
// bits. From size 31 on the word is already full width and comes back unchanged.
constexpr u256 signextend(const u256& size, const u256& word) noexcept {
  if (!size.fits_u64() || size.limbs[0] >= 31)
    return word;
  const std::uint64_t sign_bit = 8 * size.limbs[0] + 7;
  const u256 low_mask = detail::shift_left(u256(1), sign_bit + 1) - 1;
  const bool negative = ((word.limbs[sign_bit / 64] >> (sign_bit % 64)) & 1) != 0;
  return negative ? (word | ~low_mask) : (word & low_mask);
}

// ---- Division and modular arithmetic (u256.cpp) -----------------------------------------------

struct U256DivRem {
  u256 quot;
  u256 rem;
};

// Unsigned quotient and remainder; a zero divisor gives {0, 0} as in the EVM.
U256DivRem udivrem(const u256& dividend, const u256& divisor) noexcept;

// EVM DIV, MOD, SDIV, SMOD: a zero divisor gives 0. SDIV truncates toward zero and wraps
// -2^255 / -1 to -2^255; the sign of SMOD's result follows the dividend.
u256 div(const u256& a, const u256& b) noexcept;
u256 mod(const u256& a, const u256& b) noexcept;
u256 sdiv(const u256& a, const u256& b) noexcept;
u256 smod(const u256& a, const u256& b) noexcept;

// EVM ADDMOD, MULMOD: (a + b) mod m and (a * b) mod m computed exactly, without the wrap at 2^256;
// a zero modulus gives 0.
u256 addmod(const u256& a, const u256& b, const u256& modulus) noexcept;
u256 mulmod(const u256& a, const u256& b, const u256& modulus) noexcept;

// EVM EXP: base^exponent mod 2^256, with 0^0 = 1.
u256 exp(const u256& base, const u256& exponent) noexcept;

// ---- Operators built from the above -----------------------------------------------------------

// Division by zero gives 0 here too: the EVM rule, and never a trap.
inline u256 operator/(const u256& a, const u256& b) noexcept {
  return div(a, b);
}
inline u256 operator%(const u256& a, const u256& b) noexcept {
  return mod(a, b);
}

constexpr u256& operator+=(u256& a, const u256& b) noexcept {
  return a = a + b;
}
constexpr u256& operator-=(u256& a, const u256& b) noexcept {
  return a = a - b;
}
constexpr u256& operator*=(u256& a, const u256& b) noexcept {
  return a = a * b;
}
inline u256& operator/=(u256& a, const u256& b) noexcept {
  return a = a / b;
}
inline u256& operator%=(u256& a, const u256& b) noexcept {
  return a = a % b;
}
constexpr u256& operator&=(u256& a, const u256& b) noexcept {
  return a = a & b;
}
constexpr u256& operator|=(u256& a, const u256& b) noexcept {
  return a = a | b;
}
constexpr u256& operator^=(u256& a, const u256& b) noexcept {
  return a = a ^ b;
}
template <std::integral S>
constexpr u256& operator<<=(u256& a, S shift) noexcept {
  return a = a << shift;
}
template <std::integral S>
constexpr u256& operator>>=(u256& a, S shift) noexcept {
  return a = a >> shift;
}

}  // namespace tally
