#include <tally/chain/bn254_field.hpp>

namespace tally::chain::bn254 {
namespace {

using detail::add_carry;
using detail::sub_borrow;
using detail::uint128;
using Limbs = Fp::Limbs;

constexpr Limbs kP = Fp::kModulus;
// 2^256 mod p (one in Montgomery form) and 2^512 mod p (to convert into it).
constexpr Limbs kR = {0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL,
                      0x0e0a77c19a07df2fULL};
constexpr Limbs kR2 = {0xf32cfc5b538afa89ULL, 0xb5e71911d44501fbULL, 0x47ab1eff0a417ff6ULL,
                       0x06d89f71cab8351fULL};
// -1/p mod 2^64.
constexpr std::uint64_t kPInv = 0x87d20782e4866389ULL;

// a - p when a >= p, else a; `carry` is a 257th bit of a.
Limbs reduce_once(const Limbs& a, bool carry) noexcept {
  Limbs d{};
  bool borrow = false;
  for (std::size_t i = 0; i < 4; ++i)
    d[i] = sub_borrow(a[i], kP[i], borrow);
  return (carry || !borrow) ? d : a;
}

// Montgomery multiplication, CIOS: a * b / 2^256 mod p for a, b < p.
Limbs mont_mul(const Limbs& a, const Limbs& b) noexcept {
  std::array<std::uint64_t, 6> t{};
  for (std::size_t i = 0; i < 4; ++i) {
    std::uint64_t carry = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const uint128 s = uint128{a[j]} * b[i] + t[j] + carry;
      t[j] = static_cast<std::uint64_t>(s);
      carry = static_cast<std::uint64_t>(s >> 64);
    }
    uint128 s = uint128{t[4]} + carry;
    t[4] = static_cast<std::uint64_t>(s);
    t[5] = static_cast<std::uint64_t>(s >> 64);
    const std::uint64_t m = t[0] * kPInv;
    s = uint128{m} * kP[0] + t[0];
    carry = static_cast<std::uint64_t>(s >> 64);
    for (std::size_t j = 1; j < 4; ++j) {
      s = uint128{m} * kP[j] + t[j] + carry;
      t[j - 1] = static_cast<std::uint64_t>(s);
      carry = static_cast<std::uint64_t>(s >> 64);
    }
    s = uint128{t[4]} + carry;
    t[3] = static_cast<std::uint64_t>(s);
    t[4] = t[5] + static_cast<std::uint64_t>(s >> 64);
  }
  return reduce_once({t[0], t[1], t[2], t[3]}, t[4] != 0);
}

bool below_modulus(const Limbs& a) noexcept {
  bool borrow = false;
  for (std::size_t i = 0; i < 4; ++i)
    sub_borrow(a[i], kP[i], borrow);
  return borrow;
}

}  // namespace

// ---- Fp -----------------------------------------------------------------------------------------

Fp Fp::one() noexcept {
  return Fp(kR);
}

Fp Fp::from_u64(std::uint64_t value) noexcept {
  return Fp(mont_mul({value, 0, 0, 0}, kR2));
}

std::optional<Fp> Fp::from_u256(const u256& value) noexcept {
  if (!below_modulus(value.limbs))
    return std::nullopt;
  return Fp(mont_mul(value.limbs, kR2));
}

std::optional<Fp> Fp::from_be(const Hash256& word) noexcept {
  return from_u256(u256::from_be(word));
}

u256 Fp::to_u256() const noexcept {
  return u256(mont_mul(m_, {1, 0, 0, 0}));
}

Hash256 Fp::to_be() const noexcept {
  return to_u256().to_be();
}

Fp operator+(const Fp& a, const Fp& b) noexcept {
  // Both below p < 2^254: the sum has no carry out of 256 bits.
  Limbs sum{};
  bool carry = false;
  for (std::size_t i = 0; i < 4; ++i)
    sum[i] = add_carry(a.m_[i], b.m_[i], carry);
  return Fp(reduce_once(sum, carry));
}

Fp operator-(const Fp& a, const Fp& b) noexcept {
  Limbs d{};
  bool borrow = false;
  for (std::size_t i = 0; i < 4; ++i)
    d[i] = sub_borrow(a.m_[i], b.m_[i], borrow);
  if (borrow) {
    bool carry = false;
    for (std::size_t i = 0; i < 4; ++i)
      d[i] = add_carry(d[i], kP[i], carry);
  }
  return Fp(d);
}

Fp operator*(const Fp& a, const Fp& b) noexcept {
  return Fp(mont_mul(a.m_, b.m_));
}

Fp Fp::pow(std::span<const std::uint64_t> exponent) const noexcept {
  Fp out = one();
  for (std::size_t i = exponent.size(); i-- > 0;) {
    for (int bit = 63; bit >= 0; --bit) {
      out = out.square();
      if ((exponent[i] >> bit) & 1)
        out = out * *this;
    }
  }
  return out;
}

Fp Fp::inverse() const noexcept {
  constexpr Limbs kPMinus2 = {kP[0] - 2, kP[1], kP[2], kP[3]};
  return pow(kPMinus2);
}

// ---- Fp2 ----------------------------------------------------------------------------------------

