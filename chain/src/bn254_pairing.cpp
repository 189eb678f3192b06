// The optimal ate pairing on BN254: e(P, Q) = f(P)^((p^12 - 1) / r), with f the Miller function of
// 6u + 2 at Q followed by the lines through pi(Q) and -pi^2(Q) (Vercauteren's optimal ate for BN
// curves). The Miller loop keeps T in Jacobian coordinates on the twist, so it needs no inversion:
// each line is the affine line scaled by a factor in Fp2, which the final exponentiation removes
// (an element c of Fp2 has c^(p^2 - 1) = 1, and p^2 - 1 divides (p^12 - 1) / r).
#include <bit>
#include <vector>

#include <tally/chain/bn254.hpp>
#include <tally/core/assert.hpp>

#include "bn254_jacobian.hpp"

namespace tally::chain::bn254 {
namespace {

// The curve parameter u.
constexpr std::uint64_t kU = 4965661367192848881ULL;
// 6u + 2 = 0x1_9d797039be763ba8: a leading 1 (bit 64), then these 64 bits.
constexpr std::uint64_t kLoopLowBits = 0x9d797039be763ba8ULL;

// (p^4 - p^2 + 1) / r, the "hard part" of the final exponent; least significant limb first.
constexpr std::array<std::uint64_t, 12> kHardExponent = {
    0xe81bb482ccdf42b1ULL, 0x5abf5cc4f49c36d4ULL, 0xf1154e7e1da014fdULL, 0xdcc7b44c87cdbacfULL,
    0xaaa441e3954bcf8aULL, 0x6b887d56d5095f23ULL, 0x79581e16f3fd90c6ULL, 0x3b1b1355d189227dULL,
    0x4e529a5861876f6bULL, 0x6c0eb522d5b12278ULL, 0x331ec15183177fafULL, 0x01baaa710b0759adULL,
};

struct TwistPoint {
  Fp2 x;
  Fp2 y;
};

using TwistJacobian = Jacobian<Fp2>;

// A line evaluated at P: the slots of yP - lambda xP w + (lambda xT - yT) w^3 after scaling, with
// w^3 = v w, so a + (b + c v) w for Fp12::mul_by_line.
struct Line {
  Fp2 a;
  Fp2 b;
  Fp2 c;
};

Line line(const Fp2& y_coefficient, const Fp2& x_coefficient, const Fp2& constant, const G1& p) {
  return {y_coefficient * p.y, x_coefficient * p.x, constant};
}

Fp12 operator*(const Fp12& f, const Line& l) noexcept {
  return f.mul_by_line(l.a, l.b, l.c);
}

// The tangent at T (Jacobian X, Y, Z): lambda = 3X^2 / (2YZ), and the affine line times 2YZ^3 is
// 2YZ^3 yP - 3X^2 Z^2 xP w + (3X^3 - 2Y^2) w^3. Then T = 2T.
Line double_step(TwistJacobian& t, const G1& p) noexcept {
  const Fp2 x_squared = t.x.square();
  const Fp2 three_x_squared = x_squared.dbl() + x_squared;
  const Fp2 z_squared = t.z.square();
  const Fp2 y_z3 = t.y * t.z * z_squared;
  const Line out = line(y_z3.dbl(), -(three_x_squared * z_squared),
                        three_x_squared * t.x - t.y.square().dbl(), p);
  t = t.dbl();
  return out;
}

// The line through T (Jacobian) and Q (affine): with R = yQ Z^3 - Y and H = xQ Z^2 - X, lambda =
// R / (HZ), and the line through Q times HZ is HZ yP - R xP w + (R xQ - yQ HZ) w^3. Then T = T + Q.
// Q is in G2 and T a multiple [k]Q with k never +-1 mod r along the optimal ate loop, so H != 0.
Line add_step(TwistJacobian& t, const TwistPoint& q, const G1& p) noexcept {
  const Fp2 z_squared = t.z.square();
  const Fp2 r = q.y * t.z * z_squared - t.y;
  const Fp2 h = q.x * z_squared - t.x;
  TALLY_ASSERT(!h.is_zero());
  const Fp2 hz = h * t.z;
  const Line out = line(hz, -r, r * q.x - q.y * hz, p);
  t = t.add_affine(q.x, q.y);
  return out;
}

// pi(x, y) = (conj(x) xi^((p-1)/3), conj(y) xi^((p-1)/2)): the p-power Frobenius of the untwisted
// point, twisted back.
TwistPoint frobenius(const TwistPoint& q) noexcept {
  return {q.x.conjugate() * twist_frobenius_x(), q.y.conjugate() * twist_frobenius_y()};
}

// f^u for f of norm 1, square and multiply from the top bit.
Fp12 pow_u(const Fp12& f) noexcept {
  Fp12 out = f;
  for (int bit = 62 - std::countl_zero(kU); bit >= 0; --bit) {
    out = out.cyclotomic_square();
    if ((kU >> bit) & 1)
      out = out * f;
  }
  return out;
}

// The hard part f^((p^4 - p^2 + 1) / r) through three powers by u and Frobenius maps: the
// exponent written in base p with coefficients polynomial in u (Scott, Benger, Charlemagne,
// Dominguez Perez, Kachisa, "On the final exponentiation for calculating pairings on ordinary
// elliptic curves", 2009), evaluated with the addition chain given there. f has norm 1 here, so
// its inverse is its conjugate.
Fp12 hard_part(const Fp12& f) noexcept {
  const Fp12 a = pow_u(f);  // f^u
  const Fp12 b = pow_u(a);  // f^(u^2)
  const Fp12 c = pow_u(b);  // f^(u^3)
  const Fp12 f_p = f.frobenius();
  const Fp12 f_p2 = f_p.frobenius();
  const Fp12 y0 = f_p * f_p2 * f_p2.frobenius();
  const Fp12 y1 = f.conjugate();
  const Fp12 y2 = b.frobenius().frobenius();
  const Fp12 y3 = a.frobenius().conjugate();
  const Fp12 y4 = (a * b.frobenius()).conjugate();
  const Fp12 y5 = b.conjugate();
  const Fp12 y6 = (c * c.frobenius()).conjugate();
  Fp12 t0 = y6.cyclotomic_square() * y4 * y5;
  Fp12 t1 = y3 * y5 * t0;
  t0 = t0 * y2;
  t1 = (t1.cyclotomic_square() * t0).cyclotomic_square();
  t0 = t1 * y1;
  t1 = t1 * y0;
  return t0.cyclotomic_square() * t1;
}

}  // namespace

Fp12 miller_loop(std::span<const std::pair<G1, G2>> pairs) noexcept {
  std::vector<std::pair<G1, TwistPoint>> active;
  for (const auto& [p, q] : pairs) {
    if (!p.infinity && !q.infinity)
      active.push_back({p, TwistPoint{q.x, q.y}});
  }
  std::vector<TwistJacobian> t;
  for (const auto& entry : active)
    t.push_back({entry.second.x, entry.second.y, Fp2::one()});
  Fp12 f = Fp12::one();
  for (int bit = 63; bit >= 0; --bit) {
    f = f.square();
    for (std::size_t i = 0; i < active.size(); ++i)
      f = f * double_step(t[i], active[i].first);
    if ((kLoopLowBits >> bit) & 1) {
      for (std::size_t i = 0; i < active.size(); ++i)
        f = f * add_step(t[i], active[i].second, active[i].first);
    }
  }
  for (std::size_t i = 0; i < active.size(); ++i) {
    const TwistPoint q1 = frobenius(active[i].second);
    TwistPoint q2 = frobenius(q1);
    q2.y = -q2.y;
    f = f * add_step(t[i], q1, active[i].first);
    f = f * add_step(t[i], q2, active[i].first);
  }
  return f;
}

namespace {

// Easy part, (p^6 - 1)(p^2 + 1): afterwards the value has norm 1.
Fp12 easy_part(const Fp12& value) noexcept {
  const Fp12 f1 = value.conjugate() * value.inverse();
  return f1.frobenius().frobenius() * f1;
}

}  // namespace

Fp12 final_exponentiation(const Fp12& value) noexcept {
  return hard_part(easy_part(value));
}

Fp12 final_exponentiation_by_definition(const Fp12& value) noexcept {
  return easy_part(value).pow(kHardExponent);
}

Fp12 pairing(const G1& p, const G2& q) noexcept {
  const std::pair<G1, G2> pair{p, q};
  return final_exponentiation(miller_loop({&pair, 1}));
}

bool pairing_check(std::span<const std::pair<G1, G2>> pairs) noexcept {
  return final_exponentiation(miller_loop(pairs)) == Fp12::one();
}

}  // namespace tally::chain::bn254
