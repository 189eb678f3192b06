// Division follows Knuth's Algorithm D (TAOCP vol. 2, 4.3.1) on 64-bit limbs. Each quotient limb is
// estimated by dividing the top three limbs of the running remainder by the top two limbs of the
// divisor with the reciprocal method of Moller and Granlund, "Improved division by invariant
// integers" (IEEE Trans. Computers, 2011). The reciprocal itself comes from a small table refined
// by Newton steps, so a division runs on multiplications alone, never the slow hardware divide.
// A one-limb divisor takes the cheaper 2-by-1 form of the same method.

#include <algorithm>
#include <array>
#include <ostream>

#include <tally/core/str_cat.hpp>
#include <tally/core/u256.hpp>

namespace tally {
namespace {

using detail::high64;
using detail::low64;
using detail::uint128;

constexpr std::uint64_t kAllOnes = ~std::uint64_t{0};

// ---- Moller-Granlund reciprocals --------------------------------------------------------------

// Starting points for reciprocal_2by1: floor((2^19 - 3 * 2^8) / d9) for the top nine bits d9 of
// the divisor, an 11-bit approximation of its reciprocal.
constexpr auto kReciprocalSeeds = [] {
  std::array<std::uint16_t, 256> seeds{};
  for (unsigned i = 0; i < seeds.size(); ++i)
    seeds[i] = static_cast<std::uint16_t>(((1U << 19) - 3 * (1U << 8)) / (256 + i));
  return seeds;
}();

// floor((2^128 - 1) / d) - 2^64 for d with its top bit set (paper, Alg. 3): a table seed refined
// by Newton steps to 64 bits, then one exact correction. It replaces a 128-by-64 hardware
// division, which would cost as much as all the 2-by-1 steps of a 256-bit division together.
// Beyond the division tests, it was compared once with that hardware division on 2 * 10^8
// random and 3 * 10^7 boundary divisors, without a difference.
std::uint64_t reciprocal_2by1(std::uint64_t d) noexcept {
  const std::uint64_t d0 = d & 1;
  const std::uint64_t d9 = d >> 55;
  const std::uint64_t d40 = (d >> 24) + 1;
  const std::uint64_t d63 = (d >> 1) + d0;  // ceil(d / 2)
  const std::uint64_t v0 = kReciprocalSeeds[d9 - 256];
  const std::uint64_t v1 = (v0 << 11) - ((v0 * v0 * d40) >> 40) - 1;
  const std::uint64_t v2 = (v1 << 13) + ((v1 * ((std::uint64_t{1} << 60) - v1 * d40)) >> 47);
  const std::uint64_t e = ((v2 >> 1) & (0 - d0)) - v2 * d63;
  const std::uint64_t v3 = (v2 << 31) + (high64(uint128{v2} * e) >> 1);
  return v3 - high64(uint128{v3} * d + d) - d;
}

// floor((2^192 - 1) / (d1, d0)) - 2^64 for (d1, d0) with the top bit of d1 set (paper, Alg. 6).
std::uint64_t reciprocal_3by2(std::uint64_t d1, std::uint64_t d0) noexcept {
  std::uint64_t v = reciprocal_2by1(d1);
  std::uint64_t p = d1 * v + d0;
  if (p < d0) {
    --v;
    if (p >= d1) {
      --v;
      p -= d1;
    }
    p -= d1;
  }
  const uint128 t = uint128{v} * d0;
  const std::uint64_t p_high = p + high64(t);
  if (p_high < high64(t)) {
    --v;
    if (p_high > d1 || (p_high == d1 && low64(t) >= d0))
      --v;
  }
  return v;
}

struct Limb2by1 {
  std::uint64_t quot;
  std::uint64_t rem;
};

// (u1, u0) / d for normalised d and u1 < d, with v = reciprocal_2by1(d) (paper, Alg. 4).
Limb2by1 udivrem_2by1(std::uint64_t u1,
                      std::uint64_t u0,
                      std::uint64_t d,
                      std::uint64_t v) noexcept {
  const uint128 q = uint128{v} * u1 + ((uint128{u1} << 64) | u0);
  std::uint64_t q1 = high64(q) + 1;
  std::uint64_t r = u0 - q1 * d;
  if (r > low64(q)) {
    --q1;
    r += d;
  }
  if (r >= d) {  // rare
    ++q1;
    r -= d;
  }
  return {q1, r};
}

struct Limb3by2 {
  std::uint64_t quot;
  uint128 rem;
};

// (u2, u1, u0) / (d1, d0) for normalised (d1, d0) > (u2, u1), with v = reciprocal_3by2
// (paper, Alg. 5).
Limb3by2 udivrem_3by2(std::uint64_t u2,
                      std::uint64_t u1,
                      std::uint64_t u0,
                      uint128 divisor,
                      std::uint64_t v) noexcept {
  const std::uint64_t d1 = high64(divisor);
  const std::uint64_t d0 = low64(divisor);
  const uint128 q = uint128{v} * u2 + ((uint128{u2} << 64) | u1);
  std::uint64_t q1 = high64(q);
  const std::uint64_t q0 = low64(q);
  const std::uint64_t r1 = u1 - q1 * d1;
  uint128 r = ((uint128{r1} << 64) | u0) - uint128{d0} * q1 - divisor;
  ++q1;
  if (high64(r) >= q0) {
    --q1;
    r += divisor;
  }
  if (r >= divisor) {  // rare
    ++q1;
    r -= divisor;
  }
  return {q1, r};
}

// ---- Limb vectors -----------------------------------------------------------------------------

std::size_t significant_limbs(const std::uint64_t* x, std::size_t n) noexcept {
  while (n > 0 && x[n - 1] == 0)
    --n;
  return n;
}

// x << shift for shift < 64, one limb longer: the bits shifted out land in the extra top limb.
template <std::size_t N>
std::array<std::uint64_t, N + 1> normalise(const std::array<std::uint64_t, N>& x,
                                           unsigned shift) noexcept {
  std::array<std::uint64_t, N + 1> out;
  out[N] = detail::spill_up(x[N - 1], shift);
  for (std::size_t i = N - 1; i > 0; --i)
    out[i] = (x[i] << shift) | detail::spill_up(x[i - 1], shift);
  out[0] = x[0] << shift;
  return out;
}

// x[0..n) -= y[0..n) * factor; returns what the product carries beyond limb n - 1.
std::uint64_t submul(std::uint64_t* x,
                     const std::uint64_t* y,
                     std::size_t n,
                     std::uint64_t factor) noexcept {
  std::uint64_t borrow = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const uint128 product = uint128{y[i]} * factor + borrow;
    const std::uint64_t before = x[i];
    x[i] = before - low64(product);
    borrow = high64(product) + (before < low64(product));
  }
  return borrow;
}

// x[0..n) += y[0..n); returns the carry out.
bool add_into(std::uint64_t* x, const std::uint64_t* y, std::size_t n) noexcept {
  bool carry = false;
  for (std::size_t i = 0; i < n; ++i)
    x[i] = detail::add_carry(x[i], y[i], carry);
  return carry;
}

// Algorithm D on normalised operands: u has un limbs (its top limb below d's), d has dn >= 2
// limbs with the top bit set. Leaves the remainder in u[0..dn) and writes un - dn quotient limbs.
void knuth_divide(std::uint64_t* u,
                  std::size_t un,
                  const std::uint64_t* d,
                  std::size_t dn,
                  std::uint64_t* quot) noexcept {
  const uint128 d_top = (uint128{d[dn - 1]} << 64) | d[dn - 2];
  const std::uint64_t v = reciprocal_3by2(d[dn - 1], d[dn - 2]);
  for (std::size_t j = un - dn; j-- > 0;) {
    std::uint64_t* window = u + j;  // dn + 1 limbs, below d * 2^64
    const uint128 u_top = (uint128{window[dn]} << 64) | window[dn - 1];
    std::uint64_t q;
    bool too_big;
    if (u_top == d_top) {
      // The quotient limb is exactly 2^64 - 1 (the 3-by-2 division needs u_top < d_top, and its
      // remainder could exceed 128 bits here): subtract the whole divisor times it.
      q = kAllOnes;
      too_big = window[dn] < submul(window, d, dn, q);
    } else {
      // The 3-by-2 division already subtracted q times the top two divisor limbs; take q times
      // the rest from the lower limbs and the borrow from its remainder.
      const Limb3by2 estimate = udivrem_3by2(window[dn], window[dn - 1], window[dn - 2], d_top, v);
      q = estimate.quot;
      const std::uint64_t borrow = submul(window, d, dn - 2, q);
      too_big = false;
      window[dn - 2] = detail::sub_borrow(low64(estimate.rem), borrow, too_big);
      window[dn - 1] = detail::sub_borrow(high64(estimate.rem), 0, too_big);
    }
    if (too_big) {
      // The estimate was one too big (probability about 2^-63): add one divisor back. The carry
      // out cancels the borrow.
      --q;
      add_into(window, d, dn);
    }
    window[dn] = 0;
    quot[j] = q;
  }
}

// One-limb divisor d (normalised) with reciprocal v: u[0..un) with u[un - 1] < d.
std::uint64_t divide_by_limb(const std::uint64_t* u,
                             std::size_t un,
                             std::uint64_t d,
                             std::uint64_t* quot) noexcept {
  const std::uint64_t v = reciprocal_2by1(d);
  std::uint64_t rem = u[un - 1];
  for (std::size_t i = un - 1; i-- > 0;) {
    const Limb2by1 step = udivrem_2by1(rem, u[i], d, v);
    quot[i] = step.quot;
    rem = step.rem;
  }
  return rem;
}

// A 256-bit dividend by a one-limb divisor, the usual DIV and MOD by a small constant: the same
// steps as divide_by_limb with the normalising shift folded into the loop.
U256DivRem udivrem_by_limb(const u256& dividend, std::uint64_t divisor) noexcept {
  const unsigned shift = static_cast<unsigned>(std::countl_zero(divisor));
  const std::uint64_t d = divisor << shift;
  const std::uint64_t v = reciprocal_2by1(d);
  U256DivRem out;
  std::uint64_t rem = detail::spill_up(dividend.limbs[3], shift);
  for (std::size_t i = 4; i-- > 0;) {
    const std::uint64_t lower = i > 0 ? dividend.limbs[i - 1] : 0;
    const std::uint64_t limb = (dividend.limbs[i] << shift) | detail::spill_up(lower, shift);
    const Limb2by1 step = udivrem_2by1(rem, limb, d, v);
    out.quot.limbs[i] = step.quot;
    rem = step.rem;
  }
  out.rem = u256(rem >> shift);
  return out;
}

// quot = dividend / divisor and rem = dividend % divisor for a dividend of N limbs (4; 5 for
// addmod, 8 for mulmod) and a non-zero divisor. Sizes are fixed so the normalising shifts unroll;
// only the division loops run to the operands' actual length.
template <std::size_t N>
void divide(const std::array<std::uint64_t, N>& dividend,
            const u256& divisor,
            std::array<std::uint64_t, N>& quot,
            u256& rem) noexcept {
  const std::size_t dn = significant_limbs(divisor.limbs.data(), 4);
  const std::size_t un = significant_limbs(dividend.data(), N);
  TALLY_ASSERT(dn > 0);
  quot = {};
  if (un < dn) {
    rem = u256(u256::Limbs{dividend[0], dividend[1], dividend[2], dividend[3]});
    return;
  }
  const unsigned shift = static_cast<unsigned>(std::countl_zero(divisor.limbs[dn - 1]));
  std::array<std::uint64_t, N + 1> u = normalise(dividend, shift);
  if (dn == 1) {
    const std::uint64_t d = divisor.limbs[0] << shift;
    rem = u256(divide_by_limb(u.data(), un + 1, d, quot.data()) >> shift);
    return;
  }
  const std::array<std::uint64_t, 5> d = normalise(divisor.limbs, shift);  // d[4] is 0
  knuth_divide(u.data(), un + 1, d.data(), dn, quot.data());
  // The remainder is in u[0..dn); the limbs above are zero.
  for (std::size_t i = 0; i < 4; ++i)
    rem.limbs[i] = (u[i] >> shift) | detail::spill_down(u[i + 1], shift);
}

u256 remainder_512(const U512Limbs& u, const u256& modulus) noexcept {
  U512Limbs quot;
  u256 rem;
  divide(u, modulus, quot, rem);
  return rem;
}

// ---- Exponentiation --------------------------------------------------------------------------

// x * x mod 2^256 with six limb products instead of ten: each cross product appears twice, so
// the cross terms are summed once and doubled with a shift.
u256 square(const u256& x) noexcept {
  using detail::add_carry;
  const auto& a = x.limbs;
  const detail::Wide64 p00 = detail::umul(a[0], a[0]);
  const detail::Wide64 p01 = detail::umul(a[0], a[1]);
  const detail::Wide64 p02 = detail::umul(a[0], a[2]);
  const detail::Wide64 p11 = detail::umul(a[1], a[1]);
  // Cross terms a0a1 + a0a2 * 2^64 + (a0a3 + a1a2) * 2^128, from limb 1 up.
  bool carry = false;
  const std::uint64_t c1 = p01.low;
  const std::uint64_t c2 = add_carry(p01.high, p02.low, carry);
  const std::uint64_t c3 = p02.high + carry + a[0] * a[3] + a[1] * a[2];
  carry = false;
  const std::uint64_t r1 = add_carry(c1 << 1, p00.high, carry);
  const std::uint64_t r2 = add_carry((c2 << 1) | (c1 >> 63), p11.low, carry);
  const std::uint64_t r3 = ((c3 << 1) | (c2 >> 63)) + p11.high + carry;
  return u256(u256::Limbs{p00.low, r1, r2, r3});
}

// ---- Text -------------------------------------------------------------------------------------

// The largest power of ten in a limb: decimal text moves 19 digits per division.
constexpr std::uint64_t kTenPow19 = 10'000'000'000'000'000'000ULL;
constexpr std::size_t kMaxDecimalDigits = 78;  // 2^256 - 1 has 78 digits

// x * factor + addend, or false when the result needs more than 256 bits.
bool mul_add_small(u256& x, std::uint64_t factor, std::uint64_t addend) noexcept {
  std::uint64_t carry = addend;
  for (std::size_t i = 0; i < 4; ++i) {
    const uint128 t = uint128{x.limbs[i]} * factor + carry;
    x.limbs[i] = low64(t);
    carry = high64(t);
  }
  return carry == 0;
}

}  // namespace

