#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <tally/chain/intrinsic_gas.hpp>
#include <tally/chain/tx_pool.hpp>
#include <tally/chain/tx_rejection.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/str_cat.hpp>

#include "support/seed.hpp"
#include "tx_samples.hpp"

namespace tally::chain {
namespace {

// The head state as a map; accounts not set have nonce 0 and a large balance.
class FakeHead : public PoolStateView {
 public:
  std::uint64_t nonce(const Address& account) const override {
    const auto it = nonces.find(account);
    return it == nonces.end() ? 0 : it->second;
  }
  u256 balance(const Address& account) const override {
    const auto it = balances.find(account);
    return it == balances.end() ? u256::from_decimal("1000000000000000000000000").value()
                                : it->second;
  }

  std::map<Address, std::uint64_t> nonces;
  std::map<Address, u256> balances;
};

// Distinct valid private keys on both curves: 0x11..11 + index.
KeyPair numbered_key(SuiteId suite, std::size_t index) {
  Bytes key(32, 0x11);
  key[30] = static_cast<Byte>(index >> 8);
  key[31] = static_cast<Byte>(index);
  return CryptoSuite(suite).key_pair_from_private_key(key).value();
}

bool starts_with(const std::string& text, TxRejection rejection) {
  return text.starts_with(std::string(tx_rejection_text(rejection)) + ": ");
}

// The result is a refusal of this kind: its code and its text.
::testing::AssertionResult refused(const Result<Hash256>& result, TxRejection rejection) {
  if (result)
    return ::testing::AssertionFailure() << "accepted as " << result->hex();
  if (result.error().code != tx_rejection_errc(rejection) ||
      !starts_with(result.error().message, rejection)) {
    return ::testing::AssertionFailure()
           << "refused with " << result.error() << ", not " << tx_rejection_text(rejection);
  }
  return ::testing::AssertionSuccess();
}

class TxPoolTest : public ::testing::TestWithParam<SuiteId> {
 protected:
  SuiteId suite() const { return GetParam(); }

  TxPoolConfig config() const {
    TxPoolConfig config;
    config.chain_id = samples::kChainId;
    config.suite = suite();
    config.block_gas_limit = 1'000'000;
    config.recovery_threads = 3;
    return config;
  }
  TxPool make_pool(const TxPoolConfig& pool_config) const {
    return TxPool(pool_config,
                  [this](const Address& sender) { return admitted_.contains(sender); });
  }

  KeyPair key(std::size_t index) const { return numbered_key(suite(), index); }
  Address address(std::size_t index) const {
    return CryptoSuite(suite()).address(key(index).public_key());
  }
  void admit(std::size_t index) { admitted_.insert(address(index)); }

  static TxFields transfer(std::uint64_t nonce) {
    return samples::transfer(TxType::dynamic_fee, nonce);
  }
  Bytes sign(const TxFields& fields, std::size_t signer) const {
    const auto tx = sign_tx(fields, key(signer));
    EXPECT_TRUE(tx.has_value()) << tx.error();
    return Bytes(tx->encoded().begin(), tx->encoded().end());
  }
  Hash256 hash_of(const Bytes& raw) const {
    return Transaction::decode(CryptoSuite(suite()), raw).value().hash();
  }

  void SetUp() override {
    for (std::size_t i = 0; i < 4; ++i)
      admit(i);
  }

