// Precompiles 0x01-0x05, 0x09 and 0x0a: known answers from the EIPs and Ethereum's tests, gas
// edges, and cross-checks against independent implementations (OpenSSL's BLAKE2b, Boost's powm).
#include <random>

#include <boost/multiprecision/cpp_int.hpp>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <tally/chain/precompiles.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/secp256k1.hpp>

#include "support/seed.hpp"

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

PrecompileResult run(Byte number, BytesView input, std::uint64_t gas = 10'000'000) {
  return run_precompile(precompile(number), input, gas);
}

TEST(Precompiles, AddressesOneToTenAreThePrecompiles) {
  EXPECT_FALSE(is_precompile(precompile(0)));
  for (Byte i = 1; i <= 10; ++i)
    EXPECT_TRUE(is_precompile(precompile(i))) << int{i};
  EXPECT_FALSE(is_precompile(precompile(11)));
  Address high = precompile(1);
  high.bytes[0] = 1;
  EXPECT_FALSE(is_precompile(high));
}

// ---- ecrecover ----------------------------------------------------------------------------------

// The input of stPreCompiledContracts2/CallEcrecover0.json; its signer is the address geth and
// the other clients return for it.
const std::string_view kEcrecoverInput =
    "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c"
    "000000000000000000000000000000000000000000000000000000000000001c"
    "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f"
    "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549";

TEST(Ecrecover, RecoversTheSignerOfAKnownSignature) {
  const auto result = run(1, hex(kEcrecoverInput));
  ASSERT_TRUE(result.success);
  EXPECT_EQ(result.gas_used, 3000u);
  EXPECT_EQ(to_hex(result.output, false),
            "000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b");
}

TEST(Ecrecover, RecoversWhatWeSign) {
  const auto key = secp256k1::PrivateKey::from_bytes(Bytes(32, 0x42)).value();
  const Hash256 digest = keccak256(as_bytes("ecrecover"));
  const auto signature = secp256k1::sign(digest, key);
  Bytes input(128, 0);
  std::ranges::copy(digest.bytes, input.begin());
  input[63] = static_cast<Byte>(27 + signature.v);
  std::ranges::copy(signature.r.bytes, input.begin() + 64);
  std::ranges::copy(signature.s.bytes, input.begin() + 96);
  const Hash256 key_hash = keccak256(secp256k1::derive_public_key(key).view());
  Bytes expected(32, 0);
  std::copy(key_hash.bytes.begin() + 12, key_hash.bytes.end(), expected.begin() + 12);
  EXPECT_EQ(run(1, input).output, expected);
}

TEST(Ecrecover, InvalidInputSucceedsWithEmptyOutput) {
  const Bytes good = hex(kEcrecoverInput);
  auto expect_empty = [](const Bytes& input, std::string_view what) {
    const auto result = run(1, input);
    EXPECT_TRUE(result.success) << what;
    EXPECT_EQ(result.gas_used, 3000u) << what;
    EXPECT_TRUE(result.output.empty()) << what;
  };
  Bytes bad_v = good;
  bad_v[63] = 29;
  expect_empty(bad_v, "v = 29");
  Bytes v_with_high_byte = good;
  v_with_high_byte[32] = 1;
  expect_empty(v_with_high_byte, "v with a high byte set");
  Bytes zero_r = good;
  std::fill(zero_r.begin() + 64, zero_r.begin() + 96, Byte{0});
  expect_empty(zero_r, "r = 0");
  Bytes s_at_n = good;
  const Bytes n = hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  std::copy(n.begin(), n.end(), s_at_n.begin() + 96);
  expect_empty(s_at_n, "s = n");
  expect_empty({}, "empty input");
}

TEST(Ecrecover, ShortInputIsZeroPaddedAndLongInputIgnoresTheRest) {
  Bytes good = hex(kEcrecoverInput);
  const Bytes expected = run(1, good).output;
  good.push_back(0xff);
  EXPECT_EQ(run(1, good).output, expected);
  // s ends in 0x49; a truncated s reads as s with its last byte zero: a different signature.
  Bytes truncated = hex(kEcrecoverInput);
  truncated.pop_back();
  const auto result = run(1, truncated);
  EXPECT_TRUE(result.success);
  EXPECT_NE(result.output, expected);
}

TEST(Ecrecover, AcceptsHighS) {
  // The signature above has s > n/2 (it starts 0xee): ecrecover allows it, as Ethereum does.
  EXPECT_EQ(run(1, hex(kEcrecoverInput)).output.size(), 32u);
}

