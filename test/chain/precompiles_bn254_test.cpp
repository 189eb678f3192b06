// Precompiles 0x06-0x08 (alt_bn128 add, mul, pairing): vectors of Ethereum's precompile tests
// (EIP-196/197 cases by chfast, cdetrio and jeff, as the clients ship them), EIP-1108 gas, and
// every kind of invalid input.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/bn254.hpp>
#include <tally/chain/precompiles.hpp>

namespace tally::chain {
namespace {

Address precompile(Byte number) {
  Address out;
  out.bytes[19] = number;
  return out;
}

Bytes hex(std::string_view text) {
  return from_hex(text).value();
}

struct Vector {
  std::string name;
  std::string input;
  std::string expected;
};

void expect_vector(Byte number, const Vector& vector, std::uint64_t gas) {
  SCOPED_TRACE(vector.name);
  const auto result = run_precompile(precompile(number), hex(vector.input), 10'000'000);
  ASSERT_TRUE(result.success);
  EXPECT_EQ(to_hex(result.output, false), vector.expected);
  EXPECT_EQ(result.gas_used, gas);
}

constexpr std::string_view kG1 =
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000002";
constexpr std::string_view kG2 =
    "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
    "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
    "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
    "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";
// -G2: y negated.
constexpr std::string_view kMinusG2 =
    "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
    "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
    "275dc4a288d1afb3cbb1ac09187524c7db36395df7be3b99e673b13a075a65ec"
    "1d9befcd05a5323e6da4d435f3b617cdb3af83285c2df711ef39c01571827f9d";
constexpr std::string_view kP = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47";
const std::string kZero64(128, '0');

TEST(Bn254AddPrecompile, KnownVectors) {
  const std::vector<Vector> vectors = {
      {"chfast1",
       "18b18acfb4c2c30276db5411368e7185b311dd124691610c5d3b74034e093dc9063c909c4720840cb5134cb9f59"
       "f"
       "a749755796819658d32efc0d288198f3726607c2b7f58a84bd6145f00c9c2bc0bb1a187f20ff2c92963a88019e7"
       "c"
       "6a014eed06614e20c147e940f2d70da3f74c9a17df361706a4485c742bd6788478fa17d7",
       "2243525c5efd4b9c3d3c45ac0ca3fe4dd85e830a4ce6b65fa1eeaee202839703301d1d33be6da8e509df21cc359"
       "6"
       "4723180eed7532537db9ae5e7d48f195c915"},
      {"chfast2",
       "2243525c5efd4b9c3d3c45ac0ca3fe4dd85e830a4ce6b65fa1eeaee202839703301d1d33be6da8e509df21cc359"
       "6"
       "4723180eed7532537db9ae5e7d48f195c91518b18acfb4c2c30276db5411368e7185b311dd124691610c5d3b740"
       "3"
       "4e093dc9063c909c4720840cb5134cb9f59fa749755796819658d32efc0d288198f37266",
       "2bd3e6d0f3b142924f5ca7b49ce5b9d54c4703d7ae5648e61d02268b1a0a9fb721611ce0a6af85915e2f1d70300"
       "9"
       "09ce2e49dfad4a4619c8390cae66cefdb204"},
      {"cdetrio4 (empty input)", "", kZero64},
      {"cdetrio11 (G1 + G1)", str_cat(kG1, kG1),
       "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd315ed738c0e0a7c92e7845f96b2a"
       "e"
       "9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4"},
      {"cdetrio13",
       "17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa901e0559bacb160664764a357af8"
       "a"
       "9fe70baa9258e0b959273ffc5718c6d4cc7c039730ea8dff1254c0fee9c0ea777d29a9c710b7e616683f194f18c"
       "4"
       "3b43b869073a5ffcc6fc7a28c30723d6e58ce577356982d65b833a5a5c15bf9024b43d98",
       "15bf2bb17880144b5d1cd2b1f46eff9d617bffd1ca57c37fb5a49bd84e53cf66049c797f9ce0d17083deb32b5e3"
       "6"
       "f2ea2a212ee036598dd7624c168993d1355f"},
      {"cdetrio14 (P + -P)",
       "17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa901e0559bacb160664764a357af8"
       "a"
       "9fe70baa9258e0b959273ffc5718c6d4cc7c17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a"
       "7"
       "fa163fa92e83f8d734803fc370eba25ed1f6b8768bd6d83887b87165fc2434fe11a830cb",
       kZero64},
  };
  for (const Vector& vector : vectors)
    expect_vector(6, vector, 150);
}

TEST(Bn254AddPrecompile, RefusesInvalidPoints) {
  auto expect_failure = [](const std::string& input, std::string_view what) {
    const auto result = run_precompile(precompile(6), hex(input), 1000);
    EXPECT_FALSE(result.success) << what;
    EXPECT_EQ(result.gas_used, 1000u) << what;
  };
  expect_failure(str_cat(kG1.substr(0, 64),
                         "0000000000000000000000000000000000000000000000000000000000000003"),
                 "(1, 3) is not on the curve");
  expect_failure(str_cat(kP, kG1.substr(64), kG1), "x = p");
  expect_failure(str_cat(kG1, kG1.substr(0, 64), kP), "y = p");
  expect_failure(str_cat(kG1.substr(0, 64), kZero64.substr(0, 64)), "(1, 0)");
  EXPECT_FALSE(run_precompile(precompile(6), hex(str_cat(kG1, kG1)), 149).success);
}

TEST(Bn254MulPrecompile, KnownVectors) {
  const std::vector<Vector> vectors = {
      {"chfast1",
       "2bd3e6d0f3b142924f5ca7b49ce5b9d54c4703d7ae5648e61d02268b1a0a9fb721611ce0a6af85915e2f1d70300"
       "9"
       "09ce2e49dfad4a4619c8390cae66cefdb20400000000000000000000000000000000000000000000000011138ce"
       "7"
       "50fa15c2",
       "070a8d6a982153cae4be29d434e8faef8a47b274a053f5a4ee2a6c9c13c31e5c031b8ce914eba3a9ffb989f9cdd"
       "5"
       "b0f01943074bf4f0f315690ec3cec6981afc"},
      {"chfast2",
       "070a8d6a982153cae4be29d434e8faef8a47b274a053f5a4ee2a6c9c13c31e5c031b8ce914eba3a9ffb989f9cdd"
       "5"
       "b0f01943074bf4f0f315690ec3cec6981afc30644e72e131a029b85045b68181585d97816a916871ca8d3c208c1"
       "6"
       "d87cfd46",
       "025a6f4181d2b4ea8b724290ffb40156eb0adb514c688556eb79cdea0752c2bb2eff3f31dea215f1eb86023a133"
       "a"
       "996eb6300b44da664d64251d05381bb8a02e"},
      {"cdetrio1 (scalar 2^256 - 1)",
       "1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe31a2f3c951f6dadcc7ee9007dff8"
       "1"
       "504b0fcd6d7cf59996efdc33d92bf7f9f8f6fffffffffffffffffffffffffffffffffffffffffffffffffffffff"
       "f"
       "ffffffff",
       "2cde5879ba6f13c0b5aa4ef627f159a3347df9722efce88a9afbb20b763b4c411aa7e43076f6aee272755a7f9b8"
       "4"
       "832e71559ba0d2e0b17d5f9f01755e5b0d11"},
      {"cdetrio2 (scalar r - 1)",
       "1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe31a2f3c951f6dadcc7ee9007dff8"
       "1"
       "504b0fcd6d7cf59996efdc33d92bf7f9f8f630644e72e131a029b85045b68181585d2833e84879b9709143e1f59"
       "3"
       "f0000000",
       "1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe3163511ddc1c3f25d39674538820"
       "0"
       "081287b3fd1472d8339d5fecb2eae0830451"},
      {"cdetrio11",
       "039730ea8dff1254c0fee9c0ea777d29a9c710b7e616683f194f18c43b43b869073a5ffcc6fc7a28c30723d6e58"
       "c"
       "e577356982d65b833a5a5c15bf9024b43d98fffffffffffffffffffffffffffffffffffffffffffffffffffffff"
       "f"
       "ffffffff",
       "00a1a234d08efaa2616607e31eca1980128b00b415c845ff25bba3afcb81dc00242077290ed33906aeb8e42fd98"
       "c"
       "41bcb9057ba03421af3f2d08cfc441186024"},
      {"scalar 0", str_cat(kG1, kZero64.substr(0, 64)), kZero64},
      {"infinity times anything", str_cat(kZero64, "ff"), kZero64},
  };
  for (const Vector& vector : vectors)
    expect_vector(7, vector, 6000);
}

TEST(Bn254MulPrecompile, RefusesInvalidPointsAndShortGas) {
  EXPECT_FALSE(run_precompile(precompile(7), hex(str_cat(kP, kG1.substr(64), "02")), 9000).success);
  EXPECT_FALSE(
      run_precompile(precompile(7), hex(str_cat(kG1.substr(0, 64), kG1.substr(0, 64))), 9000)
          .success);
  EXPECT_FALSE(run_precompile(precompile(7), hex(kG1), 5999).success);
}

const std::string kJeff1 =
    "1c76476f4def4bb94541d57ebba1193381ffa7aa76ada664dd31c16024c43f593034dd2920f673e204fee2811c6787"
    "45"
    "fc819b55d3e9d294e45c9b03a76aef41209dd15ebff5d46c4bd888e51a93cf99a7329636c63514396b4a452003a35b"
    "f7"
    "04bf11ca01483bfa8b34b43561848d28905960114c8ac04049af4b6315a416782bb8324af6cfc93537a2ad1a445cfd"
    "0c"
    "a2a71acd7ac41fadbf933c2a51be344d120a2a4cf30c1bf9845f20c6fe39e07ea2cce61f0c9bb048165fe5e4de8775"
    "50"
    "111e129f1cf1097710d41c4ac70fcdfa5ba2023c6ff1cbeac322de49d1b6df7c2032c61a830e3c17286de9462bf242"
    "fc"
    "a2883585b93870a73853face6a6bf411198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312"
    "c2"
    "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c33"
    "95"
    "bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7d"
    "aa";

// jeff6 is jeff1 with the second G1 point changed: the product is no longer 1.
const std::string kJeff6 =
    "1c76476f4def4bb94541d57ebba1193381ffa7aa76ada664dd31c16024c43f593034dd2920f673e204fee2811c6787"
    "45"
    "fc819b55d3e9d294e45c9b03a76aef41209dd15ebff5d46c4bd888e51a93cf99a7329636c63514396b4a452003a35b"
    "f7"
    "04bf11ca01483bfa8b34b43561848d28905960114c8ac04049af4b6315a416782bb8324af6cfc93537a2ad1a445cfd"
    "0c"
    "a2a71acd7ac41fadbf933c2a51be344d120a2a4cf30c1bf9845f20c6fe39e07ea2cce61f0c9bb048165fe5e4de8775"
    "50"
    "111e129f1cf1097710d41c4ac70fcdfa5ba2023c6ff1cbeac322de49d1b6df7c103188585e2364128fe25c70558f15"
    "60"
    "f4f9350baf3959e603cc91486e110936198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312"
    "c2"
    "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c33"
    "95"
    "bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7d"
    "aa";

const std::string kTrue = "0000000000000000000000000000000000000000000000000000000000000001";
const std::string kFalse = "0000000000000000000000000000000000000000000000000000000000000000";

TEST(Bn254PairingPrecompile, KnownVectors) {
  expect_vector(8, Vector{"jeff1", kJeff1, kTrue}, 113000);
  expect_vector(8, Vector{"jeff6", kJeff6, kFalse}, 113000);
  expect_vector(8, Vector{"empty_data", "", kTrue}, 45000);
  expect_vector(8, Vector{"one_point", str_cat(kG1, kG2), kFalse}, 79000);
  expect_vector(8, Vector{"two_point_match_2", str_cat(kG1, kG2, kG1, kMinusG2), kTrue}, 113000);
  expect_vector(8, Vector{"infinity in G1", str_cat(kZero64, kG2), kTrue}, 79000);
  expect_vector(8, Vector{"infinity in G2", str_cat(kG1, kZero64, kZero64), kTrue}, 79000);
}

TEST(Bn254PairingPrecompile, RefusesBadLengthsAndPoints) {
  auto expect_failure = [](const std::string& input, std::string_view what) {
    const auto result = run_precompile(precompile(8), hex(input), 1'000'000);
    EXPECT_FALSE(result.success) << what;
    EXPECT_EQ(result.gas_used, 1'000'000u) << what;
  };
  const std::string good = str_cat(kG1, kG2);
  expect_failure(good.substr(0, good.size() - 2), "191 bytes");
  expect_failure(str_cat(good, "00"), "193 bytes");
  expect_failure(str_cat(kG1.substr(0, 64), kG1.substr(0, 64), kG2), "G1 point off the curve");
  expect_failure(str_cat(kG1, kP, kG2.substr(64)), "G2 x_i = p");
  // G2 with x and y swapped is not on the twist.
  expect_failure(str_cat(kG1, kG2.substr(128), kG2.substr(0, 128)), "G2 point off the twist");
  // One gas short of 45000 + 34000.
}

TEST(Bn254PairingPrecompile, RefusesTwistPointsOutsideG2) {
  // The lowest x = k + i with x^3 + b' a square gives a twist point; the twist's cofactor is
  // huge, so it lies outside G2 (bn254_test checks in_subgroup on one).
  using namespace bn254;
  const Fp2 b = Fp2{Fp::from_u64(3), Fp()} * Fp2{Fp::from_u64(9), Fp::one()}.inverse();
  const u256 p(Fp::kModulus);
  for (std::uint64_t k = 1; k < 100; ++k) {
    const Fp2 x{Fp::from_u64(k), Fp::one()};
    const Fp2 rhs = x.square() * x + b;
    // Candidate root by the p = 3 mod 4 method; keep it only if it squares back.
    const Fp2 a1 = rhs.pow((p - 3) / 4);
    const Fp2 alpha = a1 * (a1 * rhs);
    const Fp2 y = alpha == Fp2{-Fp::one(), Fp()}
                      ? Fp2{Fp(), Fp::one()} * (a1 * rhs)
                      : (Fp2::one() + alpha).pow((p - 1) / 2) * (a1 * rhs);
    if (y.square() != rhs)
      continue;
    Bytes input = hex(kG1);
    for (const Fp& coordinate : {x.c1, x.c0, y.c1, y.c0}) {
      const Hash256 word = coordinate.to_be();
      input.insert(input.end(), word.bytes.begin(), word.bytes.end());
    }
    EXPECT_FALSE(run_precompile(precompile(8), input, 1'000'000).success);
    return;
  }
  FAIL() << "no twist point found";
}

}  // namespace
}  // namespace tally::chain
