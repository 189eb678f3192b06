// Division follows Knuth's Algorithm D (TAOCP vol. 2, 4.3.1) on 64-bit limbs. Each quotient limb is
// estimated by dividing the top three limbs of the running remainder by the top two limbs of the
// divisor with the reciprocal method of Moller and Granlund, "Improved division by invariant
// integers" (IEEE Trans. Computers, 2011): one hardware division per call for the reciprocal,
// then multiplications only. A one-limb divisor takes the cheaper 2-by-1 form of the same method.

#include <algorithm>
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

// floor((2^128 - 1) / d) - 2^64 for d with its top bit set. The numerator minus 2^64 * d is
// (~d, ~0), and the quotient fits in 64 bits.
std::uint64_t reciprocal_2by1(std::uint64_t d) noexcept {
  return low64(((uint128{~d} << 64) | kAllOnes) / d);
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

// floor((u2, u1, u0) / (d1, d0)) for normalised (d1, d0) > (u2, u1), with v = reciprocal_3by2
// (paper, Alg. 5). Only the quotient is kept: the caller subtracts the whole divisor anyway.
std::uint64_t udiv_3by2(std::uint64_t u2,
                        std::uint64_t u1,
                        std::uint64_t u0,
                        std::uint64_t d1,
                        std::uint64_t d0,
                        std::uint64_t v) noexcept {
  const uint128 divisor = (uint128{d1} << 64) | d0;
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
  if (r >= divisor)  // rare
    ++q1;
  return q1;
}

// ---- Limb vectors -----------------------------------------------------------------------------

// Room for a 512-bit dividend (mulmod) plus the limb that normalisation shifts out.
constexpr std::size_t kMaxDividendLimbs = 9;

std::size_t significant_limbs(const std::uint64_t* x, std::size_t n) noexcept {
  while (n > 0 && x[n - 1] == 0)
    --n;
  return n;
}

// out[0..n] = x[0..n) << shift, shift < 64; out has n + 1 limbs.
void shift_left_into(const std::uint64_t* x,
                     std::size_t n,
                     unsigned shift,
                     std::uint64_t* out) noexcept {
  out[n] = detail::spill_up(x[n - 1], shift);
  for (std::size_t i = n - 1; i > 0; --i)
    out[i] = (x[i] << shift) | detail::spill_up(x[i - 1], shift);
  out[0] = x[0] << shift;
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
  const std::uint64_t d1 = d[dn - 1];
  const std::uint64_t d0 = d[dn - 2];
  const std::uint64_t v = reciprocal_3by2(d1, d0);
  for (std::size_t j = un - dn; j-- > 0;) {
    std::uint64_t* window = u + j;  // dn + 1 limbs, below d * 2^64
    const std::uint64_t u2 = window[dn];
    const std::uint64_t u1 = window[dn - 1];
    // When the top two limbs equal the divisor's, the quotient limb is exactly 2^64 - 1; the
    // 3-by-2 division needs them strictly smaller.
    std::uint64_t q =
        (u2 == d1 && u1 == d0) ? kAllOnes : udiv_3by2(u2, u1, window[dn - 2], d1, d0, v);
    const std::uint64_t borrow = submul(window, d, dn, q);
    if (u2 < borrow) {
      // The estimate was one too big (probability about 2^-63): add one divisor back.
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

// quot = u / d and rem = u % d for a dividend of un <= 8 limbs and a non-zero 4-limb divisor.
// quot has room for un limbs; both outputs are fully written (quotient limbs past un - dn are 0).
void divide(const std::uint64_t* u_in,
            std::size_t un,
            const u256& divisor,
            std::uint64_t* quot,
            u256& rem) noexcept {
  const std::size_t dn = significant_limbs(divisor.limbs.data(), 4);
  TALLY_ASSERT(dn > 0);
  un = significant_limbs(u_in, un);
  rem = u256();
  for (std::size_t i = 0; i < un; ++i)
    quot[i] = 0;
  if (un < dn) {
    for (std::size_t i = 0; i < un; ++i)
      rem.limbs[i] = u_in[i];
    return;
  }
  const unsigned shift = static_cast<unsigned>(std::countl_zero(divisor.limbs[dn - 1]));
  std::uint64_t u[kMaxDividendLimbs];
  shift_left_into(u_in, un, shift, u);
  if (dn == 1) {
    const std::uint64_t d = divisor.limbs[0] << shift;
    rem.limbs[0] = divide_by_limb(u, un + 1, d, quot) >> shift;
    return;
  }
  std::uint64_t d[5];
  shift_left_into(divisor.limbs.data(), dn, shift, d);  // d[dn] is 0: nothing spills out
  knuth_divide(u, un + 1, d, dn, quot);
  for (std::size_t i = 0; i < dn; ++i)
    rem.limbs[i] = (u[i] >> shift) | detail::spill_down(u[i + 1], shift);
}

u256 remainder_512(const U512Limbs& u, const u256& modulus) noexcept {
  std::uint64_t quot[8];
  u256 rem;
  divide(u.data(), 8, modulus, quot, rem);
  return rem;
}

// ---- Text -------------------------------------------------------------------------------------

int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

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
  U256DivRem out;
  std::uint64_t quot[4];
  divide(dividend.limbs.data(), 4, divisor, quot, out.rem);
  const std::size_t un = significant_limbs(dividend.limbs.data(), 4);
  for (std::size_t i = 0; i < un; ++i)
    out.quot.limbs[i] = quot[i];
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
  // With both terms below the modulus the sum is below twice it: one subtraction reduces it.
  const u256 x = a < modulus ? a : mod(a, modulus);
  const u256 y = b < modulus ? b : mod(b, modulus);
  const auto [sum, carry] = add_with_carry(x, y);
  return carry || sum >= modulus ? sum - modulus : sum;
}

u256 mulmod(const u256& a, const u256& b, const u256& modulus) noexcept {
  if (modulus.is_zero())
    return {};
  return remainder_512(mul_full(a, b), modulus);
}

u256 exp(const u256& base, const u256& exponent) noexcept {
  u256 result = 1;
  for (unsigned bit = exponent.bit_length(); bit-- > 0;) {
    result *= result;
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