TEST(Ecrecover, FailsBelow3000Gas) {
  const auto result = run(1, hex(kEcrecoverInput), 2999);
  EXPECT_FALSE(result.success);
  EXPECT_EQ(result.gas_used, 2999u);
  EXPECT_TRUE(run(1, hex(kEcrecoverInput), 3000).success);
}

// ---- hashes and identity ------------------------------------------------------------------------

TEST(Sha256Precompile, KnownDigestsAndGas) {
  auto result = run(2, {});
  EXPECT_EQ(to_hex(result.output, false),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(result.gas_used, 60u);
  result = run(2, as_bytes("abc"));
  EXPECT_EQ(to_hex(result.output, false),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(result.gas_used, 72u);
  EXPECT_EQ(run(2, Bytes(33, 0)).gas_used, 60u + 2 * 12);
  EXPECT_FALSE(run(2, Bytes(33, 0), 83).success);
  EXPECT_TRUE(run(2, Bytes(33, 0), 84).success);
}

TEST(Ripemd160Precompile, KnownDigestsLeftPaddedAndGas) {
  auto result = run(3, {});
  EXPECT_EQ(to_hex(result.output, false),
            "0000000000000000000000009c1185a5c5e9fc54612808977ee8f548b2258d31");
  EXPECT_EQ(result.gas_used, 600u);
  result = run(3, as_bytes("abc"));
  EXPECT_EQ(to_hex(result.output, false),
            "0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
  EXPECT_EQ(result.gas_used, 720u);
  EXPECT_FALSE(run(3, as_bytes("abc"), 719).success);
}

TEST(IdentityPrecompile, CopiesInputAndChargesPerWord) {
  EXPECT_EQ(run(4, {}).gas_used, 15u);
  const Bytes data = hex("0102030405");
  const auto result = run(4, data);
  EXPECT_EQ(result.output, data);
  EXPECT_EQ(result.gas_used, 18u);
  EXPECT_EQ(run(4, Bytes(65, 7)).gas_used, 15u + 3 * 3);
  EXPECT_FALSE(run(4, data, 17).success);
  EXPECT_EQ(run(4, data, 17).gas_used, 17u);
}

// ---- modexp -------------------------------------------------------------------------------------

Bytes word(std::uint64_t value) {
  Bytes out(32, 0);
  for (std::size_t i = 0; i < 8; ++i)
    out[31 - i] = static_cast<Byte>(value >> (8 * i));
  return out;
}

Bytes modexp_input(BytesView base, BytesView exponent, BytesView modulus) {
  Bytes out = word(base.size());
  const Bytes e = word(exponent.size());
  const Bytes m = word(modulus.size());
  out.insert(out.end(), e.begin(), e.end());
  out.insert(out.end(), m.begin(), m.end());
  out.insert(out.end(), base.begin(), base.end());
  out.insert(out.end(), exponent.begin(), exponent.end());
  out.insert(out.end(), modulus.begin(), modulus.end());
  return out;
}

const std::string_view kSecpP = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
const std::string_view kSecpPMinus1 =
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e";

TEST(Modexp, Eip198FermatExample) {
  // EIP-198 example 1 (EIP-2565 prices it 1360): 3^(p-1) mod p = 1.
  const auto result = run(5, modexp_input(hex("03"), hex(kSecpPMinus1), hex(kSecpP)));
  ASSERT_TRUE(result.success);
  EXPECT_EQ(to_hex(result.output, false),
            "0000000000000000000000000000000000000000000000000000000000000001");
  EXPECT_EQ(result.gas_used, 1360u);
}

TEST(Modexp, Eip198ZeroBaseExample) {
  // EIP-198 example 2: base length 0 reads base 0.
  const auto result = run(5, modexp_input({}, hex(kSecpPMinus1), hex(kSecpP)));
  ASSERT_TRUE(result.success);
  EXPECT_EQ(result.output, Bytes(32, 0));
}

TEST(Modexp, MissingBytesAreZero) {
  // Lengths 1, 1, 2 and only base 0x02 and exponent 0x03 present: the modulus reads 0x0000.
  Bytes input = modexp_input(hex("02"), hex("03"), hex("0000"));
  input.resize(input.size() - 2);
  EXPECT_EQ(run(5, input).output, Bytes(2, 0));
  // The same with modulus bytes 0x01 then a missing byte: the modulus is 0x0100 = 256.
  input.push_back(0x01);
  EXPECT_EQ(to_hex(run(5, input).output, false), "0008");
}

TEST(Modexp, ZeroModulusGivesZerosOfModulusLength) {
  EXPECT_EQ(run(5, modexp_input(hex("05"), hex("02"), Bytes(5, 0))).output, Bytes(5, 0));
  EXPECT_TRUE(run(5, modexp_input(hex("05"), hex("02"), {})).output.empty());
}

TEST(Modexp, ZeroToTheZeroIsOne) {
  EXPECT_EQ(to_hex(run(5, modexp_input({}, {}, hex("0007"))).output, false), "0001");
  EXPECT_EQ(to_hex(run(5, modexp_input({}, {}, hex("01"))).output, false), "00");
}

TEST(Modexp, MinimumGasIs200) {
  const auto result = run(5, modexp_input(hex("02"), hex("02"), hex("05")));
  EXPECT_EQ(to_hex(result.output, false), "04");
  EXPECT_EQ(result.gas_used, 200u);
  EXPECT_FALSE(run(5, modexp_input(hex("02"), hex("02"), hex("05")), 199).success);
}

TEST(Modexp, GasOfLongExponents) {
  // E = 64 bytes, first word 0x01: iterations 8 * 32 + 0 = 256; B = M = 64 bytes: 8 words, 64.
  Bytes exponent(64, 0);
  exponent[31] = 1;
  const auto result = run(5, modexp_input(Bytes(64, 3), exponent, Bytes(64, 0xff)));
  EXPECT_EQ(result.gas_used, 64u * 256 / 3);
  // A zero head adds nothing: 8 * 32 iterations still.
  exponent[31] = 0;
  EXPECT_EQ(run(5, modexp_input(Bytes(64, 3), exponent, Bytes(64, 0xff))).gas_used, 64u * 256 / 3);
}

TEST(Modexp, HugeLengthsFailWithoutAllocating) {
  Bytes input(96, 0xff);  // every length 2^256 - 1
  auto result = run(5, input, 30'000'000);
  EXPECT_FALSE(result.success);
  EXPECT_EQ(result.gas_used, 30'000'000u);
  input = word(1);
  const Bytes huge_exponent = word(1'000'000'000'000ULL);
  input.insert(input.end(), huge_exponent.begin(), huge_exponent.end());
  const Bytes one = word(1);
  input.insert(input.end(), one.begin(), one.end());
  EXPECT_FALSE(run(5, input, UINT64_MAX / 4).success);
}

TEST(Modexp, HugeExponentWithEmptyBaseAndModulusCostsTheMinimum) {
  Bytes input = word(0);
  const Bytes e = word(UINT64_MAX);
  input.insert(input.end(), e.begin(), e.end());
  const Bytes m = word(0);
  input.insert(input.end(), m.begin(), m.end());
  // max(B, M) = 0 words: the complexity is 0, and so is the price before the 200 floor.
  const auto result = run(5, input);
  EXPECT_TRUE(result.success);
  EXPECT_EQ(result.gas_used, 200u);
  EXPECT_TRUE(result.output.empty());
}

TEST(Modexp, AgreesWithBoostPowmOnRandomOperands) {
  using boost::multiprecision::cpp_int;
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 random(seed);
  auto random_bytes = [&](std::size_t max_size) {
    Bytes out(random() % (max_size + 1));
    for (Byte& b : out)
      b = static_cast<Byte>(random());
    return out;
  };
  auto to_int = [](const Bytes& bytes) {
    cpp_int out;
    if (!bytes.empty())
      import_bits(out, bytes.begin(), bytes.end());
    return out;
  };
  for (std::uint64_t i = 0; i < test::property_iterations(200); ++i) {
    const Bytes base = random_bytes(80);
    const Bytes exponent = random_bytes(40);
    const Bytes modulus = random_bytes(80);
    const auto result = run(5, modexp_input(base, exponent, modulus), UINT64_MAX / 8);
    ASSERT_TRUE(result.success);
    ASSERT_EQ(result.output.size(), modulus.size());
    const cpp_int m = to_int(modulus);
    const cpp_int expected = m == 0 ? cpp_int(0) : powm(to_int(base), to_int(exponent), m);
    ASSERT_EQ(to_int(result.output), expected) << to_hex(modexp_input(base, exponent, modulus));
  }
}

// ---- blake2f ------------------------------------------------------------------------------------

// EIP-152's vectors 4 to 7 share this input, with the round count and final flag varied.
const std::string_view kBlakeBody =
    "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c6805"
    "9b"
    "6bbd41fbabd9831f79217e1319cde05b"
    "6162630000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "03000000000000000000000000000000";

Bytes blake_input(std::string_view rounds_hex, std::string_view final_hex) {
  return hex(str_cat(rounds_hex, kBlakeBody, final_hex));
}

TEST(Blake2f, Eip152Vectors) {
  // Vector 4 is BLAKE2b-512("abc") (RFC 7693 appendix A).
  auto result = run(9, blake_input("0000000c", "01"));
  ASSERT_TRUE(result.success);
  EXPECT_EQ(result.gas_used, 12u);
  EXPECT_EQ(to_hex(result.output, false),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
  result = run(9, blake_input("0000000c", "00"));
  EXPECT_EQ(to_hex(result.output, false),
            "75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d28752"
            "98743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735");
  result = run(9, blake_input("00000000", "01"));
  EXPECT_EQ(result.gas_used, 0u);
  EXPECT_EQ(to_hex(result.output, false),
            "08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5"
            "d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b");
  result = run(9, blake_input("00000001", "01"));
  EXPECT_EQ(to_hex(result.output, false),
            "b63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fb"
            "a551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421");
}

TEST(Blake2f, RefusesBadLengthAndFinalFlag) {
  Bytes input = blake_input("0000000c", "01");
  input.pop_back();
  EXPECT_FALSE(run(9, input).success);  // 212 bytes
  input = blake_input("0000000c", "0100");
  EXPECT_FALSE(run(9, input).success);  // 214 bytes
  EXPECT_FALSE(run(9, blake_input("0000000c", "02")).success);
  EXPECT_FALSE(run(9, {}).success);
}

TEST(Blake2f, ChargesOneGasPerRoundBeforeWorking) {
  EXPECT_FALSE(run(9, blake_input("0000000c", "01"), 11).success);
  // 2^32 - 1 rounds would take minutes: refused by gas first.
  const auto result = run(9, blake_input("ffffffff", "01"), 1'000'000);
  EXPECT_FALSE(result.success);
  EXPECT_EQ(result.gas_used, 1'000'000u);
}

// BLAKE2b-512 of messages up to 256 bytes, chaining the precompile's F, against OpenSSL.
Bytes blake2b_by_precompile(BytesView message) {
  std::array<std::uint64_t, 8> h = {
      0x6a09e667f3bcc908ULL ^ 0x01010040ULL,
      0xbb67ae8584caa73bULL,
      0x3c6ef372fe94f82bULL,
      0xa54ff53a5f1d36f1ULL,
      0x510e527fade682d1ULL,
      0x9b05688c2b3e6c1fULL,
      0x1f83d9abfb41bd6bULL,
      0x5be0cd19137e2179ULL,
  };
  auto put_le = [](Bytes& out, std::uint64_t value) {
    for (std::size_t i = 0; i < 8; ++i)
      out.push_back(static_cast<Byte>(value >> (8 * i)));
  };
  std::size_t offset = 0;
  Bytes state;
  do {
    const std::size_t take = std::min<std::size_t>(128, message.size() - offset);
    const bool last = offset + take == message.size();
    Bytes input = {0, 0, 0, 12};
    for (const std::uint64_t word : h)
      put_le(input, word);
    input.insert(input.end(), message.begin() + static_cast<std::ptrdiff_t>(offset),
                 message.begin() + static_cast<std::ptrdiff_t>(offset + take));
    input.resize(4 + 64 + 128, 0);
    put_le(input, offset + take);
    put_le(input, 0);
    input.push_back(last ? 1 : 0);
    state = run(9, input).output;
    EXPECT_EQ(state.size(), 64u);
    for (std::size_t i = 0; i < 8; ++i) {
      h[i] = 0;
      for (std::size_t j = 8; j-- > 0;)
        h[i] = (h[i] << 8) | state[8 * i + j];
    }
    offset += take;
  } while (offset < message.size());
  return state;
}

TEST(Blake2f, ChainedCompressionsGiveOpensslBlake2b512) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 random(seed);
  for (std::uint64_t i = 0; i < test::property_iterations(50); ++i) {
    Bytes message(random() % 257);
    for (Byte& b : message)
      b = static_cast<Byte>(random());
    std::array<unsigned char, 64> expected{};
    unsigned size = 0;
    ASSERT_EQ(EVP_Digest(message.data(), message.size(), expected.data(), &size, EVP_blake2b512(),
                         nullptr),
              1);
    ASSERT_EQ(blake2b_by_precompile(message), Bytes(expected.begin(), expected.end()))
        << message.size() << " bytes";
  }
}

// ---- point evaluation ---------------------------------------------------------------------------

TEST(PointEvaluation, AlwaysFailsConsumingAllGas) {
  const auto result = run(10, Bytes(192, 0), 100'000);
  EXPECT_FALSE(result.success);
  EXPECT_EQ(result.gas_used, 100'000u);
  EXPECT_FALSE(run(10, {}, 50'000).success);
}

}  // namespace
}  // namespace tally::chain
