#pragma once
// The alt_bn128 (BN254) curve and its optimal ate pairing, behind Ethereum's precompiles 0x06-0x08
// (EIP-196, EIP-197). Fields in bn254_field.hpp.
//
//   G1: y^2 = x^3 + 3 over Fp, prime order r, generator (1, 2).
//   G2: the order-r subgroup of the sextic twist y^2 = x^3 + 3 / (9 + i) over Fp2.
//
// Points are affine values with an explicit point at infinity; arithmetic runs internally in
// Jacobian coordinates. The encodings are EIP-196/197's: a G1 point is x || y (32-byte big-endian
// words), a G2 point x_i || x_r || y_i || y_r (imaginary part first), infinity all zeros.

#include <span>
#include <utility>

#include <tally/chain/bn254_field.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/u256.hpp>

namespace tally::chain::bn254 {

template <class F>
struct Affine {
  F x;
  F y;
  bool infinity = true;

  friend bool operator==(const Affine&, const Affine&) noexcept = default;
};

using G1 = Affine<Fp>;
using G2 = Affine<Fp2>;

// r, the order of G1 and G2.
u256 group_order() noexcept;

G1 g1_generator() noexcept;
G2 g2_generator() noexcept;

bool on_curve(const G1& point) noexcept;
bool on_curve(const G2& point) noexcept;
// [r] point = infinity. Every G1 curve point passes (the curve has prime order); the twist has
// other points, which EIP-197 refuses.
bool in_subgroup(const G2& point) noexcept;

G1 add(const G1& a, const G1& b) noexcept;
G2 add(const G2& a, const G2& b) noexcept;
G1 negate(const G1& point) noexcept;
G2 negate(const G2& point) noexcept;
G1 mul(const G1& point, const u256& scalar) noexcept;
G2 mul(const G2& point, const u256& scalar) noexcept;

// Decoding checks everything EIP-196/197 asks: coordinates below p (out_of_range), the point on
// its curve (malformed), and for G2 in the subgroup (malformed). Inputs of the wrong size are
// invalid_argument.
Result<G1> decode_g1(BytesView bytes);
Result<G2> decode_g2(BytesView bytes);
void encode_g1(const G1& point, std::span<Byte, 64> out) noexcept;

// The reduced optimal ate pairing e(P, Q), an r-th root of unity in Fp12; bilinear and
// non-degenerate; 1 when either point is infinity.
Fp12 pairing(const G1& p, const G2& q) noexcept;
// prod e(P_i, Q_i) == 1, with one shared Miller loop and one final exponentiation.
bool pairing_check(std::span<const std::pair<G1, G2>> pairs) noexcept;

// The two halves, exposed for tests and benchmarks.
Fp12 miller_loop(std::span<const std::pair<G1, G2>> pairs) noexcept;
Fp12 final_exponentiation(const Fp12& value) noexcept;

}  // namespace tally::chain::bn254