// ---- Division and modular arithmetic ----------------------------------------------------------

U256DivRem udivrem(const u256& dividend, const u256& divisor) noexcept {
  if (divisor.is_zero())
    return {};
  if (dividend.fits_u64() && divisor.fits_u64())
    return {dividend.limbs[0] / divisor.limbs[0], dividend.limbs[0] % divisor.limbs[0]};
  if (dividend < divisor)
    return {u256(), dividend};
  if (divisor.fits_u64())
    return udivrem_by_limb(dividend, divisor.limbs[0]);
  U256DivRem out;
  divide(dividend.limbs, divisor, out.quot.limbs, out.rem);
  return out;
}

u256 div(const u256& a, const u256& b) noexcept {
  return udivrem(a, b).quot;
}

u256 mod(const u256& a, const u256& b) noexcept {
  return udivrem(a, b).rem;
}

u256 sdiv(const u256& a, const u256& b) noexcept {
  const u256 quot = div(a.is_negative() ? -a : a, b.is_negative() ? -b : b);
  return a.is_negative() != b.is_negative() ? -quot : quot;
}

u256 smod(const u256& a, const u256& b) noexcept {
  const u256 rem = mod(a.is_negative() ? -a : a, b.is_negative() ? -b : b);
  return a.is_negative() ? -rem : rem;
}

