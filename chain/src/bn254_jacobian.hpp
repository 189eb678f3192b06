#pragma once
// Jacobian coordinates for G1 and the twist, shared by bn254_curve.cpp and bn254_pairing.cpp.
// Internal.

#include <tally/chain/bn254.hpp>

namespace tally::chain::bn254 {

template <class F>
F curve_b() noexcept;

template <>
inline Fp curve_b<Fp>() noexcept {
  return Fp::from_u64(3);
}

template <>
inline Fp2 curve_b<Fp2>() noexcept {
  static const Fp2 b = Fp2{Fp::from_u64(3), Fp()} * Fp2{Fp::from_u64(9), Fp::one()}.inverse();
  return b;
}

// (X / Z^2, Y / Z^3); Z = 0 is infinity.
template <class F>
struct Jacobian {
  F x;
  F y;
  F z;

  static Jacobian from(const Affine<F>& a) noexcept {
    if (a.infinity)
      return {F::one(), F::one(), F()};
    return {a.x, a.y, F::one()};
  }

  Affine<F> affine() const noexcept {
    if (z.is_zero())
      return {};
    const F z_inverse = z.inverse();
    const F z_inverse2 = z_inverse.square();
    return {x * z_inverse2, y * z_inverse2 * z_inverse, false};
  }

  // dbl-2009-l (a = 0).
  Jacobian dbl() const noexcept {
    if (z.is_zero())
      return *this;
    const F a = x.square();
    const F b = y.square();
    const F c = b.square();
    const F d = ((x + b).square() - a - c).dbl();
    const F e = a.dbl() + a;
    const F f = e.square();
    const F x3 = f - d.dbl();
    const F c8 = c.dbl().dbl().dbl();
    return {x3, e * (d - x3) - c8, (y * z).dbl()};
  }

  // add-2007-bl, falling back to doubling for equal points.
  Jacobian add(const Jacobian& other) const noexcept {
    if (z.is_zero())
      return other;
    if (other.z.is_zero())
      return *this;
    const F z1z1 = z.square();
    const F z2z2 = other.z.square();
    const F u1 = x * z2z2;
    const F u2 = other.x * z1z1;
    const F s1 = y * other.z * z2z2;
    const F s2 = other.y * z * z1z1;
    const F h = u2 - u1;
    const F r = (s2 - s1).dbl();
    if (h.is_zero())
      return r.is_zero() ? dbl() : Jacobian{F::one(), F::one(), F()};
    const F i = h.dbl().square();
    const F j = h * i;
    const F v = u1 * i;
    const F x3 = r.square() - j - v.dbl();
    const F y3 = r * (v - x3) - (s1 * j).dbl();
    const F z3 = ((z + other.z).square() - z1z1 - z2z2) * h;
    return {x3, y3, z3};
  }

  // madd-2007-bl: this + an affine point (Z = 1), four fewer products than add().
  Jacobian add_affine(const F& ax, const F& ay) const noexcept {
    if (z.is_zero())
      return {ax, ay, F::one()};
    const F z1z1 = z.square();
    const F u2 = ax * z1z1;
    const F s2 = ay * z * z1z1;
    const F h = u2 - x;
    const F r = (s2 - y).dbl();
    if (h.is_zero())
      return r.is_zero() ? dbl() : Jacobian{F::one(), F::one(), F()};
    const F hh = h.square();
    const F i = hh.dbl().dbl();
    const F j = h * i;
    const F v = x * i;
    const F x3 = r.square() - j - v.dbl();
    const F y3 = r * (v - x3) - (y * j).dbl();
    const F z3 = (z + h).square() - z1z1 - hh;
    return {x3, y3, z3};
  }

  // Double and add from the top bit: not constant time (public inputs only).
  static Jacobian mul(const Affine<F>& point, const u256& scalar) noexcept {
    Jacobian out{F::one(), F::one(), F()};
    if (point.infinity)
      return out;
    for (unsigned bit = scalar.bit_length(); bit-- > 0;) {
      out = out.dbl();
      if ((scalar.limbs[bit / 64] >> (bit % 64)) & 1)
        out = out.add_affine(point.x, point.y);
    }
    return out;
  }
};

}  // namespace tally::chain::bn254
