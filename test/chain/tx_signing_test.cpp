#include <future>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/transaction.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/str_cat.hpp>

#include "tx_samples.hpp"

namespace tally::chain {
namespace {

using samples::kAllSuites;
using samples::kAllTypes;

// EIP-155's own example: key 0x4646..46 signs nonce 9, 20 gwei, 21000 gas, 1 ether to 0x3535..35
// on chain 1. RFC 6979 makes the signature, hence the whole tx, deterministic.
TEST(TxSigning, ReproducesTheEip155Example) {
  TxFields fields = samples::transfer(TxType::legacy, 9);
  fields.chain_id = 1;
  EXPECT_EQ(to_hex(signing_payload(fields)),
            "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000"
            "80018080");
  EXPECT_EQ(signing_hash(CryptoSuite(SuiteId::standard), fields).hex(),
            "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");

  const auto tx = sign_tx(fields, samples::key_pair(SuiteId::standard, samples::kKeyA));
  ASSERT_TRUE(tx.has_value()) << tx.error();
  EXPECT_EQ(to_hex(tx->encoded()),
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400"
            "008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d899"
            "7f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
  const auto verified = recover_sender(*tx);
  ASSERT_TRUE(verified.has_value()) << verified.error();
  EXPECT_EQ(verified->sender(), samples::address_of("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f"));
}

TEST(TxSigning, PreEip155LegacyTxHasNoChainIdInItsPayloadAndV27Or28) {
  TxFields fields = samples::transfer(TxType::legacy);
  fields.chain_id.reset();
  const Bytes payload = signing_payload(fields);
  EXPECT_EQ(payload.size(), 1 + 6 + 1 + 3 + 21 + 9 + 1u);  // six items, no chain id, no 0, 0
  const auto tx = sign_tx(fields, samples::key_pair(SuiteId::standard, samples::kKeyA)).value();
  const Byte v = tx.encoded()[tx.encoded().size() - 67];  // v, then r and s of 33 bytes each
  EXPECT_TRUE(v == 27 || v == 28) << int{v};
  EXPECT_EQ(recover_sender(tx).value().sender(),
            CryptoSuite(SuiteId::standard)
                .address(samples::key_pair(SuiteId::standard, samples::kKeyA).public_key()));
}

TEST(TxSigning, TypedPayloadIsTheTypeByteThenTheUnsignedList) {
  const TxFields fields = samples::call(TxType::dynamic_fee);
  const Bytes payload = signing_payload(fields);
  ASSERT_FALSE(payload.empty());
  EXPECT_EQ(payload[0], 0x02);
  EXPECT_GE(payload[1], 0xc0);
  // The guomi suite signs the same bytes, hashed with SM3.
  EXPECT_EQ(signing_hash(CryptoSuite(SuiteId::guomi), fields),
            CryptoSuite(SuiteId::guomi).hash(payload));
  EXPECT_NE(signing_hash(CryptoSuite(SuiteId::guomi), fields),
            signing_hash(CryptoSuite(SuiteId::standard), fields));
}

class EveryTypeAndSuite : public ::testing::TestWithParam<std::tuple<SuiteId, TxType>> {
 protected:
  SuiteId suite() const { return std::get<0>(GetParam()); }
  TxType type() const { return std::get<1>(GetParam()); }
  KeyPair keys() const { return samples::key_pair(suite(), samples::kKeyB); }
  Address signer() const { return CryptoSuite(suite()).address(keys().public_key()); }
};

TEST_P(EveryTypeAndSuite, SignedTxRecoversItsSigner) {
  for (const TxFields& fields : {samples::transfer(type()), samples::call(type())}) {
    const auto tx = sign_tx(fields, keys());
    ASSERT_TRUE(tx.has_value()) << tx.error();
    EXPECT_EQ(tx->suite(), suite());
    EXPECT_EQ(tx->fields(), fields);
    EXPECT_EQ(tx->hash(), CryptoSuite(suite()).hash(tx->encoded()));
    const auto verified = recover_sender(*tx);
    ASSERT_TRUE(verified.has_value()) << verified.error();
    EXPECT_EQ(verified->sender(), signer());
    EXPECT_EQ(verified->tx(), *tx);
  }
}

TEST_P(EveryTypeAndSuite, DecodeOfEncodeIsTheSameTx) {
  const Transaction tx = sign_tx(samples::call(type()), keys()).value();
  const auto decoded = Transaction::decode(CryptoSuite(suite()), tx.encoded());
  ASSERT_TRUE(decoded.has_value()) << decoded.error();
  EXPECT_EQ(*decoded, tx);
  const auto rebuilt =
      Transaction::from_parts(CryptoSuite(suite()), decoded->fields(), decoded->signature());
  ASSERT_TRUE(rebuilt.has_value()) << rebuilt.error();
  EXPECT_TRUE(std::ranges::equal(rebuilt->encoded(), tx.encoded()));
}

// A changed byte must never pass as the original sender's tx. Guomi is stricter: the signature
// covers every byte but itself and binds the embedded key, so any change fails; a standard
// signature always recovers some key, so a change there may yield another (wrong) sender.
TEST_P(EveryTypeAndSuite, AnyChangedByteFailsOrChangesHashAndSender) {
  const Transaction tx = sign_tx(samples::call(type()), keys()).value();
  const Bytes original(tx.encoded().begin(), tx.encoded().end());
  std::size_t refused = 0;
  std::size_t tried = 0;
  for (std::size_t i = 0; i < original.size(); ++i) {
    for (const Byte mask : {Byte{0x01}, Byte{0x80}, Byte{0xff}}) {
      Bytes changed = original;
      changed[i] ^= mask;
      ++tried;
      SCOPED_TRACE(str_cat("byte ", i, " xor ", mask));
      const auto decoded = Transaction::decode(CryptoSuite(suite()), changed);
      if (!decoded) {
        ++refused;
        continue;
      }
      EXPECT_NE(decoded->hash(), tx.hash());
      const auto verified = recover_sender(*decoded);
      if (!verified) {
        ++refused;
        continue;
      }
      EXPECT_NE(suite(), SuiteId::guomi) << "a changed guomi tx verified";
      EXPECT_NE(verified->sender(), signer());
    }
  }
  if (suite() == SuiteId::guomi)
    EXPECT_EQ(refused, tried);
  else
    EXPECT_GT(refused, 0u);  // header, length and signature-value changes at least
}

INSTANTIATE_TEST_SUITE_P(TxSigning,
                         EveryTypeAndSuite,
                         ::testing::Combine(::testing::ValuesIn(kAllSuites),
                                            ::testing::ValuesIn(kAllTypes)),
                         [](const auto& param_info) {
                           return str_cat(suite_name(std::get<0>(param_info.param)), "_",
                                          static_cast<int>(std::get<1>(param_info.param)));
                         });

TEST(TxSigning, GuomiTxCarriesTheSignersPublicKey) {
  const KeyPair keys = samples::key_pair(SuiteId::guomi, samples::kKeyA);
  const Transaction tx = sign_tx(samples::transfer(TxType::dynamic_fee), keys).value();
  EXPECT_EQ(tx.signature().guomi_public_key(), keys.public_key());
  // The address is the last 20 bytes of SM3(public key).
  const Hash256 digest = CryptoSuite(SuiteId::guomi).hash(keys.public_key().view());
  EXPECT_TRUE(std::ranges::equal(recover_sender(tx).value().sender().bytes,
                                 BytesView(digest.bytes).last(20)));
}

TEST(TxSigning, GuomiTxWithAnotherValidKeyEmbeddedFailsVerification) {
  const KeyPair signer = samples::key_pair(SuiteId::guomi, samples::kKeyA);
  const KeyPair other = samples::key_pair(SuiteId::guomi, samples::kKeyB);
  const Transaction tx = sign_tx(samples::transfer(TxType::legacy), signer).value();
  // Same r and s, the other key's public key in place of the signer's.
  const Signature swapped = Signature::from_guomi(tx.signature().guomi(), other.public_key());
  const auto forged = Transaction::from_parts(CryptoSuite(SuiteId::guomi), tx.fields(), swapped);
  ASSERT_TRUE(forged.has_value()) << forged.error();
  const auto verified = recover_sender(*forged);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, Errc::verification_failed);
  EXPECT_NE(verified.error().message.find("sender"), std::string::npos) << verified.error();
}

TEST(TxSigning, RefusesFieldsOfTheWrongShape) {
  const KeyPair standard = samples::key_pair(SuiteId::standard, samples::kKeyA);
  const KeyPair guomi = samples::key_pair(SuiteId::guomi, samples::kKeyA);
  const auto refused = [](const TxFields& fields, const KeyPair& keys, std::string_view field) {
    const auto tx = sign_tx(fields, keys);
    ASSERT_FALSE(tx.has_value());
    EXPECT_EQ(tx.error().code, Errc::invalid_argument);
    EXPECT_NE(tx.error().message.find(field), std::string::npos) << tx.error();
  };
  TxFields typed_without_chain = samples::transfer(TxType::dynamic_fee);
  typed_without_chain.chain_id.reset();
  refused(typed_without_chain, standard, "chain id");
  TxFields guomi_legacy_without_chain = samples::transfer(TxType::legacy);
  guomi_legacy_without_chain.chain_id.reset();
  refused(guomi_legacy_without_chain, guomi, "chain id");
  TxFields legacy_with_list = samples::call(TxType::access_list);
  legacy_with_list.type = TxType::legacy;
  refused(legacy_with_list, standard, "access list");
  TxFields two_prices = samples::transfer(TxType::access_list);
  two_prices.max_priority_fee_per_gas = 1;
  refused(two_prices, standard, "gas price");
  TxFields unknown = samples::transfer(TxType::legacy);
  unknown.type = static_cast<TxType>(3);
  refused(unknown, standard, "tx type 3");
}

TEST(TxSigning, FromPartsRefusesTheOtherSuitesSignatureAndBadValues) {
  const Transaction tx = sign_tx(samples::transfer(TxType::dynamic_fee),
                                 samples::key_pair(SuiteId::standard, samples::kKeyA))
                             .value();
  const auto wrong_suite =
      Transaction::from_parts(CryptoSuite(SuiteId::guomi), tx.fields(), tx.signature());
  ASSERT_FALSE(wrong_suite.has_value());
  EXPECT_EQ(wrong_suite.error().code, Errc::invalid_argument);

  secp256k1::Signature parts = tx.signature().standard();
  parts.r = Hash256{};
  const auto zero_r = Transaction::from_parts(CryptoSuite(SuiteId::standard), tx.fields(),
                                              Signature::from_standard(parts));
  ASSERT_FALSE(zero_r.has_value());
  EXPECT_EQ(zero_r.error().message, "EIP-1559 tx: signature: r is not in [1, n-1]");
}

// The thread-safety contract of tx_signing.hpp: txs recovered on several threads at once give the
// senders a single thread gives, and one VerifiedTx is then read from every thread.
TEST(TxSigning, SendersRecoverInParallelThreads) {
  constexpr std::size_t kTxs = 64;
  constexpr std::size_t kThreads = 4;
  for (const SuiteId suite : kAllSuites) {
    std::vector<KeyPair> keys;
    std::vector<Transaction> txs;
    for (std::size_t i = 0; i < kTxs; ++i) {
      keys.push_back(CryptoSuite(suite).generate_key_pair());
      txs.push_back(sign_tx(samples::transfer(kAllTypes[i % 3], i), keys.back()).value());
    }
    std::vector<std::future<std::vector<Address>>> workers;
    for (std::size_t t = 0; t < kThreads; ++t) {
      workers.push_back(std::async(std::launch::async, [&txs, t] {
        std::vector<Address> senders;
        for (std::size_t i = t; i < txs.size(); i += kThreads)
          senders.push_back(recover_sender(txs[i]).value().sender());
        return senders;
      }));
    }
    for (std::size_t t = 0; t < kThreads; ++t) {
      const std::vector<Address> senders = workers[t].get();
      for (std::size_t j = 0; j < senders.size(); ++j)
        EXPECT_EQ(senders[j], CryptoSuite(suite).address(keys[t + j * kThreads].public_key()));
    }

    const auto shared = std::make_shared<const VerifiedTx>(recover_sender(txs[0]).value());
    std::vector<std::future<bool>> readers;
    for (std::size_t t = 0; t < kThreads; ++t) {
      readers.push_back(std::async(std::launch::async, [shared] {
        return recover_sender(shared->tx()).value() == *shared;
      }));
    }
    for (auto& reader : readers)
      EXPECT_TRUE(reader.get());
  }
}

}  // namespace
}  // namespace tally::chain
