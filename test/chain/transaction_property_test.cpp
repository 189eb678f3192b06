// Seeded random txs of every type in both suites, fields drawn with a bias to their edges (0, 1,
// the maximum, RLP's 55/56-byte boundary, creation): each signs, encodes, decodes to itself,
// re-encodes byte for byte, and recovers its signer; no truncation or extension of its encoding
// decodes. Replay a failure with the printed TALLY_SEED.

#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/intrinsic_gas.hpp>
#include <tally/chain/transaction.hpp>
#include <tally/chain/tx_signing.hpp>

#include "support/seed.hpp"
#include "tx_samples.hpp"

namespace tally::chain {
namespace {

class RandomTx {
 public:
  explicit RandomTx(std::uint64_t seed) : rng_(seed) {}

  std::uint64_t below(std::uint64_t bound) { return rng_() % bound; }
  bool one_in(std::uint64_t n) { return below(n) == 0; }

  std::uint64_t u64() {
    switch (below(5)) {
      case 0:
        return 0;
      case 1:
        return 1;
      case 2:
        return UINT64_MAX;
      case 3:
        return rng_() >> below(64);
      default:
        return rng_();
    }
  }

  u256 word() {
    switch (below(5)) {
      case 0:
        return 0;
      case 1:
        return u256::max();
      case 2:
        return u256(1) << below(256);
      default:
        return u256(u256::Limbs{rng_(), rng_(), rng_(), rng_()}) >> below(256);
    }
  }

  Bytes bytes(std::size_t size) {
    Bytes out(size);
    for (Byte& b : out)
      b = one_in(4) ? Byte{0} : static_cast<Byte>(rng_());
    return out;
  }

  template <std::size_t N>
  FixedBytes<N> fixed() {
    FixedBytes<N> out;
    if (!one_in(8))
      std::ranges::copy(bytes(N), out.bytes.begin());
    return out;
  }

  Bytes data() {
    constexpr std::size_t kSizes[] = {0, 1, 55, 56, 255, 256};
    switch (below(6)) {
      case 0:
        return {};
      case 1:
        return {static_cast<Byte>(below(2) == 0 ? 0x00 : 0x7f + below(2))};  // 0x00, 0x7f, 0x80
      case 2:
        return bytes(kSizes[below(6)]);
      case 3:
        return one_in(10) ? bytes(65536 + below(64)) : bytes(below(2048));
      default:
        return bytes(below(300));
    }
  }

  AccessList access_list() {
    AccessList out(below(4));
    for (AccessListEntry& entry : out) {
      entry.address = fixed<20>();
      entry.storage_keys.resize(below(4));
      for (Hash256& key : entry.storage_keys)
        key = fixed<32>();
    }
    return out;
  }

  TxFields fields(SuiteId suite) {
    TxFields f;
    f.type = samples::kAllTypes[below(3)];
    const bool unprotected = f.type == TxType::legacy && suite == SuiteId::standard && one_in(3);
    if (!unprotected)
      f.chain_id = u64();
    f.nonce = u64();
    if (f.type == TxType::dynamic_fee) {
      f.max_priority_fee_per_gas = word();
      f.max_fee_per_gas = word();
    } else {
      f.set_gas_price(word());
    }
    f.gas_limit = u64();
    if (!one_in(4))
      f.to = fixed<20>();
    f.value = word();
    f.data = data();
    if (f.type != TxType::legacy)
      f.access_list = access_list();
    return f;
  }

 private:
  std::mt19937_64 rng_;
};

void check_round_trip(const TxFields& fields, const KeyPair& keys) {
  const CryptoSuite suite(keys.suite());
  const auto tx = sign_tx(fields, keys);
  ASSERT_TRUE(tx.has_value()) << tx.error();
  EXPECT_EQ(tx->fields(), fields);
  EXPECT_EQ(tx->hash(), suite.hash(tx->encoded()));

  const auto decoded = Transaction::decode(suite, tx->encoded());
  ASSERT_TRUE(decoded.has_value()) << decoded.error();
  EXPECT_EQ(*decoded, *tx);
  const auto rebuilt = Transaction::from_parts(suite, decoded->fields(), decoded->signature());
  ASSERT_TRUE(rebuilt.has_value()) << rebuilt.error();
  EXPECT_TRUE(std::ranges::equal(rebuilt->encoded(), tx->encoded()));

  const auto verified = recover_sender(*decoded);
  ASSERT_TRUE(verified.has_value()) << verified.error();
  EXPECT_EQ(verified->sender(), suite.address(keys.public_key()));
  EXPECT_TRUE(intrinsic_gas(fields).has_value());
}

// Strictness: a tx's encoding is the only one, so none of its proper prefixes decodes, and
// nothing decodes with a byte appended.
void check_no_prefix_or_extension_decodes(const Transaction& tx, std::mt19937_64& rng) {
  const CryptoSuite suite(tx.suite());
  const BytesView raw = tx.encoded();
  const std::size_t step = raw.size() <= 512 ? 1 : raw.size() / 64;
  for (std::size_t size = rng() % step; size < raw.size(); size += step)
    EXPECT_FALSE(Transaction::decode(suite, raw.first(size)).has_value()) << "prefix of " << size;
  Bytes extended(raw.begin(), raw.end());
  extended.push_back(static_cast<Byte>(rng()));
  EXPECT_FALSE(Transaction::decode(suite, extended).has_value());
}

TEST(TransactionProperty, RandomTxsRoundTripAndRecoverTheirSigner) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  RandomTx random(seed);
  std::mt19937_64 rng(seed ^ 0x5eed);
  const std::uint64_t iterations = test::property_iterations(300);
  for (const SuiteId suite_id : samples::kAllSuites) {
    const CryptoSuite suite(suite_id);
    const std::vector<KeyPair> keys = {samples::key_pair(suite_id, samples::kKeyA),
                                       samples::key_pair(suite_id, samples::kKeyB),
                                       suite.generate_key_pair()};
    for (std::uint64_t i = 0; i < iterations; ++i) {
      SCOPED_TRACE(i);
      const TxFields fields = random.fields(suite_id);
      const KeyPair& key = keys[random.below(keys.size())];
      check_round_trip(fields, key);
      if (i % 8 == 0)
        check_no_prefix_or_extension_decodes(sign_tx(fields, key).value(), rng);
      if (HasFatalFailure())
        return;
    }
  }
}

}  // namespace
}  // namespace tally::chain