  std::set<Address> admitted_;
  FakeHead head_;
};

TEST_P(TxPoolTest, AcceptsASignedTransferAndHoldsItWithItsSender) {
  TxPool pool = make_pool(config());
  const Bytes raw = sign(transfer(0), 1);
  const auto hash = pool.add_one(raw, head_);
  ASSERT_TRUE(hash.has_value()) << hash.error();
  EXPECT_EQ(*hash, hash_of(raw));
  EXPECT_EQ(pool.size(), 1u);
  const PooledTx pooled = pool.find(*hash);
  ASSERT_NE(pooled, nullptr);
  EXPECT_EQ(pooled->sender(), address(1));
  EXPECT_TRUE(std::ranges::equal(pooled->tx().encoded(), raw));  // what gossip sends on
  EXPECT_EQ(pool.find(Hash256{}), nullptr);
}

TEST_P(TxPoolTest, RefusesBytesThatDoNotDecodeWithTheDecodersError) {
  TxPool pool = make_pool(config());
  Bytes raw = sign(transfer(0), 1);
  raw.pop_back();
  const auto result = pool.add_one(raw, head_);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::malformed) << result.error();
  EXPECT_EQ(result.error(), Transaction::decode(CryptoSuite(suite()), raw).error());
  EXPECT_FALSE(pool.add_one(Bytes{}, head_).has_value());
  EXPECT_EQ(pool.size(), 0u);
}

TEST_P(TxPoolTest, RefusesATxOneByteOverMaxTxBytesEvenIfItIsMalformed) {
  TxFields fields = transfer(0);
  fields.data = Bytes(1000, 0x01);
  fields.gas_limit = 100'000;
  const Bytes raw = sign(fields, 1);
  TxPoolConfig at_limit = config();
  at_limit.max_tx_bytes = raw.size();
  EXPECT_TRUE(make_pool(at_limit).add_one(raw, head_).has_value());

  TxPoolConfig below = config();
  below.max_tx_bytes = raw.size() - 1;
  TxPool pool = make_pool(below);
  EXPECT_TRUE(refused(pool.add_one(raw, head_), TxRejection::oversized));
  Bytes garbage(raw.size(), 0xff);  // the size is checked before any parsing
  EXPECT_TRUE(refused(pool.add_one(garbage, head_), TxRejection::oversized));
  EXPECT_EQ(config().max_tx_bytes, 128u * 1024);
}

TEST_P(TxPoolTest, RefusesAnotherChainsTx) {
  TxPool pool = make_pool(config());
  TxFields fields = transfer(0);
  fields.chain_id = samples::kChainId + 1;
  EXPECT_TRUE(refused(pool.add_one(sign(fields, 1), head_), TxRejection::invalid_chain_id));
  if (suite() == SuiteId::standard) {  // a guomi tx always names its chain
    TxFields unprotected = samples::transfer(TxType::legacy, 0);
    unprotected.chain_id.reset();
    EXPECT_TRUE(refused(pool.add_one(sign(unprotected, 1), head_), TxRejection::invalid_chain_id));
  }
}

TEST_P(TxPoolTest, RefusesWhatTheStatelessChecksRefuseWithGethsTexts) {
  TxPool pool = make_pool(config());
  TxFields low_gas = transfer(0);
  low_gas.gas_limit = 20'999;
  EXPECT_TRUE(refused(pool.add_one(sign(low_gas, 1), head_), TxRejection::intrinsic_gas));

  TxFields tip = transfer(0);
  tip.max_priority_fee_per_gas = tip.max_fee_per_gas + 1;
  EXPECT_TRUE(refused(pool.add_one(sign(tip, 1), head_), TxRejection::tip_above_fee_cap));

  TxFields max_nonce = transfer(UINT64_MAX);
  EXPECT_TRUE(refused(pool.add_one(sign(max_nonce, 1), head_), TxRejection::nonce_max));

  TxFields creation = transfer(0);
  creation.to.reset();
  creation.value = 0;
  creation.data = Bytes(kMaxInitCodeSize + 1, 0x60);
  creation.gas_limit = 900'000;
  EXPECT_TRUE(refused(pool.add_one(sign(creation, 1), head_), TxRejection::max_init_code_size));

  TxFields overflow = transfer(0);
  overflow.max_fee_per_gas = u256::max();
  overflow.max_priority_fee_per_gas = 0;
  EXPECT_TRUE(refused(pool.add_one(sign(overflow, 1), head_), TxRejection::fee_overflow));
  EXPECT_EQ(pool.size(), 0u);
}

TEST_P(TxPoolTest, RefusesATxWhoseSignatureHasNoSigner) {
  TxPool pool = make_pool(config());
  const Bytes raw = sign(transfer(0), 1);
  // standard: r's last byte (s's 33 bytes close the tx) changed until no key recovers; guomi: the
  // embedded public key's last byte, which leaves the curve or fails verification.
  const std::size_t at = suite() == SuiteId::standard ? raw.size() - 34 : raw.size() - 1;
  bool seen = false;
  for (int delta = 1; delta < 256 && !seen; ++delta) {
    Bytes changed = raw;
    changed[at] = static_cast<Byte>(changed[at] + delta);
    const auto result = pool.add_one(changed, head_);
    ASSERT_FALSE(result.has_value()) << "accepted a changed signature from a stranger";
    seen = refused(result, TxRejection::invalid_sender);
  }
  EXPECT_TRUE(seen);
}

TEST_P(TxPoolTest, RefusesASenderOutsideTheConsortium) {
  TxPool pool = make_pool(config());
  const auto result = pool.add_one(sign(transfer(0), 9), head_);
  EXPECT_TRUE(refused(result, TxRejection::not_admitted));
  EXPECT_NE(result.error().message.find(address(9).hex()), std::string::npos);
  admit(9);  // the admission is asked each time, so a change takes effect at once
  EXPECT_TRUE(pool.add_one(sign(transfer(0), 9), head_).has_value());
}

TEST_P(TxPoolTest, RefusesAGasLimitAboveTheBlocksAndTakesOneEqualToIt) {
  TxPool pool = make_pool(config());
  TxFields fields = transfer(0);
  fields.gas_limit = config().block_gas_limit + 1;
  EXPECT_TRUE(refused(pool.add_one(sign(fields, 1), head_), TxRejection::exceeds_block_gas_limit));
  fields.gas_limit = config().block_gas_limit;
  EXPECT_TRUE(pool.add_one(sign(fields, 1), head_).has_value());
}

TEST_P(TxPoolTest, RefusesANonceBelowTheStateNonce) {
  TxPool pool = make_pool(config());
  head_.nonces[address(1)] = 5;
  EXPECT_TRUE(refused(pool.add_one(sign(transfer(4), 1), head_), TxRejection::nonce_too_low));
  EXPECT_TRUE(pool.add_one(sign(transfer(5), 1), head_).has_value());
}

TEST_P(TxPoolTest, RefusesTheSameTxTwiceInOneBatchOrAcrossCalls) {
  TxPool pool = make_pool(config());
  const Bytes raw = sign(transfer(0), 1);
  const std::vector<Bytes> batch{raw, raw};
  const auto results = pool.add(batch, head_);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].has_value());
  EXPECT_TRUE(refused(results[1], TxRejection::already_known));
  EXPECT_TRUE(refused(pool.add_one(raw, head_), TxRejection::already_known));
  EXPECT_EQ(pool.size(), 1u);
}

