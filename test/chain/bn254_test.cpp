// The BN254 fields, curves and pairing: field arithmetic against Boost's cpp_int, the Frobenius
// map against plain exponentiation by p, group laws, and the pairing's bilinearity and
// non-degeneracy.
#include <random>

#include <boost/multiprecision/cpp_int.hpp>
#include <gtest/gtest.h>

#include <tally/chain/bn254.hpp>

#include "support/seed.hpp"

namespace tally::chain::bn254 {
namespace {

using boost::multiprecision::cpp_int;

const cpp_int kP("21888242871839275222246405745257275088696311157297823662689037894645226208583");

cpp_int to_int(const u256& value) {
  cpp_int out;
  for (std::size_t i = 4; i-- > 0;)
    out = (out << 64) | cpp_int(value.limbs[i]);
  return out;
}

u256 to_u256(const cpp_int& value) {
  u256 out;
  for (std::size_t i = 0; i < 4; ++i)
    out.limbs[i] = static_cast<std::uint64_t>((value >> (64 * i)) & cpp_int(~0ULL));
  return out;
}

class Bn254Test : public ::testing::Test {
 protected:
  void SetUp() override { random_.seed(seed_); }

  u256 random_u256() { return u256(u256::Limbs{random_(), random_(), random_(), random_()}); }
  Fp random_fp() { return Fp::from_u256(to_u256(to_int(random_u256()) % kP)).value(); }
  Fp2 random_fp2() { return {random_fp(), random_fp()}; }
  Fp6 random_fp6() { return {random_fp2(), random_fp2(), random_fp2()}; }
  Fp12 random_fp12() { return {random_fp6(), random_fp6()}; }

