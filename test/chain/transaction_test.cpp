// The tx wire format (transaction.hpp, ../schemas/transactions.md): the documented examples, and
// what strict decoding refuses, with the envelope and field it names.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <tally/chain/transaction.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/str_cat.hpp>

#include "tx_samples.hpp"

namespace tally::chain {
namespace {

// The examples of schemas/transactions.md: samples::transfer(type, nonce 0) on chain 1337, signed
// with key B. The standard ones are deterministic (RFC 6979); the guomi ones were signed once
// (SM2 nonces are random) and checked with `openssl pkeyutl -verify -digest sm3` as the document
// shows.
constexpr std::string_view kStandardLegacyExample =
    "0xf86e808504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080820a"
    "95a0f2188a55aee4ef9a3d2cbfe871e353adf6bd4b3a0140993398239f70cc3bcfb1a02dca33e0ce37c2cb3690"
    "738506f6c96845f81077aa38ec7c08ae1d1e61a290eb";
constexpr std::string_view kStandardDynamicFeeExample =
    "0x02f8758205398084773594008506fc23ac00825208943535353535353535353535353535353535353535880d"
    "e0b6b3a764000080c080a06bc44fa8f93b2da99940f4af9dce848fa26bc79891e6f552fd6e530ba81255c2a06a"
    "ef96bf17e8f3728b8a1330d0613866c16a03711fd756f9d6419311b881887f";
constexpr std::string_view kGuomiLegacyExample =
    "0xf8b0808504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000808205"
    "39a0f73583444a1727ec1d9573c4eb520f09ae71029fbfee2fac2c92791c0246c0d7a0282823477cd81de743a3"
    "96d9e049b4a18826416dda20cfb021809f53f1fbe749b84046d1086f6e5c938447f05280db707c279a7b459c38"
    "f19e4d9a30ad2dadf9f28af45fc1dc5b377736b57e97e7e0563ccca24c97f440e1d137e5941d84d2eb43c9";
constexpr std::string_view kGuomiDynamicFeeExample =
    "0x02f8b68205398084773594008506fc23ac00825208943535353535353535353535353535353535353535880d"
    "e0b6b3a764000080c0a0cb6a5b0556ba8b485feaf1eecf2898081df213350fc48c2c166d959b13ad68dba09494"
    "6e34e3dd11ea08ec344171428a7777ebc05bd987c28bda00b76062cd1b86b84046d1086f6e5c938447f05280db"
    "707c279a7b459c38f19e4d9a30ad2dadf9f28af45fc1dc5b377736b57e97e7e0563ccca24c97f440e1d137e594"
    "1d84d2eb43c9";
constexpr std::string_view kGuomiPublicKeyB =
    "0x46d1086f6e5c938447f05280db707c279a7b459c38f19e4d9a30ad2dadf9f28af45fc1dc5b377736b57e97e7e0"
    "563ccca24c97f440e1d137e5941d84d2eb43c9";

struct Example {
  SuiteId suite;
  TxType type;
  std::string_view raw;
  std::string_view hash;
  std::string_view sender;
  std::string_view signing_hash;
};

constexpr std::string_view kLegacyPayload =
    "0xee808504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008082053980"
    "80";
constexpr std::string_view kDynamicFeePayload =
    "0x02f28205398084773594008506fc23ac00825208943535353535353535353535353535353535353535880de0b6"
    "b3a764000080c0";

constexpr Example kExamples[] = {
    {SuiteId::standard, TxType::legacy, kStandardLegacyExample,
     "0x93824a30d2a79bc3c6a9ac6f1a02fb2777cfc1eb9b148497be5ef653b9a24723",
     "0x6370ef2f4db3611d657b90667de398a2cc2a370c",
     "0xf971e0dc030c93af47f40a6f2a120fc3ec2b170573427f196937f9239a9a5fb3"},
    {SuiteId::standard, TxType::dynamic_fee, kStandardDynamicFeeExample,
     "0x5f833994a62ce4077beaef8369206ba1d6b41095add01b49fa1abe05752d0892",
     "0x6370ef2f4db3611d657b90667de398a2cc2a370c",
     "0x992ca9a9b76285b8adcead1c8148f05af3d6604bf88edd3fde7f7c178daafcae"},
    {SuiteId::guomi, TxType::legacy, kGuomiLegacyExample,
     "0x634720404a73fead1009773c211e74a4264378abe2c833f142eba622b5a4abf9",
     "0xe461b47a25a8f7a66f34e324de176ad27a14ade5",
     "0x36229bf74c6660d61a47226416016eac7c9c31617301042389281447c8e8be25"},
    {SuiteId::guomi, TxType::dynamic_fee, kGuomiDynamicFeeExample,
     "0x9a47722e85862706a6fd0baab6f81705fa3ffd8fd902f11783f9b3e639eba841",
     "0xe461b47a25a8f7a66f34e324de176ad27a14ade5",
     "0x1e1d399528d7a736abb89eb4e24a201ec52a8041e690fb886119af22b7ffbf26"},
};

TEST(Transaction, DocumentedExamplesDecodeToTheirFieldsHashAndSender) {
  for (const Example& example : kExamples) {
    SCOPED_TRACE(example.raw);
    const Bytes raw = from_hex(example.raw).value();
    const auto tx = Transaction::decode(CryptoSuite(example.suite), raw);
    ASSERT_TRUE(tx.has_value()) << tx.error();
    EXPECT_EQ(tx->fields(), samples::transfer(example.type, 0));
    EXPECT_EQ(to_hex(signing_payload(tx->fields())),
              example.type == TxType::legacy ? kLegacyPayload : kDynamicFeePayload);
    EXPECT_EQ(signing_hash(CryptoSuite(example.suite), tx->fields()).hex(), example.signing_hash);
    EXPECT_EQ(tx->hash().hex(), example.hash);
    const auto verified = recover_sender(*tx);
    ASSERT_TRUE(verified.has_value()) << verified.error();
    EXPECT_EQ(verified->sender().hex(), example.sender);
    if (example.suite == SuiteId::guomi) {
      EXPECT_EQ(tx->signature().guomi_public_key().hex(), kGuomiPublicKeyB);
    }
  }
}

TEST(Transaction, StandardExamplesAreWhatSigningGives) {
  const KeyPair keys = samples::key_pair(SuiteId::standard, samples::kKeyB);
  EXPECT_EQ(to_hex(sign_tx(samples::transfer(TxType::legacy, 0), keys).value().encoded()),
            kStandardLegacyExample);
  EXPECT_EQ(to_hex(sign_tx(samples::transfer(TxType::dynamic_fee, 0), keys).value().encoded()),
            kStandardDynamicFeeExample);
}

TEST(Transaction, LegacyVCarriesTheChainIdAndParity) {
  const KeyPair keys = samples::key_pair(SuiteId::standard, samples::kKeyA);
  for (const std::optional<std::uint64_t> chain_id :
       {std::optional<std::uint64_t>(), std::optional<std::uint64_t>(0),
        std::optional<std::uint64_t>(1), std::optional<std::uint64_t>(UINT64_MAX)}) {
    TxFields fields = samples::transfer(TxType::legacy);
    fields.chain_id = chain_id;
    const Transaction tx = sign_tx(fields, keys).value();
    const auto decoded = Transaction::decode(CryptoSuite(SuiteId::standard), tx.encoded());
    ASSERT_TRUE(decoded.has_value()) << decoded.error();
    EXPECT_EQ(decoded->fields().chain_id, chain_id);
    EXPECT_EQ(*decoded, tx);
  }
}

// A signed tx taken apart into its type byte and RLP items, changed, and put back together.
struct Envelope {
  std::optional<Byte> type;
  RlpItem list;