u256 addmod(const u256& a, const u256& b, const u256& modulus) noexcept {
  if (modulus.is_zero())
    return {};
  const auto [sum, carry] = add_with_carry(a, b);
  // Terms already reduced (field arithmetic): the sum is below twice the modulus, and one
  // subtraction reduces it.
  if (a < modulus && b < modulus)
    return carry || sum >= modulus ? sum - modulus : sum;
  // Otherwise one division of the exact 257-bit sum.
  const std::array<std::uint64_t, 5> exact = {sum.limbs[0], sum.limbs[1], sum.limbs[2],
                                              sum.limbs[3], carry ? 1U : 0U};
  std::array<std::uint64_t, 5> quot;
  u256 rem;
  divide(exact, modulus, quot, rem);
  return rem;
}

u256 mulmod(const u256& a, const u256& b, const u256& modulus) noexcept {
  if (modulus.is_zero())
    return {};
  return remainder_512(mul_full(a, b), modulus);
}

u256 exp(const u256& base_in, const u256& exponent_in) noexcept {
  // Local copies: through the references GCC must assume the result may alias them, and keeps
  // storing it to memory on every step.
  const u256 base = base_in;
  const u256 exponent = exponent_in;
  u256 result = 1;
  for (unsigned bit = exponent.bit_length(); bit-- > 0;) {
    result = square(result);
    if ((exponent.limbs[bit / 64] >> (bit % 64)) & 1)
      result *= base;
  }
  return result;
}

