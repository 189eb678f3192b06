#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <tally/chain/intrinsic_gas.hpp>
#include <tally/chain/tx_validation.hpp>

#include "tx_samples.hpp"

namespace tally::chain {
namespace {

constexpr TxRules kRules{samples::kChainId, ReplayProtection::required};

void expect_refused(const Result<void>& result, Errc code, std::string_view message) {
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, code) << result.error();
  EXPECT_NE(result.error().message.find(message), std::string::npos) << result.error();
}

TEST(TxValidation, AcceptsWellFormedTxsOfEveryType) {
  for (const TxType type : samples::kAllTypes) {
    EXPECT_TRUE(validate_tx(samples::transfer(type), kRules).has_value());
    EXPECT_TRUE(validate_tx(samples::call(type), kRules).has_value());
  }
}

TEST(TxValidation, ChainIdMustBeThisChains) {
  TxFields fields = samples::transfer(TxType::dynamic_fee);
  fields.chain_id = samples::kChainId + 1;
  expect_refused(validate_tx(fields, kRules), Errc::invalid_argument,
                 "tx chain id: 1338, but this is chain 1337");
}

TEST(TxValidation, LegacyWithoutChainIdOnlyWhereReplayProtectionIsOptional) {
  TxFields fields = samples::transfer(TxType::legacy);
  fields.chain_id.reset();
  expect_refused(check_chain_id(fields, samples::kChainId, ReplayProtection::required),
                 Errc::invalid_argument, "requires replay protection");
  EXPECT_TRUE(check_chain_id(fields, samples::kChainId, ReplayProtection::optional).has_value());
  // Optional protection does not excuse a wrong chain id.
  fields.chain_id = 5;
  EXPECT_FALSE(check_chain_id(fields, samples::kChainId, ReplayProtection::optional).has_value());
}

TEST(TxValidation, NonceStopsBelow2To64Minus1) {
  TxFields fields = samples::transfer(TxType::dynamic_fee);
  fields.nonce = kMaxTxNonce;
  EXPECT_TRUE(validate_tx(fields, kRules).has_value());
  fields.nonce = UINT64_MAX;
  expect_refused(validate_tx(fields, kRules), Errc::out_of_range, "tx nonce");
}

TEST(TxValidation, PriorityFeeAtMostMaxFee) {
  TxFields fields = samples::transfer(TxType::dynamic_fee);
  fields.max_priority_fee_per_gas = fields.max_fee_per_gas;
  EXPECT_TRUE(validate_tx(fields, kRules).has_value());
  fields.max_priority_fee_per_gas = fields.max_fee_per_gas + 1;
  expect_refused(validate_tx(fields, kRules), Errc::out_of_range, "max priority fee per gas");
}

TEST(TxValidation, GasLimitTimesMaxFeeFitsIn256Bits) {
  TxFields fields = samples::transfer(TxType::dynamic_fee);
  fields.max_priority_fee_per_gas = 0;
  fields.gas_limit = 21000;
  fields.max_fee_per_gas = u256::max() / 21000;
  EXPECT_TRUE(validate_tx(fields, kRules).has_value());
  fields.max_fee_per_gas = fields.max_fee_per_gas + 1;
  expect_refused(validate_tx(fields, kRules), Errc::overflow, "exceeds 2^256 - 1");
  fields.gas_limit = UINT64_MAX;
  fields.max_fee_per_gas = u256(1) << 193;
  expect_refused(validate_tx(fields, kRules), Errc::overflow, "tx gas limit");
}

TEST(TxValidation, GasLimitCoversIntrinsicGas) {
  TxFields fields = samples::call(TxType::access_list);
  fields.gas_limit = intrinsic_gas(fields).value();
  EXPECT_TRUE(validate_tx(fields, kRules).has_value());
  --fields.gas_limit;
  expect_refused(validate_tx(fields, kRules), Errc::out_of_range, "below the intrinsic gas");
}

TEST(TxValidation, InitCodeAtMost49152Bytes) {
  TxFields fields = samples::transfer(TxType::dynamic_fee);
  fields.to.reset();
  fields.gas_limit = 30'000'000;
  fields.data = Bytes(kMaxInitCodeSize, 0x5b);
  EXPECT_TRUE(validate_tx(fields, kRules).has_value());
  fields.data.push_back(0x00);
  expect_refused(validate_tx(fields, kRules), Errc::limit_exceeded, "init code of 49153 bytes");
  // A call's data is not init code.
  fields.to = samples::address_of("0x3535353535353535353535353535353535353535");
  EXPECT_TRUE(validate_tx(fields, kRules).has_value());
}

}  // namespace
}  // namespace tally::chain