  static Envelope of(const Transaction& tx) {
    const BytesView raw = tx.encoded();
    if (tx.type() == TxType::legacy)
      return {std::nullopt, rlp_decode(raw).value()};
    return {raw[0], rlp_decode(raw.subspan(1)).value()};
  }
  Bytes bytes() const {
    Bytes out;
    if (type)
      out.push_back(*type);
    const Bytes list_bytes = rlp_encode(list);
    out.insert(out.end(), list_bytes.begin(), list_bytes.end());
    return out;
  }
  RlpItem& item(std::size_t index) { return list.items.at(index); }
};

Envelope signed_envelope(SuiteId suite, TxType type) {
  return Envelope::of(
      sign_tx(samples::call(type), samples::key_pair(suite, samples::kKeyA)).value());
}

RlpItem uint_item(std::string_view hex) {
  return RlpItem::string(from_hex(hex).value());
}

struct Refusal {
  std::string name;
  SuiteId suite;
  TxType type;
  std::function<void(Envelope&)> change;
  Errc code;
  std::string_view message;  // a part of the message
};

// secp256k1's n and n - 1; SM2's n.
constexpr std::string_view kSecpN =
    "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
constexpr std::string_view kSecpNMinus1 =
    "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";
constexpr std::string_view kSm2N =
    "0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123";

// Item indices: standard EIP-1559 [chainId 0, nonce 1, tip 2, max fee 3, gas 4, to 5, value 6,
// data 7, access list 8, y parity 9, r 10, s 11]; standard legacy [nonce 0 .. data 5, v 6, r 7,
// s 8]; guomi legacy [.. data 5, chainId 6, r 7, s 8, public key 9].
std::vector<Refusal> refusals() {
  const SuiteId kStd = SuiteId::standard;
  const SuiteId kGm = SuiteId::guomi;
  const TxType k1559 = TxType::dynamic_fee;
  const TxType kLegacy = TxType::legacy;
  return {
      {"chain_id_wider_than_64_bits", kStd, k1559,
       [](Envelope& e) { e.item(0) = uint_item("0x010000000000000000"); }, Errc::out_of_range,
       "EIP-1559 tx: chain id: rlp: offset"},
      {"nonce_with_leading_zero", kStd, k1559, [](Envelope& e) { e.item(1) = uint_item("0x0007"); },
       Errc::malformed, "EIP-1559 tx: nonce: rlp: offset 6: integer has a leading zero byte"},
      {"max_fee_of_33_bytes", kStd, k1559,
       [](Envelope& e) { e.item(3) = uint_item("0x01" + std::string(64, '0')); },
       Errc::out_of_range, "EIP-1559 tx: max fee per gas"},
      {"gas_limit_as_list", kStd, k1559, [](Envelope& e) { e.item(4) = RlpItem::list({}); },
       Errc::malformed, "EIP-1559 tx: gas limit"},
      {"to_of_19_bytes", kStd, k1559,
       [](Envelope& e) { e.item(5) = uint_item("0x" + std::string(38, '1')); }, Errc::malformed,
       "EIP-1559 tx: to: 19 bytes"},
      {"data_as_list", kStd, k1559, [](Envelope& e) { e.item(7) = RlpItem::list({}); },
       Errc::malformed, "EIP-1559 tx: data"},
      {"access_list_as_string", kStd, k1559, [](Envelope& e) { e.item(8) = RlpItem::string({}); },
       Errc::malformed, "EIP-1559 tx: access list: rlp"},
      {"access_list_entry_of_three_items", kStd, k1559,
       [](Envelope& e) { e.item(8).items[0].items.push_back(RlpItem::list({})); }, Errc::malformed,
       "EIP-1559 tx: access list entry 0: rlp"},
      {"access_list_address_of_21_bytes", kStd, k1559,
       [](Envelope& e) { e.item(8).items[1].items[0].bytes.push_back(0); }, Errc::malformed,
       "EIP-1559 tx: access list entry 1: address"},
      {"storage_key_of_31_bytes", kStd, k1559,
       [](Envelope& e) { e.item(8).items[0].items[1].items[1].bytes.pop_back(); }, Errc::malformed,
       "EIP-1559 tx: access list entry 0: storage key 1"},
      {"y_parity_2", kStd, k1559, [](Envelope& e) { e.item(9) = RlpItem::uint(2); },
       Errc::malformed, "EIP-1559 tx: y parity 2 is not 0 or 1"},
      {"y_parity_written_0x00", kStd, k1559, [](Envelope& e) { e.item(9) = uint_item("0x00"); },
       Errc::malformed, "EIP-1559 tx: y parity"},
      {"r_zero", kStd, k1559, [](Envelope& e) { e.item(10) = RlpItem::string({}); },
       Errc::malformed, "EIP-1559 tx: signature: r is not in [1, n-1]"},
      {"s_equal_to_n", kStd, k1559, [](Envelope& e) { e.item(11) = uint_item(kSecpN); },
       Errc::malformed, "EIP-1559 tx: signature: s is not in [1, n-1]"},
      {"s_above_half_n", kStd, k1559, [](Envelope& e) { e.item(11) = uint_item(kSecpNMinus1); },
       Errc::malformed, "EIP-1559 tx: signature: s is above n/2 (EIP-2)"},
      {"s_missing", kStd, k1559, [](Envelope& e) { e.list.items.pop_back(); }, Errc::malformed,
       "EIP-1559 tx: s: rlp"},
      {"an_item_too_many", kStd, k1559, [](Envelope& e) { e.list.items.push_back(RlpItem{}); },
       Errc::malformed, "EIP-1559 tx: list: rlp"},
      {"legacy_v_26", kStd, kLegacy, [](Envelope& e) { e.item(6) = RlpItem::uint(26); },
       Errc::malformed, "legacy tx: v: v = 26 is neither 27/28 nor an EIP-155 value"},
      {"legacy_v_0", kStd, kLegacy, [](Envelope& e) { e.item(6) = RlpItem::uint(0); },
       Errc::malformed, "legacy tx: v: v = 0"},
      {"legacy_v_naming_a_chain_id_above_64_bits", kStd, kLegacy,
       [](Envelope& e) { e.item(6) = uint_item("0x020000000000000023"); }, Errc::out_of_range,
       "legacy tx: v: v = 0x20000000000000023 names a chain id above 2^64 - 1"},
      {"legacy_r_of_33_bytes", kStd, kLegacy,
       [](Envelope& e) { e.item(7) = uint_item("0x01" + std::string(64, '0')); },
       Errc::out_of_range, "legacy tx: r: rlp"},
      {"guomi_public_key_of_63_bytes", kGm, k1559, [](Envelope& e) { e.item(11).bytes.pop_back(); },
       Errc::malformed, "EIP-1559 tx: public key"},
      {"guomi_r_zero", kGm, k1559, [](Envelope& e) { e.item(9) = RlpItem::string({}); },
       Errc::malformed, "EIP-1559 tx: signature: r is not in [1, n-1]"},
      {"guomi_s_equal_to_n", kGm, k1559, [](Envelope& e) { e.item(10) = uint_item(kSm2N); },
       Errc::malformed, "EIP-1559 tx: signature: s is not in [1, n-1]"},
      // r, 32 bytes, is read as the chain id.
      {"guomi_legacy_without_chain_id", kGm, kLegacy,
       [](Envelope& e) { e.list.items.erase(e.list.items.begin() + 6); }, Errc::out_of_range,
       "legacy tx: chain id: rlp"},
      {"guomi_legacy_chain_id_with_leading_zero", kGm, kLegacy,
       [](Envelope& e) { e.item(6) = uint_item("0x000539"); }, Errc::malformed,
       "legacy tx: chain id"},
  };
}

TEST(Transaction, StrictDecodingRefusesNamingTheField) {
  for (const Refusal& refusal : refusals()) {
    SCOPED_TRACE(refusal.name);
    Envelope envelope = signed_envelope(refusal.suite, refusal.type);
    refusal.change(envelope);
    const auto tx = Transaction::decode(CryptoSuite(refusal.suite), envelope.bytes());
    ASSERT_FALSE(tx.has_value());
    EXPECT_EQ(tx.error().code, refusal.code) << tx.error();
    EXPECT_NE(tx.error().message.find(refusal.message), std::string::npos) << tx.error();
  }
}

TEST(Transaction, RefusesEnvelopesItDoesNotKnow) {
  const CryptoSuite suite(SuiteId::standard);
  const Bytes list = rlp_encode(signed_envelope(SuiteId::standard, TxType::dynamic_fee).list);
  const auto refused = [&](Bytes raw, Errc code, std::string_view message) {
    const auto tx = Transaction::decode(suite, raw);
    ASSERT_FALSE(tx.has_value()) << to_hex(raw);
    EXPECT_EQ(tx.error().code, code) << tx.error();
    EXPECT_NE(tx.error().message.find(message), std::string::npos) << tx.error();
  };
  const auto typed = [&](Byte type) {
    Envelope envelope = signed_envelope(SuiteId::standard, TxType::dynamic_fee);
    envelope.type = type;
    return envelope.bytes();
  };
  refused({}, Errc::malformed, "tx: no bytes");
  refused(typed(0x03), Errc::unsupported, "type 3 (EIP-4844 blob tx): this chain has no blobs");
  refused(typed(0x04), Errc::unsupported, "type 4 (EIP-7702 set-code tx) is not supported");
  refused(typed(0x00), Errc::unsupported, "tx: unknown type 0");
  refused(typed(0x7f), Errc::unsupported, "tx: unknown type 127");
  refused({0x02}, Errc::malformed, "EIP-1559 tx: rlp: offset 0");
  refused({0x02, 0x80}, Errc::malformed, "EIP-1559 tx: rlp: offset 0");
  refused(rlp_encode_string(list), Errc::malformed, "tx: starts with an RLP string");
  Bytes trailing = typed(0x02);
  trailing.push_back(0x00);
  refused(trailing, Errc::malformed, "trailing bytes");
  // The right item count of the other type: a 1559 list under the 2930 type byte.
  refused(typed(0x01), Errc::malformed, "EIP-2930 tx");
}

TEST(Transaction, ATxOfOneSuiteDoesNotDecodeInTheOther) {
  for (const TxType type : samples::kAllTypes) {
    for (const SuiteId suite : samples::kAllSuites) {
      const SuiteId other = suite == SuiteId::standard ? SuiteId::guomi : SuiteId::standard;
      const Transaction tx =
          sign_tx(samples::call(type), samples::key_pair(suite, samples::kKeyA)).value();
      EXPECT_FALSE(Transaction::decode(CryptoSuite(other), tx.encoded()).has_value())
          << suite_name(suite) << " " << tx_type_name(type);
    }
  }
}

TEST(Transaction, ContractCreationHasNoTo) {
  for (const SuiteId suite : samples::kAllSuites) {
    for (const TxType type : samples::kAllTypes) {
      TxFields fields = samples::call(type);
      fields.to.reset();
      EXPECT_TRUE(fields.is_creation());
      const Transaction tx = sign_tx(fields, samples::key_pair(suite, samples::kKeyA)).value();
      const auto decoded = Transaction::decode(CryptoSuite(suite), tx.encoded());
      ASSERT_TRUE(decoded.has_value()) << decoded.error();
      EXPECT_FALSE(decoded->fields().to.has_value());
      EXPECT_EQ(*decoded, tx);
    }
  }
}

TEST(Transaction, GuomiSAboveHalfTheOrderDecodes) {
  // SM2 has no (r, n - s) twin signature, so EIP-2's low-s rule does not apply to guomi.
  Envelope envelope = signed_envelope(SuiteId::guomi, TxType::dynamic_fee);
  envelope.item(10) =
      uint_item("0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122");
  const auto tx = Transaction::decode(CryptoSuite(SuiteId::guomi), envelope.bytes());
  ASSERT_TRUE(tx.has_value()) << tx.error();
  EXPECT_FALSE(recover_sender(*tx).has_value());
}

}  // namespace
}  // namespace tally::chain