// ---- Conversions ------------------------------------------------------------------------------

Result<u256> u256::from_be_bytes(BytesView bytes) {
  if (bytes.size() > 32) {
    return fail(Errc::out_of_range,
                str_cat("u256: ", bytes.size(), " big-endian bytes, at most 32 fit"));
  }
  Hash256 word;
  std::ranges::copy(bytes, word.bytes.begin() + static_cast<std::ptrdiff_t>(32 - bytes.size()));
  return from_be(word);
}

Result<std::uint64_t> u256::to_u64() const {
  if (!fits_u64())
    return fail(Errc::out_of_range, str_cat("u256: ", decimal(), " does not fit in 64 bits"));
  return limbs[0];
}

Result<u256> u256::from_hex(std::string_view text) {
  std::size_t at = 0;
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    at = 2;
  if (at == text.size())
    return fail(Errc::malformed, str_cat("u256 hex: no digits after offset ", at));
  u256 out;
  unsigned significant = 0;  // digits from the first non-zero one on
  for (; at < text.size(); ++at) {
    const int digit = hex_digit_value(text[at]);
    if (digit < 0)
      return fail(Errc::malformed, str_cat("u256 hex: invalid digit at offset ", at));
    if (significant > 0 || digit != 0)
      ++significant;
    if (significant > 64)
      return fail(Errc::out_of_range, str_cat("u256 hex: value exceeds 256 bits at offset ", at));
    out = (out << 4) | u256(static_cast<std::uint64_t>(digit));
  }
  return out;
}