TEST_P(TxPoolTest, RemembersIncludedTxsAsAlreadyKnownWhileTheStateLags) {
  TxPoolConfig small = config();
  small.recent_included = 2;
  TxPool pool = make_pool(small);
  std::vector<Hash256> included;
  std::vector<Bytes> raws;
  for (std::uint64_t nonce = 0; nonce < 3; ++nonce) {
    raws.push_back(sign(transfer(nonce), 1));
    included.push_back(pool.add_one(raws.back(), head_).value());
  }
  pool.remove_committed(included, head_);  // head_ not advanced: a view that lags the commit
  EXPECT_EQ(pool.size(), 0u);
  // Only the last two hashes are remembered; the first is taken again.
  EXPECT_TRUE(pool.add_one(raws[0], head_).has_value());
  EXPECT_TRUE(refused(pool.add_one(raws[1], head_), TxRejection::already_known));
  EXPECT_TRUE(refused(pool.add_one(raws[2], head_), TxRejection::already_known));
  // With the state caught up, "nonce too low" comes first.
  head_.nonces[address(1)] = 3;
  EXPECT_TRUE(refused(pool.add_one(raws[2], head_), TxRejection::nonce_too_low));
}

TEST_P(TxPoolTest, ReplacesAPooledTxOnlyForAFeeBumpOfTenPercentOnBothCaps) {
  TxPool pool = make_pool(config());
  TxFields first = transfer(0);
  first.max_fee_per_gas = 1000;
  first.max_priority_fee_per_gas = 100;
  const Hash256 first_hash = pool.add_one(sign(first, 1), head_).value();

  TxFields same_fees = first;
  same_fees.value = 1;
  EXPECT_TRUE(
      refused(pool.add_one(sign(same_fees, 1), head_), TxRejection::replacement_underpriced));
  TxFields nine_percent = first;
  nine_percent.max_fee_per_gas = 1090;
  nine_percent.max_priority_fee_per_gas = 110;
  EXPECT_TRUE(
      refused(pool.add_one(sign(nine_percent, 1), head_), TxRejection::replacement_underpriced));
  TxFields tip_unchanged = first;
  tip_unchanged.max_fee_per_gas = 2000;
  EXPECT_TRUE(
      refused(pool.add_one(sign(tip_unchanged, 1), head_), TxRejection::replacement_underpriced));

  TxFields ten_percent = first;
  ten_percent.max_fee_per_gas = 1100;
  ten_percent.max_priority_fee_per_gas = 110;
  const auto replaced = pool.add_one(sign(ten_percent, 1), head_);
  ASSERT_TRUE(replaced.has_value()) << replaced.error();
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_EQ(pool.find(first_hash), nullptr);
  EXPECT_NE(pool.find(*replaced), nullptr);
}

