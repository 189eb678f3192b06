#include <random>
#include <sstream>

#include <boost/json.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <gtest/gtest.h>

#include <tally/core/keccak.hpp>
#include <tally/core/secp256k1.hpp>

#include "support/seed.hpp"
#include "support/testdata.hpp"

namespace tally::secp256k1 {
namespace {

using boost::multiprecision::cpp_int;

const cpp_int kOrder("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

Hash256 to_hash(const cpp_int& value) {
  Hash256 out;
  cpp_int rest = value;
  for (std::size_t i = 32; i-- > 0;) {
    out.bytes[i] = static_cast<Byte>(rest & 0xff);
    rest >>= 8;
  }
  return out;
}

cpp_int to_int(const Hash256& value) {
  cpp_int out;
  for (const Byte b : value.bytes)
    out = (out << 8) | b;
  return out;
}

Hash256 hash_hex(std::string_view hex) {
  return Hash256::from_hex(hex).value();
}

PrivateKey key_hex(std::string_view hex) {
  return PrivateKey::from_bytes(hash_hex(hex).view()).value();
}

// Ethereum's address: the last 20 bytes of keccak256 of the 64-byte public key.
std::string eth_address(const PublicKey& public_key) {
  const Hash256 digest = keccak256(public_key.view());
  return to_hex(BytesView(digest.bytes).last(20));
}

// The same signature with s replaced by n - s and the recovery id flipped: still valid ECDSA.
Signature high_s_twin(const Signature& signature) {
  Signature out = signature;
  out.s = to_hash(kOrder - to_int(signature.s));
  out.v ^= 1;
  return out;
}

TEST(Secp256k1, KeyOneGivesTheGenerator) {
  const PublicKey g = derive_public_key(key_hex(std::string(63, '0') + "1"));
  EXPECT_EQ(g.hex(false),
            "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
}

TEST(Secp256k1, KnownPrivateKeysGiveKnownAddresses) {
  struct Case {
    std::string_view key;
    std::string_view address;  // lower-case form of the EIP-55 address
  };
  const Case cases[] = {
      {"0000000000000000000000000000000000000000000000000000000000000001",
       "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf"},
      {"0000000000000000000000000000000000000000000000000000000000000002",
       "0x2b5ad5c4795c026514f8317c7a215e218dccd6cf"},
      {"0000000000000000000000000000000000000000000000000000000000000003",
       "0x6813eb9362372eef6200f3b1dbc3f819671cba69"},
      // web3.js documentation's example account.
      {"4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
       "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23"},
      // Hardhat and Anvil's first default account.
      {"ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
       "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"},
  };
  for (const Case& c : cases)
    EXPECT_EQ(eth_address(derive_public_key(key_hex(c.key))), c.address) << c.key;
}

// ethereum/tests BasicTests/keyaddrtest.json: brain-wallet keys and their addresses. (Its
// "sig_of_emptystring" entries are not used: the digest they sign is not documented, and they
// recover to the key neither from keccak256("") nor from other obvious candidates.)
TEST(Secp256k1, EthereumTestsKeyAddressVectors) {
  const auto cases = test::read_json(test::testdata_dir() / "eth/BasicTests/keyaddrtest.json");
  ASSERT_EQ(cases.as_array().size(), 2u);
  for (const auto& entry : cases.as_array()) {
    const auto& c = entry.as_object();
    const std::string key(c.at("key").as_string());
    const std::string address = "0x" + std::string(c.at("addr").as_string());
    EXPECT_EQ(eth_address(derive_public_key(key_hex(key))), address) << key;
  }
}

TEST(Secp256k1, Rfc6979KnownSignature) {
  // Key 1 signing sha256("Satoshi Nakamoto"), a vector shared by several secp256k1 libraries'
  // RFC 6979 test suites.
  const Signature signature =
      sign(hash_hex("a0dc65ffca799873cbea0ac274015b9526505daaaed385155425f7337704883e"),
           key_hex("0000000000000000000000000000000000000000000000000000000000000001"));
  EXPECT_EQ(signature.r.hex(false),
            "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8");
  EXPECT_EQ(signature.s.hex(false),
            "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5");
}

TEST(Secp256k1, PrivateKeyMustBeAScalarBelowTheOrder) {
  const auto refused = [](std::string_view hex) {
    const auto bytes = from_hex(hex).value();
    const auto key = PrivateKey::from_bytes(bytes);
    return !key && key.error().code == Errc::out_of_range;
  };
  EXPECT_TRUE(refused(std::string(64, '0')));
  EXPECT_TRUE(refused("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"));
  EXPECT_TRUE(refused("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142"));
  EXPECT_TRUE(refused(std::string(64, 'f')));
  EXPECT_TRUE(refused(std::string(62, '1')));
  EXPECT_TRUE(refused(std::string(66, '1')));
  EXPECT_TRUE(PrivateKey::from_bytes(
      hash_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140").view()));
}

TEST(Secp256k1, SignRecoverVerifyRoundTrips) {
  const auto seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  for (std::uint64_t round = 0; round < test::property_iterations(50); ++round) {
    Hash256 secret;
    Hash256 digest;
    for (std::size_t i = 0; i < 32; ++i) {
      secret.bytes[i] = static_cast<Byte>(rng());
      digest.bytes[i] = static_cast<Byte>(rng());
    }
    const auto key = PrivateKey::from_bytes(secret.view());
    ASSERT_TRUE(key);  // invalid with probability 2^-128
    const PublicKey public_key = derive_public_key(*key);
    const Signature signature = sign(digest, *key);
    EXPECT_TRUE(is_low_s(signature.s));
    EXPECT_LE(signature.v, 1);
    EXPECT_EQ(sign(digest, *key), signature) << "RFC 6979 signing is deterministic";
    EXPECT_EQ(recover(digest, signature).value(), public_key);
    EXPECT_TRUE(verify(digest, signature, public_key));
    EXPECT_EQ(Signature::decode(signature.encode().view()).value(), signature);
  }
}

TEST(Secp256k1, GeneratedKeysSignAndRecover) {
  const PrivateKey key = PrivateKey::generate();
  const Hash256 digest = keccak256(as_bytes("generated"));
  EXPECT_EQ(recover(digest, sign(digest, key)).value(), derive_public_key(key));
  EXPECT_NE(derive_public_key(PrivateKey::generate()), derive_public_key(key));
}

TEST(Secp256k1, HighSIsRefusedUnlessAllowed) {
  const PrivateKey key =
      key_hex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
  const PublicKey public_key = derive_public_key(key);
  const Hash256 digest = keccak256(as_bytes("high s"));
  const Signature twin = high_s_twin(sign(digest, key));
  EXPECT_FALSE(is_low_s(twin.s));

  const auto refused = recover(digest, twin);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::verification_failed);
  EXPECT_NE(refused.error().message.find("EIP-2"), std::string::npos);
  EXPECT_EQ(verify(digest, twin, public_key).error().code, Errc::verification_failed);

  EXPECT_EQ(recover(digest, twin, HighS::allow).value(), public_key);
  EXPECT_TRUE(verify(digest, twin, public_key, HighS::allow));
}

TEST(Secp256k1, TamperedDigestRecoversAnotherKey) {
  const PrivateKey key =
      key_hex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  const PublicKey public_key = derive_public_key(key);
  Hash256 digest = keccak256(as_bytes("pay 100"));
  const Signature signature = sign(digest, key);
  digest.bytes[31] ^= 1;
  const auto recovered = recover(digest, signature);
  EXPECT_TRUE(!recovered || *recovered != public_key);
  EXPECT_EQ(verify(digest, signature, public_key).error().code, Errc::verification_failed);
}

TEST(Secp256k1, WrongRecoveryIdRecoversAnotherKey) {
  const PrivateKey key = key_hex(std::string(63, '0') + "7");
  const Hash256 digest = keccak256(as_bytes("v"));
  Signature signature = sign(digest, key);
  signature.v ^= 1;
  const auto recovered = recover(digest, signature);
  EXPECT_TRUE(!recovered || *recovered != derive_public_key(key));
}

TEST(Secp256k1, RecoveryIdsAboveOneAreRefused) {
  const PrivateKey key = key_hex(std::string(63, '0') + "7");
  const Hash256 digest = keccak256(as_bytes("v"));
  for (const int v : {2, 3, 27, 28, 255}) {
    Signature signature = sign(digest, key);
    signature.v = static_cast<std::uint8_t>(v);
    const auto recovered = recover(digest, signature, HighS::allow);
    ASSERT_FALSE(recovered) << v;
    EXPECT_EQ(recovered.error().code, Errc::malformed);
    EXPECT_NE(recovered.error().message.find("recovery id"), std::string::npos);
    EXPECT_EQ(verify(digest, signature, derive_public_key(key)).error().code, Errc::malformed);
  }
}

TEST(Secp256k1, ROrSOutsideTheScalarRangeIsRefused) {
  const PrivateKey key = key_hex(std::string(63, '0') + "5");
  const PublicKey public_key = derive_public_key(key);
  const Hash256 digest = keccak256(as_bytes("range"));
  const Signature good = sign(digest, key);
  const Hash256 zero{};
  const Hash256 order = to_hash(kOrder);
  const Hash256 above = to_hash(kOrder + 5);
  for (const Hash256& bad : {zero, order, above}) {
    Signature bad_r = good;
    bad_r.r = bad;
    Signature bad_s = good;
    bad_s.s = bad;
    for (const Signature& signature : {bad_r, bad_s}) {
      EXPECT_EQ(recover(digest, signature, HighS::allow).error().code, Errc::malformed);
      EXPECT_EQ(verify(digest, signature, public_key, HighS::allow).error().code, Errc::malformed);
    }
  }
}

TEST(Secp256k1, VerifyRefusesOtherKeysAndPointsOffTheCurve) {
  const PrivateKey key = key_hex(std::string(63, '0') + "9");
  const Hash256 digest = keccak256(as_bytes("who"));
  const Signature signature = sign(digest, key);
  const PublicKey other = derive_public_key(key_hex(std::string(63, '0') + "a"));
  EXPECT_EQ(verify(digest, signature, other).error().code, Errc::verification_failed);
  PublicKey off_curve = derive_public_key(key);
  off_curve.bytes[63] ^= 1;
  EXPECT_EQ(verify(digest, signature, off_curve).error().code, Errc::malformed);
}

TEST(Secp256k1, SignatureEncodingIsRSV) {
  const auto bytes = from_hex(std::string(64, 'a') + std::string(64, 'b') + "01").value();
  const Signature signature = Signature::decode(bytes).value();
  EXPECT_EQ(signature.r, hash_hex(std::string(64, 'a')));
  EXPECT_EQ(signature.s, hash_hex(std::string(64, 'b')));
  EXPECT_EQ(signature.v, 1);
  EXPECT_EQ(signature.encode().view().size(), 65u);
  EXPECT_TRUE(std::ranges::equal(signature.encode().view(), bytes));
  EXPECT_EQ(Signature::decode(BytesView(bytes).first(64)).error().code, Errc::malformed);
}

TEST(Secp256k1, PrivateKeysPrintRedacted) {
  std::ostringstream out;
  const SecretBytes<32> secret(hash_hex(std::string(64, '7')).view());
  out << secret;
  EXPECT_EQ(out.str(), "<secret>");
}

}  // namespace
}  // namespace tally::secp256k1