Result<u256> u256::from_decimal(std::string_view text) {
  if (text.empty())
    return fail(Errc::malformed, "u256 decimal: no digits");
  u256 out;
  std::uint64_t chunk = 0;  // up to 19 digits not yet folded into out
  std::uint64_t chunk_scale = 1;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (c < '0' || c > '9')
      return fail(Errc::malformed, str_cat("u256 decimal: invalid digit at offset ", at));
    chunk = chunk * 10 + static_cast<std::uint64_t>(c - '0');
    chunk_scale *= 10;
    const bool last = at + 1 == text.size();
    if (chunk_scale == kTenPow19 || last) {
      if (!mul_add_small(out, chunk_scale, chunk)) {
        return fail(Errc::out_of_range,
                    str_cat("u256 decimal: value exceeds 2^256 - 1 at offset ", at));
      }
      chunk = 0;
      chunk_scale = 1;
    }
  }
  return out;
}

std::string u256::hex(bool with_prefix) const {
  static constexpr char kDigits[] = "0123456789abcdef";
  char buffer[64];
  std::size_t begin = sizeof(buffer);
  u256 rest = *this;
  do {
    buffer[--begin] = kDigits[rest.limbs[0] & 0xf];
    rest = rest >> 4;
  } while (!rest.is_zero());
  std::string out = with_prefix ? "0x" : "";
  out.append(buffer + begin, buffer + sizeof(buffer));
  return out;
}

std::ostream& operator<<(std::ostream& out, const u256& value) {
  return out << value.hex();
}

std::string u256::decimal() const {
  char buffer[kMaxDecimalDigits];
  std::size_t begin = sizeof(buffer);
  u256 rest = *this;
  do {
    const auto [quot, rem] = udivrem(rest, kTenPow19);
    std::uint64_t chunk = rem.limbs[0];
    // Every chunk but the leading one is zero-padded to 19 digits.
    for (int digits = 0; digits < 19 && (chunk != 0 || !quot.is_zero()); ++digits) {
      buffer[--begin] = static_cast<char>('0' + chunk % 10);
      chunk /= 10;
    }
    rest = quot;
  } while (!rest.is_zero());
  if (begin == sizeof(buffer))
    buffer[--begin] = '0';
  return std::string(buffer + begin, buffer + sizeof(buffer));
}

}  // namespace tally