TEST_P(TxPoolTest, ZeroFeesCannotBeReplaced) {
  TxPool pool = make_pool(config());
  TxFields free = transfer(0);
  free.max_fee_per_gas = 0;
  free.max_priority_fee_per_gas = 0;
  ASSERT_TRUE(pool.add_one(sign(free, 1), head_).has_value());
  free.value = 5;  // 0 raised by 10% is still 0, but a raise must be strict
  EXPECT_TRUE(refused(pool.add_one(sign(free, 1), head_), TxRejection::replacement_underpriced));
}

TEST_P(TxPoolTest, BoundsTheGapBetweenTheNextNonceAndANewTx) {
  TxPoolConfig gap = config();
  gap.max_nonce_gap = 3;
  TxPool pool = make_pool(gap);
  EXPECT_TRUE(refused(pool.add_one(sign(transfer(4), 1), head_), TxRejection::nonce_gap));
  EXPECT_TRUE(pool.add_one(sign(transfer(3), 1), head_).has_value());  // 0, 1, 2 missing
  // The next nonce counts the pooled run: with 0 and 1 pooled it is 2, so 5 is within reach.
  EXPECT_TRUE(pool.add_one(sign(transfer(0), 1), head_).has_value());
  EXPECT_TRUE(pool.add_one(sign(transfer(1), 1), head_).has_value());
  EXPECT_TRUE(pool.add_one(sign(transfer(5), 1), head_).has_value());
  EXPECT_TRUE(refused(pool.add_one(sign(transfer(6), 1), head_), TxRejection::nonce_gap));
  EXPECT_EQ(config().max_nonce_gap, 64u);
}

TEST_P(TxPoolTest, BoundsTheTxsOfOneSenderButStillTakesAReplacement) {
  TxPoolConfig limit = config();
  limit.max_txs_per_sender = 3;
  TxPool pool = make_pool(limit);
  for (std::uint64_t nonce = 0; nonce < 3; ++nonce)
    ASSERT_TRUE(pool.add_one(sign(transfer(nonce), 1), head_).has_value());
  EXPECT_TRUE(refused(pool.add_one(sign(transfer(3), 1), head_), TxRejection::account_limit));
  EXPECT_TRUE(pool.add_one(sign(transfer(0), 2), head_).has_value());  // another sender
  TxFields bump = transfer(2);
  bump.max_fee_per_gas = bump.max_fee_per_gas * 2;
  bump.max_priority_fee_per_gas = bump.max_priority_fee_per_gas * 2;
  EXPECT_TRUE(pool.add_one(sign(bump, 1), head_).has_value());
}

