// The optimal ate pairing on BN254: e(P, Q) = f(P)^((p^12 - 1) / r), with f the Miller function of
// 6u + 2 at Q followed by the lines through pi(Q) and -pi^2(Q) (Vercauteren's optimal ate for BN
// curves). The Miller loop runs in affine coordinates on the twist, one Fp2 inversion per step:
// simple, and still a few milliseconds for two pairs.
#include <vector>

#include <tally/chain/bn254.hpp>
#include <tally/core/assert.hpp>

namespace tally::chain::bn254 {
namespace {

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

// The line of slope lambda through T on the twist, mapped to E(Fp12) by (x, y) -> (x w^2, y w^3)
// and evaluated at P: yP - lambda xP w + (lambda xT - yT) w^3, with w^3 = v w.
Fp12 line(const Fp2& lambda, const TwistPoint& t, const G1& p) noexcept {
  return {
      {Fp2{p.y, Fp()}, Fp2(), Fp2()},
      {-(lambda * p.x), lambda * t.x - t.y, Fp2()},
  };
}

Fp12 double_step(TwistPoint& t, const G1& p) noexcept {
  const Fp2 x_squared = t.x.square();
  const Fp2 lambda = (x_squared.dbl() + x_squared) * t.y.dbl().inverse();
  const Fp12 out = line(lambda, t, p);
  const Fp2 x3 = lambda.square() - t.x.dbl();
  t.y = lambda * (t.x - x3) - t.y;
  t.x = x3;
  return out;
}

// Q is in G2 and T a multiple [k]Q with k never +-1 mod r along the optimal ate loop, so T and Q
// never share an x coordinate.
Fp12 add_step(TwistPoint& t, const TwistPoint& q, const G1& p) noexcept {
  const Fp2 dx = q.x - t.x;
  TALLY_ASSERT(!dx.is_zero());
  const Fp2 lambda = (q.y - t.y) * dx.inverse();
  const Fp12 out = line(lambda, t, p);
  const Fp2 x3 = lambda.square() - t.x - q.x;
  t.y = lambda * (t.x - x3) - t.y;
  t.x = x3;
  return out;
}

// pi(x, y) = (conj(x) xi^((p-1)/3), conj(y) xi^((p-1)/2)): the p-power Frobenius of the untwisted
// point, twisted back.
TwistPoint frobenius(const TwistPoint& q) noexcept {
  return {q.x.conjugate() * twist_frobenius_x(), q.y.conjugate() * twist_frobenius_y()};
}

}  // namespace

Fp12 miller_loop(std::span<const std::pair<G1, G2>> pairs) noexcept {
  std::vector<std::pair<G1, TwistPoint>> active;
  for (const auto& [p, q] : pairs) {
    if (!p.infinity && !q.infinity)
      active.push_back({p, TwistPoint{q.x, q.y}});
  }
  std::vector<TwistPoint> t;
  for (const auto& entry : active)
    t.push_back(entry.second);
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

Fp12 final_exponentiation(const Fp12& value) noexcept {
  // Easy part, (p^6 - 1)(p^2 + 1): afterwards the value has norm 1.
  const Fp12 f1 = value.conjugate() * value.inverse();
  const Fp12 f2 = f1.frobenius().frobenius() * f1;
  return f2.pow(kHardExponent);
}

Fp12 pairing(const G1& p, const G2& q) noexcept {
  const std::pair<G1, G2> pair{p, q};
  return final_exponentiation(miller_loop({&pair, 1}));
}

bool pairing_check(std::span<const std::pair<G1, G2>> pairs) noexcept {
  return final_exponentiation(miller_loop(pairs)) == Fp12::one();
}

}  // namespace tally::chain::bn254
