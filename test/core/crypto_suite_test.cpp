#include <cctype>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <tally/core/crypto_suite.hpp>
#include <tally/core/hash.hpp>
#include <tally/core/keccak.hpp>

#include "support/seed.hpp"

namespace tally {
namespace {

Bytes key_one() {
  return from_hex(std::string(63, '0') + "1").value();
}

// A key valid on both curves, with bytes that are easy to spot in output.
const Bytes kSecret =
    from_hex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318").value();

// What GoogleTest prints for a key (on a failing assertion, for a parameter) must be "<secret>":
// without an operator<<, it prints an object as a dump of its bytes ("4C-08 83-A6 ..."). Any
// spelling of the key in hex shows once all but hex digits is dropped and the case folded.
void expect_printed_redacted(const std::string& printed, BytesView secret) {
  EXPECT_NE(printed.find("<secret>"), std::string::npos) << printed;
  std::string digits;
  for (const char c : printed)
    if (std::isxdigit(static_cast<unsigned char>(c)))
      digits += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(digits.find(to_hex(secret, false)), std::string::npos) << printed;
}

TEST(SuiteId, ValuesAndNamesAreFixed) {
  EXPECT_EQ(static_cast<int>(SuiteId::standard), 1);
  EXPECT_EQ(static_cast<int>(SuiteId::guomi), 2);
  EXPECT_EQ(parse_suite_id("standard").value(), SuiteId::standard);
  EXPECT_EQ(parse_suite_id("guomi").value(), SuiteId::guomi);
  EXPECT_EQ(suite_name(SuiteId::standard), "standard");
  EXPECT_EQ(suite_name(SuiteId::guomi), "guomi");
  EXPECT_EQ(suite_id_from_value(1).value(), SuiteId::standard);
  EXPECT_EQ(suite_id_from_value(2).value(), SuiteId::guomi);
  EXPECT_EQ(CryptoSuite::from_name("guomi").value().id(), SuiteId::guomi);
}

TEST(SuiteId, UnknownNamesAndValuesAreRefused) {
  for (const std::string_view name : {"", "Standard", "GUOMI", "sm2", "standard "})
    EXPECT_EQ(parse_suite_id(name).error().code, Errc::invalid_argument) << name;
  for (const int value : {0, 3, 255})
    EXPECT_EQ(suite_id_from_value(static_cast<std::uint8_t>(value)).error().code,
              Errc::unsupported);
}

TEST(CryptoSuite, HashIsKeccakOrSm3) {
  EXPECT_EQ(CryptoSuite(SuiteId::standard).hash(as_bytes("abc")).hex(false),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  EXPECT_EQ(CryptoSuite(SuiteId::guomi).hash(as_bytes("abc")).hex(false),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

TEST(CryptoSuite, AddressesOfPrivateKeyOne) {
  // standard: Ethereum's address of key 1. guomi: the last 20 bytes of SM3 of the SM2 base point
  // (computed with Python's hashlib SM3).
  const CryptoSuite standard(SuiteId::standard);
  const CryptoSuite guomi(SuiteId::guomi);
  EXPECT_EQ(
      standard.address(standard.key_pair_from_private_key(key_one()).value().public_key()).hex(),
      "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");
  EXPECT_EQ(guomi.address(guomi.key_pair_from_private_key(key_one()).value().public_key()).hex(),
            "0xe321dedcc72761be1bbf16159f679ffd98183a69");
}

// The curve key types are checked here beside KeyPair, to share the check.
TEST(SecretPrinting, CurvePrivateKeysPrintRedacted) {
  expect_printed_redacted(
      testing::PrintToString(secp256k1::PrivateKey::from_bytes(kSecret).value()), kSecret);
  expect_printed_redacted(testing::PrintToString(sm2::PrivateKey::from_bytes(kSecret).value()),
                          kSecret);
}

// reveal() and reveal_private_key() return a view into the key, so calling them on a temporary,
// which would leave the view dangling, must not compile.
template <typename T>
concept CanReveal = requires {
  std::declval<T>().reveal();
};
template <typename T>
concept CanRevealPrivateKey = requires {
  std::declval<T>().reveal_private_key();
};
static_assert(CanReveal<const SecretBytes<32>&> && !CanReveal<SecretBytes<32>>);
static_assert(CanReveal<const secp256k1::PrivateKey&> && !CanReveal<secp256k1::PrivateKey>);
static_assert(CanReveal<const sm2::PrivateKey&> && !CanReveal<sm2::PrivateKey>);
static_assert(CanRevealPrivateKey<const KeyPair&> && !CanRevealPrivateKey<KeyPair>);
static_assert(!CanRevealPrivateKey<const KeyPair>);

TEST(CryptoSuite, KeyRangesFollowTheSuiteCurve) {
  // n_sm2 - 1 is below secp256k1's order, so a valid secp256k1 key, but not a valid SM2 key.
  const Bytes key =
      from_hex("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122").value();
  EXPECT_TRUE(CryptoSuite(SuiteId::standard).key_pair_from_private_key(key));
  EXPECT_EQ(CryptoSuite(SuiteId::guomi).key_pair_from_private_key(key).error().code,
            Errc::out_of_range);
}

class EachSuite : public ::testing::TestWithParam<SuiteId> {
 protected:
  CryptoSuite suite_{GetParam()};
};

INSTANTIATE_TEST_SUITE_P(Suites,
                         EachSuite,
                         ::testing::Values(SuiteId::standard, SuiteId::guomi),
                         [](const auto& param_info) {
                           return std::string(suite_name(param_info.param));
                         });

TEST_P(EachSuite, SignRecoverVerifyRoundTrips) {
  const auto seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  for (std::uint64_t round = 0; round < test::property_iterations(10); ++round) {
    Hash256 secret;
    for (Byte& b : secret.bytes)
      b = static_cast<Byte>(rng());
    const auto key_pair = suite_.key_pair_from_private_key(secret.view());
    if (!key_pair)
      continue;  // outside the curve's range: probability ~2^-32 for SM2
    EXPECT_EQ(key_pair->suite(), suite_.id());
    EXPECT_TRUE(std::ranges::equal(key_pair->reveal_private_key(), secret.bytes));
    const Hash256 hash = suite_.hash(as_bytes(std::to_string(rng())));
    const Signature signature = suite_.sign(hash, *key_pair).value();
    EXPECT_EQ(signature.suite(), suite_.id());
    EXPECT_EQ(signature.encoded().size(), Signature::encoded_size(suite_.id()));
    EXPECT_EQ(suite_.recover_signer(hash, signature).value(), key_pair->public_key());
    EXPECT_TRUE(suite_.verify(hash, signature, key_pair->public_key()));
    EXPECT_EQ(Signature::decode(suite_.id(), signature.encoded()).value(), signature);
  }
}

TEST_P(EachSuite, KeyPairsPrintRedacted) {
  expect_printed_redacted(testing::PrintToString(suite_.key_pair_from_private_key(kSecret).value()),
                          kSecret);
}

TEST_P(EachSuite, ResultsHoldingKeysPrintRedacted) {
  const auto key_pair = suite_.key_pair_from_private_key(kSecret);
  ASSERT_TRUE(key_pair);
  expect_printed_redacted(testing::PrintToString(key_pair), kSecret);
}

TEST_P(EachSuite, GeneratedKeyPairsWork) {
  const KeyPair key_pair = suite_.generate_key_pair();
  const Hash256 hash = suite_.hash(as_bytes("generated"));
  const Signature signature = suite_.sign(hash, key_pair).value();
  EXPECT_EQ(suite_.recover_signer(hash, signature).value(), key_pair.public_key());
  const KeyPair again = suite_.key_pair_from_private_key(key_pair.reveal_private_key()).value();
  EXPECT_EQ(again.public_key(), key_pair.public_key());
  EXPECT_NE(suite_.generate_key_pair().public_key(), key_pair.public_key());
}

TEST_P(EachSuite, TamperedHashOrWrongKeyFails) {
  const KeyPair key_pair = suite_.generate_key_pair();
  const KeyPair other = suite_.generate_key_pair();
  Hash256 hash = suite_.hash(as_bytes("pay 100"));
  const Signature signature = suite_.sign(hash, key_pair).value();
  EXPECT_EQ(suite_.verify(hash, signature, other.public_key()).error().code,
            Errc::verification_failed);
  hash.bytes[0] ^= 0x80;
  const auto signer = suite_.recover_signer(hash, signature);
  EXPECT_TRUE(!signer || *signer != key_pair.public_key());
  EXPECT_FALSE(suite_.verify(hash, signature, key_pair.public_key()));
}

TEST_P(EachSuite, EveryByteOfTheSignatureIsBound) {
  const KeyPair key_pair = suite_.generate_key_pair();
  const Hash256 hash = suite_.hash(as_bytes("bound"));
  const Signature signature = suite_.sign(hash, key_pair).value();
  const BytesView encoded = signature.encoded();
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    Bytes altered(encoded.begin(), encoded.end());
    altered[i] ^= 0x01;
    const Signature changed = Signature::decode(suite_.id(), altered).value();
    EXPECT_FALSE(suite_.verify(hash, changed, key_pair.public_key())) << "byte " << i;
  }
}

TEST_P(EachSuite, OtherSuitesKeysAndSignaturesAreRefused) {
  const CryptoSuite other(GetParam() == SuiteId::standard ? SuiteId::guomi : SuiteId::standard);
  const KeyPair foreign_key = other.generate_key_pair();
  const Hash256 hash = suite_.hash(as_bytes("confusion"));
  const auto signed_with_foreign = suite_.sign(hash, foreign_key);
  ASSERT_FALSE(signed_with_foreign);
  EXPECT_EQ(signed_with_foreign.error().code, Errc::invalid_argument);

  const Signature foreign = other.sign(hash, foreign_key).value();
  EXPECT_EQ(suite_.recover_signer(hash, foreign).error().code, Errc::invalid_argument);
  EXPECT_EQ(suite_.verify(hash, foreign, foreign_key.public_key()).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(Signature::decode(suite_.id(), foreign.encoded()).error().code, Errc::malformed);
}

TEST_P(EachSuite, SignAndRecoverFromConcurrentThreads) {
  // One secp256k1 context and one set of OpenSSL objects serve every thread.
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&, t] {
      const KeyPair key_pair = suite_.generate_key_pair();
      for (int i = 0; i < 10; ++i) {
        const Hash256 hash = suite_.hash(as_bytes(std::to_string(i)));
        const auto signature = suite_.sign(hash, key_pair);
        failures[t] += !signature || !suite_.verify(hash, *signature, key_pair.public_key());
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(StandardSuite, SignatureIsEthereumsRsvOverTheHash) {
  const CryptoSuite suite(SuiteId::standard);
  const KeyPair key_pair = suite.key_pair_from_private_key(key_one()).value();
  const Hash256 hash = keccak256(as_bytes("tx"));
  const Signature signature = suite.sign(hash, key_pair).value();
  EXPECT_EQ(signature.standard(),
            secp256k1::sign(hash, secp256k1::PrivateKey::from_bytes(key_one()).value()));
  EXPECT_EQ(signature.encoded()[64], signature.standard().v);
}

TEST(StandardSuite, HighSIsRefused) {
  const CryptoSuite suite(SuiteId::standard);
  const KeyPair key_pair = suite.generate_key_pair();
  const Hash256 hash = suite.hash(as_bytes("malleable"));
  secp256k1::Signature twin = suite.sign(hash, key_pair).value().standard();
  // s -> n - s, v -> 1 - v: the same ECDSA signature in its high-s form.
  const Hash256 order =
      Hash256::from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141").value();
  int borrow = 0;
  for (std::size_t i = 32; i-- > 0;) {
    const int difference = order.bytes[i] - twin.s.bytes[i] - borrow;
    twin.s.bytes[i] = static_cast<Byte>(difference & 0xff);
    borrow = difference < 0 ? 1 : 0;
  }
  twin.v ^= 1;
  const Signature high = Signature::from_standard(twin);
  EXPECT_EQ(suite.recover_signer(hash, high).error().code, Errc::verification_failed);
  EXPECT_EQ(secp256k1::recover(hash, twin, secp256k1::HighS::allow).value(), key_pair.public_key());
}

TEST(GuomiSuite, SignatureIsPlainSm2OverTheHashBytesWithTheKeyAttached) {
  const CryptoSuite suite(SuiteId::guomi);
  const KeyPair key_pair = suite.generate_key_pair();
  const Hash256 hash = sm3(as_bytes("tx"));
  const Signature signature = suite.sign(hash, key_pair).value();
  EXPECT_EQ(signature.guomi_public_key(), key_pair.public_key());
  EXPECT_TRUE(
      sm2::verify(hash.view(), signature.guomi(), key_pair.public_key(), sm2::kDefaultUserId));
  EXPECT_TRUE(std::ranges::equal(signature.encoded().last(64), key_pair.public_key().bytes));
}

TEST(GuomiSuite, SwappedEmbeddedKeyIsRefused) {
  const CryptoSuite suite(SuiteId::guomi);
  const KeyPair signer = suite.generate_key_pair();
  const KeyPair impostor = suite.generate_key_pair();
  const Hash256 hash = suite.hash(as_bytes("who signed"));
  const Signature genuine = suite.sign(hash, signer).value();
  const Signature swapped = Signature::from_guomi(genuine.guomi(), impostor.public_key());
  EXPECT_EQ(suite.recover_signer(hash, swapped).error().code, Errc::verification_failed);
}

}  // namespace
}  // namespace tally