TEST_P(TxPoolTest, RefusesNewTxsWhenFullAsRetryable) {
  TxPoolConfig full = config();
  full.max_txs = 2;
  TxPool pool = make_pool(full);
  EXPECT_TRUE(pool.add_one(sign(transfer(0), 1), head_).has_value());
  EXPECT_TRUE(pool.add_one(sign(transfer(0), 2), head_).has_value());
  const auto result = pool.add_one(sign(transfer(0), 3), head_);
  EXPECT_TRUE(refused(result, TxRejection::pool_full));
  EXPECT_EQ(result.error().code, Errc::unavailable);
  EXPECT_EQ(config().max_txs, 65'536u);
}

TEST_P(TxPoolTest, RefusesASenderWhoCannotPayGasLimitTimesMaxFeePlusValue) {
  TxPool pool = make_pool(config());
  const TxFields fields = transfer(0);
  const u256 cost = u256(fields.gas_limit) * fields.max_fee_per_gas + fields.value;
  head_.balances[address(1)] = cost - 1;
  EXPECT_TRUE(refused(pool.add_one(sign(fields, 1), head_), TxRejection::insufficient_funds));
  head_.balances[address(1)] = cost;
  EXPECT_TRUE(pool.add_one(sign(fields, 1), head_).has_value());
}

TEST_P(TxPoolTest, CountsTheSendersOtherPooledTxsAgainstItsBalance) {
  TxPool pool = make_pool(config());
  const TxFields fields = transfer(0);
  const u256 cost = u256(fields.gas_limit) * fields.max_fee_per_gas + fields.value;
  head_.balances[address(1)] = cost * 3;
  for (std::uint64_t nonce = 0; nonce < 3; ++nonce)
    ASSERT_TRUE(pool.add_one(sign(transfer(nonce), 1), head_).has_value());
  const auto fourth = pool.add_one(sign(transfer(3), 1), head_);
  EXPECT_TRUE(refused(fourth, TxRejection::insufficient_funds));
  EXPECT_NE(fourth.error().message.find("with its 3 other pooled txs"), std::string::npos)
      << fourth.error();
  // A replacement counts instead of the tx it replaces, not beside it.
  TxFields dearer = transfer(2);
  dearer.max_fee_per_gas = dearer.max_fee_per_gas * 2;
  dearer.max_priority_fee_per_gas = dearer.max_priority_fee_per_gas * 2;
  EXPECT_TRUE(refused(pool.add_one(sign(dearer, 1), head_), TxRejection::insufficient_funds));
  TxFields cheaper_value = transfer(2);
  cheaper_value.max_fee_per_gas = cheaper_value.max_fee_per_gas * 2;
  cheaper_value.max_priority_fee_per_gas = cheaper_value.max_priority_fee_per_gas * 2;
  cheaper_value.value = 0;
  EXPECT_TRUE(pool.add_one(sign(cheaper_value, 1), head_).has_value());
  // Txs below the state nonce (included, not yet removed) no longer count.
  head_.nonces[address(1)] = 1;
  EXPECT_TRUE(pool.add_one(sign(transfer(3), 1), head_).has_value());
}

TEST_P(TxPoolTest, AGapStopsASendersRunAndFillingItMakesTheRestExecutable) {
  TxPool pool = make_pool(config());
  std::vector<Hash256> hashes(4);
  for (const std::uint64_t nonce : {0u, 1u, 3u})
    hashes[nonce] = pool.add_one(sign(transfer(nonce), 1), head_).value();
  EXPECT_EQ(pool.pending_nonce(address(1), 0), 2u);
  EXPECT_EQ(pool.pending_nonce(address(2), 7), 7u);
  EXPECT_EQ(pool.executable_count(head_), 2u);
  auto selected = pool.select_for_block(10'000'000, 100, head_);
  ASSERT_EQ(selected.size(), 2u);
  EXPECT_EQ(selected[0]->hash(), hashes[0]);
  EXPECT_EQ(selected[1]->hash(), hashes[1]);

  hashes[2] = pool.add_one(sign(transfer(2), 1), head_).value();
  EXPECT_EQ(pool.pending_nonce(address(1), 0), 4u);
  EXPECT_EQ(pool.executable_count(head_), 4u);
  selected = pool.select_for_block(10'000'000, 100, head_);
  ASSERT_EQ(selected.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(selected[i]->hash(), hashes[i]);
  // A sender whose state nonce is past its pooled txs has nothing executable until they go.
  head_.nonces[address(1)] = 1;
  EXPECT_EQ(pool.select_for_block(10'000'000, 100, head_).front()->hash(), hashes[1]);
}

TEST_P(TxPoolTest, SelectsByArrivalAcrossSendersKeepingEachSendersNoncesAscending) {
  TxPool pool = make_pool(config());
  // Arrival: A1, B0, A0, C0. A's run can start only when A0 has arrived, so its head is A0.
  const Hash256 a1 = pool.add_one(sign(transfer(1), 1), head_).value();
  const Hash256 b0 = pool.add_one(sign(transfer(0), 2), head_).value();
  const Hash256 a0 = pool.add_one(sign(transfer(0), 1), head_).value();
  const Hash256 c0 = pool.add_one(sign(transfer(0), 3), head_).value();
  const auto selected = pool.select_for_block(10'000'000, 100, head_);
  std::vector<Hash256> order;
  for (const PooledTx& tx : selected)
    order.push_back(tx->hash());
  EXPECT_EQ(order, (std::vector<Hash256>{b0, a0, a1, c0}));
  EXPECT_EQ(pool.select_for_block(10'000'000, 2, head_).size(), 2u);
}

TEST_P(TxPoolTest, SelectionStopsAtTheFirstTxThatDoesNotFitTheGasLeft) {
  TxPool pool = make_pool(config());
  TxFields big = transfer(0);
  big.gas_limit = 100'000;
  pool.add_one(sign(transfer(0), 1), head_).value();
  pool.add_one(sign(big, 2), head_).value();
  pool.add_one(sign(transfer(0), 3), head_).value();
  EXPECT_EQ(pool.select_for_block(21'000 + 99'999, 100, head_).size(), 1u);
  EXPECT_EQ(pool.select_for_block(21'000 + 100'000, 100, head_).size(), 2u);
  EXPECT_EQ(pool.select_for_block(142'000, 100, head_).size(), 3u);
  EXPECT_EQ(pool.select_for_block(20'999, 100, head_).size(), 0u);
}

TEST_P(TxPoolTest, RemoveCommittedDropsIncludedAndStaleTxsAndKeepsTheRest) {
  TxPool pool = make_pool(config());
  const Hash256 a0 = pool.add_one(sign(transfer(0), 1), head_).value();
  const Hash256 a1 = pool.add_one(sign(transfer(1), 1), head_).value();
  const Hash256 a2 = pool.add_one(sign(transfer(2), 1), head_).value();
  const Hash256 b0 = pool.add_one(sign(transfer(0), 2), head_).value();
  const Hash256 c5 = pool.add_one(sign(transfer(5), 3), head_).value();
  // The block holds a0 and another node's tx with B's nonce 0.
  head_.nonces[address(1)] = 1;
  head_.nonces[address(2)] = 1;
  const std::vector<Hash256> included{a0, Hash256::from_hex("0x" + std::string(64, 'e')).value()};
  pool.remove_committed(included, head_);
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_EQ(pool.find(a0), nullptr);
  EXPECT_EQ(pool.find(b0), nullptr);
  EXPECT_NE(pool.find(a1), nullptr);
  EXPECT_NE(pool.find(a2), nullptr);
  EXPECT_NE(pool.find(c5), nullptr);
  EXPECT_EQ(pool.executable_count(head_), 2u);
  EXPECT_EQ(pool.pending_nonce(address(1), 1), 3u);
}

TEST_P(TxPoolTest, AddResultsDoNotDependOnTheNumberOfRecoveryThreads) {
  std::vector<Bytes> batch;
  for (std::uint64_t nonce = 0; nonce < 12; ++nonce) {
    batch.push_back(sign(transfer(nonce), nonce % 4));
    batch.push_back(sign(transfer(nonce), 9));  // not admitted
  }
  batch.push_back(batch[0]);
  batch.push_back(Bytes{0x02, 0xc0});
  std::vector<std::vector<Result<Hash256>>> runs;
  for (const std::size_t threads : {1u, 2u, 8u}) {
    TxPoolConfig threaded = config();
    threaded.recovery_threads = threads;
    threaded.max_nonce_gap = 4;
    TxPool pool = make_pool(threaded);
    runs.push_back(pool.add(batch, head_));
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], runs[2]);
  const auto accepted = std::ranges::count_if(runs[0], [](const auto& r) { return r.has_value(); });
  EXPECT_GT(accepted, 0);
  EXPECT_LT(accepted, static_cast<std::ptrdiff_t>(batch.size()));
}

// Many threads add batches (each its own senders, and every tx also submitted by a second thread,
// as gossip from two peers would) while others select and query. Every tx ends up pooled exactly
// once, and each sender's selection is its nonces in order.
TEST_P(TxPoolTest, ManyThreadsAddingAndReadingAtOnceAgreeOnTheOutcome) {
  constexpr std::size_t kThreads = 8;
  constexpr std::size_t kSendersPerThread = 2;
  const std::uint64_t nonces = suite() == SuiteId::guomi ? 6 : 12;
  for (std::size_t i = 0; i < kThreads * kSendersPerThread; ++i)
    admit(100 + i);
  std::vector<std::vector<Bytes>> batches(kThreads);
  for (std::size_t t = 0; t < kThreads; ++t) {
    for (std::uint64_t nonce = 0; nonce < nonces; ++nonce) {
      for (std::size_t s = 0; s < kSendersPerThread; ++s)
        batches[t].push_back(sign(transfer(nonce), 100 + t * kSendersPerThread + s));
    }
  }
  TxPool pool = make_pool(config());
  std::atomic<std::size_t> accepted{0};
  std::atomic<std::size_t> known{0};
  std::atomic<bool> adding{true};
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        // Half by batch, half one by one; then a neighbour's batch again.
        for (const auto& batch : {batches[t], batches[(t + 1) % kThreads]}) {
          std::vector<Result<Hash256>> results;
          if (t % 2 == 0) {
            results = pool.add(batch, head_);
          } else {
            for (const Bytes& raw : batch)
              results.push_back(pool.add_one(raw, head_));
          }
          for (const auto& result : results) {
            if (result)
              ++accepted;
            else if (starts_with(result.error().message, TxRejection::already_known))
              ++known;
          }
        }
      });
    }
    std::jthread reader([&] {
      while (adding) {
        const auto selected = pool.select_for_block(30'000'000, 10'000, head_);
        EXPECT_LE(selected.size(), pool.size());
        EXPECT_LE(pool.pending_nonce(address(100), 0), nonces);
      }
    });
    for (auto& thread : threads)
      thread.join();
    adding = false;
  }
  const std::size_t total = kThreads * kSendersPerThread * nonces;
  EXPECT_EQ(accepted.load(), total);
  EXPECT_EQ(known.load(), total);
  EXPECT_EQ(pool.size(), total);
  EXPECT_EQ(pool.executable_count(head_), total);
  std::map<Address, std::uint64_t> next;
  for (const PooledTx& tx : pool.select_for_block(30'000'000, 10'000, head_))
    EXPECT_EQ(tx->tx().fields().nonce, next[tx->sender()]++);
  EXPECT_EQ(next.size(), kThreads * kSendersPerThread);
}

// Random arrival orders of a few senders' nonces: once all have arrived, every tx is executable,
// the selection keeps each sender's nonces ascending, and it is the same for every split of the
// arrivals into batches.
TEST_P(TxPoolTest, AnyArrivalOrderEndsWithEveryRunExecutableInOrder) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 random(seed);
  std::vector<Bytes> txs;
  for (std::size_t sender = 0; sender < 3; ++sender) {
    for (std::uint64_t nonce = 0; nonce < 6; ++nonce)
      txs.push_back(sign(transfer(nonce), sender));
  }
  const std::uint64_t rounds = test::property_iterations(suite() == SuiteId::guomi ? 3 : 10);
  for (std::uint64_t round = 0; round < rounds; ++round) {
    std::shuffle(txs.begin(), txs.end(), random);
    std::vector<std::vector<Hash256>> orders;
    for (const std::size_t batch_size : {std::size_t{1}, std::size_t{5}, txs.size()}) {
      TxPool pool = make_pool(config());
      for (std::size_t i = 0; i < txs.size(); i += batch_size) {
        const std::size_t end = std::min(txs.size(), i + batch_size);
        for (const auto& result : pool.add(std::span(txs).subspan(i, end - i), head_))
          ASSERT_TRUE(result.has_value()) << result.error();
      }
      std::vector<Hash256> order;
      std::map<Address, std::uint64_t> next;
      for (const PooledTx& tx : pool.select_for_block(30'000'000, 1000, head_)) {
        EXPECT_EQ(tx->tx().fields().nonce, next[tx->sender()]++);
        order.push_back(tx->hash());
      }
      EXPECT_EQ(order.size(), txs.size());
      orders.push_back(order);
    }
    EXPECT_EQ(orders[0], orders[1]);
    EXPECT_EQ(orders[0], orders[2]);
  }
}

INSTANTIATE_TEST_SUITE_P(TxPool,
                         TxPoolTest,
                         ::testing::Values(SuiteId::standard, SuiteId::guomi),
                         [](const auto& param_info) {
                           return std::string(suite_name(param_info.param));
                         });

TEST(TxRejection, EveryRefusalHasATextAndACode) {
  for (int code = 1; code <= 17; ++code) {
    const auto rejection = static_cast<TxRejection>(code);
    EXPECT_FALSE(tx_rejection_text(rejection).empty());
    EXPECT_TRUE(starts_with(reject(rejection, "x").error().message, rejection));
  }
  EXPECT_EQ(tx_rejection_text(TxRejection::nonce_too_low), "nonce too low");
  EXPECT_EQ(tx_rejection_errc(TxRejection::pool_full), Errc::unavailable);
}

}  // namespace
}  // namespace tally::chain