// Karatsuba: three multiplications instead of four.
Fp2 operator*(const Fp2& a, const Fp2& b) noexcept {
  const Fp t0 = a.c0 * b.c0;
  const Fp t1 = a.c1 * b.c1;
  return {t0 - t1, (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1};
}

Fp2 Fp2::square() const noexcept {
  const Fp product = c0 * c1;
  return {(c0 + c1) * (c0 - c1), product.dbl()};
}

Fp2 Fp2::inverse() const noexcept {
  const Fp norm_inverse = (c0.square() + c1.square()).inverse();
  return {c0 * norm_inverse, -(c1 * norm_inverse)};
}

Fp2 Fp2::mul_by_xi() const noexcept {
  // (9 + i)(c0 + c1 i) = (9 c0 - c1) + (9 c1 + c0) i
  const Fp nine_c0 = c0.dbl().dbl().dbl() + c0;
  const Fp nine_c1 = c1.dbl().dbl().dbl() + c1;
  return {nine_c0 - c1, nine_c1 + c0};
}

Fp2 Fp2::pow(const u256& exponent) const noexcept {
  Fp2 out = one();
  for (unsigned bit = exponent.bit_length(); bit-- > 0;) {
    out = out.square();
    if ((exponent.limbs[bit / 64] >> (bit % 64)) & 1)
      out = out * *this;
  }
  return out;
}

// ---- Fp6 ----------------------------------------------------------------------------------------

Fp6 operator*(const Fp6& a, const Fp6& b) noexcept {
  const Fp2 t0 = a.c0 * b.c0;
  const Fp2 t1 = a.c1 * b.c1;
  const Fp2 t2 = a.c2 * b.c2;
  return {
      t0 + ((a.c1 + a.c2) * (b.c1 + b.c2) - t1 - t2).mul_by_xi(),
      (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1 + t2.mul_by_xi(),
      (a.c0 + a.c2) * (b.c0 + b.c2) - t0 - t2 + t1,
  };
}

Fp6 Fp6::inverse() const noexcept {
  const Fp2 a = c0.square() - (c1 * c2).mul_by_xi();
  const Fp2 b = c2.square().mul_by_xi() - c0 * c1;
  const Fp2 c = c1.square() - c0 * c2;
  const Fp2 norm = c0 * a + (c2 * b + c1 * c).mul_by_xi();
  const Fp2 norm_inverse = norm.inverse();
  return {a * norm_inverse, b * norm_inverse, c * norm_inverse};
}

// ---- Fp12 ---------------------------------------------------------------------------------------

Fp12 operator*(const Fp12& a, const Fp12& b) noexcept {
  const Fp6 t0 = a.c0 * b.c0;
  const Fp6 t1 = a.c1 * b.c1;
  return {t0 + t1.mul_by_v(), (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1};
}

Fp12 Fp12::square() const noexcept {
  const Fp6 product = c0 * c1;
  return {(c0 + c1) * (c0 + c1.mul_by_v()) - product - product.mul_by_v(), product + product};
}

Fp12 Fp12::inverse() const noexcept {
  const Fp6 norm_inverse = (c0.square() - c1.square().mul_by_v()).inverse();
  return {c0 * norm_inverse, -(c1 * norm_inverse)};
}

namespace {

// gamma[k] = xi^(k (p - 1) / 6). Over Fp2 an element is sum a_k w^k (k = 0..5, v = w^2), and
// (a_k w^k)^p = conj(a_k) w^k xi^(k (p - 1) / 6) because w^6 = xi.
struct FrobeniusConstants {
  std::array<Fp2, 6> gamma;

  FrobeniusConstants() noexcept {
    const u256 p(Fp::kModulus);
    const u256 sixth = (p - 1) / 6;
    const Fp2 xi{Fp::from_u64(9), Fp::one()};
    const Fp2 step = xi.pow(sixth);
    gamma[0] = Fp2::one();
    for (std::size_t k = 1; k < 6; ++k)
      gamma[k] = gamma[k - 1] * step;
  }
};

const FrobeniusConstants& frobenius_constants() noexcept {
  static const FrobeniusConstants constants;
  return constants;
}

}  // namespace

Fp12 Fp12::frobenius() const noexcept {
  const auto& g = frobenius_constants().gamma;
  return {
      {c0.c0.conjugate(), c0.c1.conjugate() * g[2], c0.c2.conjugate() * g[4]},
      {c1.c0.conjugate() * g[1], c1.c1.conjugate() * g[3], c1.c2.conjugate() * g[5]},
  };
}

Fp12 Fp12::pow(std::span<const std::uint64_t> exponent) const noexcept {
  Fp12 out = one();
  bool started = false;
  for (std::size_t i = exponent.size(); i-- > 0;) {
    for (int bit = 63; bit >= 0; --bit) {
      if (started)
        out = out.square();
      if ((exponent[i] >> bit) & 1) {
        out = started ? out * *this : *this;
        started = true;
      }
    }
  }
  return out;
}

const Fp2& twist_frobenius_x() noexcept {
  return frobenius_constants().gamma[2];
}

const Fp2& twist_frobenius_y() noexcept {
  return frobenius_constants().gamma[3];
}

}  // namespace tally::chain::bn254
