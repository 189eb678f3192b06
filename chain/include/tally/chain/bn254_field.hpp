#pragma once
// The fields of the alt_bn128 (BN254) pairing, as Ethereum's precompiles 0x06-0x08 use them:
//   Fp    integers mod p, p = 36u^4 + 36u^3 + 24u^2 + 6u + 1, u = 4965661367192848881
//   Fp2   Fp[i] / (i^2 + 1)
//   Fp6   Fp2[v] / (v^3 - xi), xi = 9 + i
//   Fp12  Fp6[w] / (w^2 - v)
// Fp holds its value in Montgomery form (x * 2^256 mod p) on four 64-bit limbs, least significant
// first, always fully reduced, so equal values have equal limbs. Nothing allocates. Not constant
// time: the precompiles handle public data only.

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include <tally/core/fixed_bytes.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain::bn254 {

class Fp {
 public:
  using Limbs = std::array<std::uint64_t, 4>;

  static constexpr Limbs kModulus = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL,
                                     0xb85045b68181585dULL, 0x30644e72e131a029ULL};

  constexpr Fp() noexcept = default;  // zero
  static Fp one() noexcept;
  static Fp from_u64(std::uint64_t value) noexcept;
  // A big-endian word below p; nullopt for p and above (EIP-196 refuses those, never reduces).
  static std::optional<Fp> from_be(const Hash256& word) noexcept;
  static std::optional<Fp> from_u256(const u256& value) noexcept;
  Hash256 to_be() const noexcept;
  u256 to_u256() const noexcept;

  bool is_zero() const noexcept { return (m_[0] | m_[1] | m_[2] | m_[3]) == 0; }
  friend bool operator==(const Fp&, const Fp&) noexcept = default;

  friend Fp operator+(const Fp& a, const Fp& b) noexcept;
  friend Fp operator-(const Fp& a, const Fp& b) noexcept;
  friend Fp operator-(const Fp& a) noexcept { return Fp() - a; }
  friend Fp operator*(const Fp& a, const Fp& b) noexcept;
  Fp square() const noexcept { return *this * *this; }
  Fp dbl() const noexcept { return *this + *this; }
  // a^exponent, the exponent's limbs least significant first.
  Fp pow(std::span<const std::uint64_t> exponent) const noexcept;
  // 1/a by Fermat (a^(p-2)); the inverse of zero is zero.
  Fp inverse() const noexcept;

 private:
  constexpr explicit Fp(const Limbs& montgomery) noexcept : m_(montgomery) {}
  Limbs m_{};
};

struct Fp2 {
  Fp c0;  // the real part
  Fp c1;  // the coefficient of i

  static Fp2 one() noexcept { return {Fp::one(), Fp()}; }
  bool is_zero() const noexcept { return c0.is_zero() && c1.is_zero(); }
  friend bool operator==(const Fp2&, const Fp2&) noexcept = default;

  friend Fp2 operator+(const Fp2& a, const Fp2& b) noexcept { return {a.c0 + b.c0, a.c1 + b.c1}; }
  friend Fp2 operator-(const Fp2& a, const Fp2& b) noexcept { return {a.c0 - b.c0, a.c1 - b.c1}; }
  friend Fp2 operator-(const Fp2& a) noexcept { return {-a.c0, -a.c1}; }
  friend Fp2 operator*(const Fp2& a, const Fp2& b) noexcept;
  friend Fp2 operator*(const Fp2& a, const Fp& b) noexcept { return {a.c0 * b, a.c1 * b}; }
  Fp2 square() const noexcept;
  Fp2 dbl() const noexcept { return *this + *this; }
  Fp2 inverse() const noexcept;
  Fp2 conjugate() const noexcept { return {c0, -c1}; }  // also the Frobenius map a -> a^p
  Fp2 mul_by_xi() const noexcept;                       // times 9 + i
  Fp2 pow(const u256& exponent) const noexcept;
};

struct Fp6 {
  Fp2 c0, c1, c2;  // c0 + c1 v + c2 v^2

  static Fp6 one() noexcept { return {Fp2::one(), {}, {}}; }
  bool is_zero() const noexcept { return c0.is_zero() && c1.is_zero() && c2.is_zero(); }
  friend bool operator==(const Fp6&, const Fp6&) noexcept = default;

  friend Fp6 operator+(const Fp6& a, const Fp6& b) noexcept {
    return {a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2};
  }
  friend Fp6 operator-(const Fp6& a, const Fp6& b) noexcept {
    return {a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2};
  }
  friend Fp6 operator-(const Fp6& a) noexcept { return {-a.c0, -a.c1, -a.c2}; }
  friend Fp6 operator*(const Fp6& a, const Fp6& b) noexcept;
  Fp6 square() const noexcept { return *this * *this; }
  Fp6 inverse() const noexcept;
  Fp6 mul_by_v() const noexcept { return {c2.mul_by_xi(), c0, c1}; }
};

struct Fp12 {
  Fp6 c0, c1;  // c0 + c1 w

  static Fp12 one() noexcept { return {Fp6::one(), {}}; }
  friend bool operator==(const Fp12&, const Fp12&) noexcept = default;

  friend Fp12 operator*(const Fp12& a, const Fp12& b) noexcept;
  Fp12 square() const noexcept;
  Fp12 inverse() const noexcept;
  // a^(p^6): for elements of norm 1 (every pairing value) the inverse.
  Fp12 conjugate() const noexcept { return {c0, -c1}; }
  // a -> a^p.
  Fp12 frobenius() const noexcept;
  // a^exponent, the exponent's limbs least significant first.
  Fp12 pow(std::span<const std::uint64_t> exponent) const noexcept;
};

// xi^((p - 1) / 3) and xi^((p - 1) / 2): the Frobenius map on the twist's coordinates.
const Fp2& twist_frobenius_x() noexcept;
const Fp2& twist_frobenius_y() noexcept;

}  // namespace tally::chain::bn254