  const std::uint64_t seed_ = test::test_seed();
  std::mt19937_64 random_;
};

TEST_F(Bn254Test, FpArithmeticAgreesWithCppInt) {
  SCOPED_TRACE(test::seed_trace(seed_));
  for (std::uint64_t i = 0; i < test::property_iterations(200); ++i) {
    const Fp a = random_fp();
    const Fp b = random_fp();
    const cpp_int x = to_int(a.to_u256());
    const cpp_int y = to_int(b.to_u256());
    ASSERT_EQ(to_int((a * b).to_u256()), x * y % kP);
    ASSERT_EQ(to_int((a + b).to_u256()), (x + y) % kP);
    ASSERT_EQ(to_int((a - b).to_u256()), (x - y + kP) % kP);
    ASSERT_EQ(to_int((-a).to_u256()), (kP - x) % kP);
  }
}

TEST_F(Bn254Test, FpConversionsAndInverse) {
  SCOPED_TRACE(test::seed_trace(seed_));
  EXPECT_EQ(Fp::from_u64(7).to_u256(), u256(7));
  EXPECT_EQ(Fp::one().to_u256(), u256(1));
  const u256 p(Fp::kModulus);
  EXPECT_FALSE(Fp::from_u256(p).has_value());
  EXPECT_FALSE(Fp::from_u256(u256::max()).has_value());
  EXPECT_EQ(Fp::from_u256(p - 1).value().to_u256(), p - 1);
  EXPECT_TRUE(Fp().inverse().is_zero());
  for (int i = 0; i < 20; ++i) {
    const Fp a = random_fp();
    EXPECT_EQ(a * a.inverse(), Fp::one());
  }
}

TEST_F(Bn254Test, ExtensionFieldInverses) {
  SCOPED_TRACE(test::seed_trace(seed_));
  for (int i = 0; i < 10; ++i) {
    const Fp2 a = random_fp2();
    EXPECT_EQ(a * a.inverse(), Fp2::one());
    EXPECT_EQ(a.square(), a * a);
    const Fp6 b = random_fp6();
    EXPECT_EQ(b * b.inverse(), Fp6::one());
    const Fp12 c = random_fp12();
    EXPECT_EQ(c * c.inverse(), Fp12::one());
    EXPECT_EQ(c.square(), c * c);
  }
}

TEST_F(Bn254Test, Fp12MultiplicationIsCommutativeAndAssociative) {
  SCOPED_TRACE(test::seed_trace(seed_));
  const Fp12 a = random_fp12();
  const Fp12 b = random_fp12();
  const Fp12 c = random_fp12();
  EXPECT_EQ(a * b, b * a);
  EXPECT_EQ((a * b) * c, a * (b * c));
}

TEST_F(Bn254Test, FrobeniusIsThePthPower) {
  SCOPED_TRACE(test::seed_trace(seed_));
  const Fp12 a = random_fp12();
  EXPECT_EQ(a.frobenius(), a.pow(Fp::kModulus));
  Fp12 twelve = a;
  for (int i = 0; i < 12; ++i)
    twelve = twelve.frobenius();
  EXPECT_EQ(twelve, a);
  // p^6 is conjugation.
  Fp12 six = a;
  for (int i = 0; i < 6; ++i)
    six = six.frobenius();
  EXPECT_EQ(six, a.conjugate());
}

TEST_F(Bn254Test, GeneratorsAreOnTheirCurvesWithOrderR) {
  EXPECT_TRUE(on_curve(g1_generator()));
  EXPECT_TRUE(on_curve(g2_generator()));
  EXPECT_TRUE(in_subgroup(g2_generator()));
  EXPECT_TRUE(mul(g1_generator(), group_order()).infinity);
  EXPECT_TRUE(mul(g2_generator(), group_order()).infinity);
  EXPECT_FALSE(mul(g2_generator(), group_order() - 1).infinity);
}

TEST_F(Bn254Test, DoublingTheG1Generator) {
  const G1 two = add(g1_generator(), g1_generator());
  EXPECT_EQ(two.x.to_u256().hex(),
            "0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3");
  EXPECT_EQ(two.y.to_u256().hex(),
            "0x15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4");
  EXPECT_EQ(mul(g1_generator(), 2), two);
}

TEST_F(Bn254Test, GroupLaws) {
  SCOPED_TRACE(test::seed_trace(seed_));
  const u256 a = random_u256() >> 2;
  const u256 b = random_u256() >> 2;
  const G1 p = g1_generator();
  EXPECT_EQ(add(mul(p, a), mul(p, b)), mul(p, a + b));
  EXPECT_EQ(add(mul(p, a), mul(p, b)), add(mul(p, b), mul(p, a)));
  EXPECT_TRUE(add(mul(p, a), negate(mul(p, a))).infinity);
  EXPECT_EQ(add(p, G1{}), p);
  const G2 q = g2_generator();
  EXPECT_EQ(add(mul(q, a), mul(q, b)), mul(q, a + b));
  EXPECT_TRUE(on_curve(mul(q, a)));
  EXPECT_TRUE(add(mul(q, b), negate(mul(q, b))).infinity);
}

// A square root in Fp2 (p = 3 mod 4), to build twist points outside G2.
std::optional<Fp2> sqrt_fp2(const Fp2& a) {
  const u256 p(Fp::kModulus);
  const Fp2 a1 = a.pow((p - 3) / 4);
  const Fp2 alpha = a1 * (a1 * a);
  const Fp2 x0 = a1 * a;
  const Fp2 minus_one{-Fp::one(), Fp()};
  if (alpha.conjugate() * alpha == minus_one)
    return std::nullopt;
  Fp2 root;
  if (alpha == minus_one)
    root = Fp2{Fp(), Fp::one()} * x0;
  else
    root = (Fp2::one() + alpha).pow((p - 1) / 2) * x0;
  if (root.square() != a)
    return std::nullopt;
  return root;
}

G2 twist_point_outside_g2() {
  const Fp2 b = Fp2{Fp::from_u64(3), Fp()} * Fp2{Fp::from_u64(9), Fp::one()}.inverse();
  for (std::uint64_t x = 1;; ++x) {
    const Fp2 fx{Fp::from_u64(x), Fp::one()};
    if (const auto y = sqrt_fp2(fx.square() * fx + b))
      return {fx, *y, false};
  }
}

TEST_F(Bn254Test, TwistPointsOutsideTheSubgroupAreRefused) {
  const G2 point = twist_point_outside_g2();
  EXPECT_TRUE(on_curve(point));
  EXPECT_FALSE(in_subgroup(point));
}

TEST_F(Bn254Test, PairingIsNonDegenerateWithOrderR) {
  const Fp12 e = pairing(g1_generator(), g2_generator());
  EXPECT_NE(e, Fp12::one());
  EXPECT_EQ(e.pow(group_order().limbs), Fp12::one());
  EXPECT_EQ(pairing(G1{}, g2_generator()), Fp12::one());
  EXPECT_EQ(pairing(g1_generator(), G2{}), Fp12::one());
}

TEST_F(Bn254Test, PairingIsBilinear) {
  SCOPED_TRACE(test::seed_trace(seed_));
  const std::uint64_t a = random_() | 1;
  const std::uint64_t b = random_() | 1;
  const G1 p = mul(g1_generator(), random_u256() >> 3);
  const G2 q = mul(g2_generator(), random_u256() >> 3);
  const Fp12 e = pairing(p, q);
  const std::array<std::uint64_t, 1> a_limbs = {a};
  const std::array<std::uint64_t, 1> b_limbs = {b};
  EXPECT_EQ(pairing(mul(p, a), mul(q, b)), e.pow(a_limbs).pow(b_limbs));
  EXPECT_EQ(pairing(mul(p, a), q), pairing(p, mul(q, a)));
  EXPECT_EQ(pairing(add(p, p), q), e * e);
}

TEST_F(Bn254Test, PairingCheckOfAProductThatCancels) {
  SCOPED_TRACE(test::seed_trace(seed_));
  const u256 a = random_u256() >> 3;
  const u256 b = random_u256() >> 3;
  const G1 p = g1_generator();
  const G2 q = g2_generator();
  // e(aP, bQ) e(-abP, Q) = 1.
  const std::array<std::pair<G1, G2>, 2> cancel = {{
      {mul(p, a), mul(q, b)},
      {negate(mul(mul(p, a), b)), q},
  }};
  EXPECT_TRUE(pairing_check(cancel));
  const std::array<std::pair<G1, G2>, 2> off_by_one = {{
      {mul(p, a), mul(q, b)},
      {negate(mul(mul(p, a), b + 1)), q},
  }};
  EXPECT_FALSE(pairing_check(off_by_one));
  EXPECT_TRUE(pairing_check({}));
}

}  // namespace
}  // namespace tally::chain::bn254
