#include <tally/chain/bn254.hpp>

namespace tally::chain::bn254 {
namespace {

constexpr u256::Limbs kOrder = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                0x30644e72e131a029ULL};

template <class F>
F curve_b() noexcept;

template <>
Fp curve_b<Fp>() noexcept {
  return Fp::from_u64(3);
}

template <>
Fp2 curve_b<Fp2>() noexcept {
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

  // Double and add from the top bit: not constant time (public inputs only).
  Jacobian mul(const u256& scalar) const noexcept {
    Jacobian out{F::one(), F::one(), F()};
    for (unsigned bit = scalar.bit_length(); bit-- > 0;) {
      out = out.dbl();
      if ((scalar.limbs[bit / 64] >> (bit % 64)) & 1)
        out = out.add(*this);
    }
    return out;
  }
};

template <class F>
bool on_curve_impl(const Affine<F>& point) noexcept {
  return point.infinity || point.y.square() == point.x.square() * point.x + curve_b<F>();
}

template <class F>
Affine<F> add_impl(const Affine<F>& a, const Affine<F>& b) noexcept {
  return Jacobian<F>::from(a).add(Jacobian<F>::from(b)).affine();
}

template <class F>
Affine<F> mul_impl(const Affine<F>& point, const u256& scalar) noexcept {
  return Jacobian<F>::from(point).mul(scalar).affine();
}

Fp hex_fp(std::string_view hex) {
  return Fp::from_u256(u256::from_hex(hex).value()).value();
}

Result<Fp> read_coordinate(BytesView bytes, std::size_t offset, std::string_view name) {
  Hash256 word;
  std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(offset), 32, word.bytes.begin());
  const auto value = Fp::from_be(word);
  if (!value)
    return fail(Errc::out_of_range, str_cat("bn254 point: coordinate ", name, " is not below p"));
  return *value;
}

}  // namespace

u256 group_order() noexcept {
  return u256(kOrder);
}

G1 g1_generator() noexcept {
  return {Fp::one(), Fp::from_u64(2), false};
}

G2 g2_generator() noexcept {
  static const G2 generator{
      {hex_fp("1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"),
       hex_fp("198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2")},
      {hex_fp("12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"),
       hex_fp("090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b")},
      false};
  return generator;
}

bool on_curve(const G1& point) noexcept {
  return on_curve_impl(point);
}
bool on_curve(const G2& point) noexcept {
  return on_curve_impl(point);
}

bool in_subgroup(const G2& point) noexcept {
  return Jacobian<Fp2>::from(point).mul(group_order()).z.is_zero();
}

G1 add(const G1& a, const G1& b) noexcept {
  return add_impl(a, b);
}
G2 add(const G2& a, const G2& b) noexcept {
  return add_impl(a, b);
}
G1 negate(const G1& point) noexcept {
  return point.infinity ? point : G1{point.x, -point.y, false};
}
G2 negate(const G2& point) noexcept {
  return point.infinity ? point : G2{point.x, -point.y, false};
}
G1 mul(const G1& point, const u256& scalar) noexcept {
  return mul_impl(point, scalar);
}
G2 mul(const G2& point, const u256& scalar) noexcept {
  return mul_impl(point, scalar);
}

Result<G1> decode_g1(BytesView bytes) {
  if (bytes.size() != 64)
    return fail(Errc::invalid_argument, str_cat("bn254 G1 point: ", bytes.size(), " bytes"));
  auto x = read_coordinate(bytes, 0, "x");
  if (!x)
    return std::unexpected(x.error());
  auto y = read_coordinate(bytes, 32, "y");
  if (!y)
    return std::unexpected(y.error());
  if (x->is_zero() && y->is_zero())
    return G1{};
  const G1 point{*x, *y, false};
  if (!on_curve(point))
    return fail(Errc::malformed, "bn254 G1 point: not on the curve");
  return point;
}

Result<G2> decode_g2(BytesView bytes) {
  if (bytes.size() != 128)
    return fail(Errc::invalid_argument, str_cat("bn254 G2 point: ", bytes.size(), " bytes"));
  std::array<Fp, 4> words;
  static constexpr std::array<std::string_view, 4> kNames = {"x_i", "x_r", "y_i", "y_r"};
  for (std::size_t i = 0; i < 4; ++i) {
    auto word = read_coordinate(bytes, 32 * i, kNames[i]);
    if (!word)
      return std::unexpected(word.error());
    words[i] = *word;
  }
  const G2 point{{words[1], words[0]}, {words[3], words[2]}, false};
  if (point.x.is_zero() && point.y.is_zero())
    return G2{};
  if (!on_curve(point))
    return fail(Errc::malformed, "bn254 G2 point: not on the twist");
  if (!in_subgroup(point))
    return fail(Errc::malformed, "bn254 G2 point: not in the order-r subgroup");
  return point;
}

void encode_g1(const G1& point, std::span<Byte, 64> out) noexcept {
  if (point.infinity) {
    std::fill(out.begin(), out.end(), Byte{0});
    return;
  }
  const Hash256 x = point.x.to_be();
  const Hash256 y = point.y.to_be();
  std::copy(x.bytes.begin(), x.bytes.end(), out.begin());
  std::copy(y.bytes.begin(), y.bytes.end(), out.begin() + 32);
}

}  // namespace tally::chain::bn254
