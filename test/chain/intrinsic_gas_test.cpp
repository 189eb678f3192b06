#include <gtest/gtest.h>

#include <tally/chain/intrinsic_gas.hpp>

#include "tx_samples.hpp"

namespace tally::chain {
namespace {

TEST(IntrinsicGas, ATransferCosts21000AndACreation53000) {
  TxFields fields = samples::transfer(TxType::dynamic_fee);
  EXPECT_EQ(intrinsic_gas(fields), 21000u);
  fields.to.reset();
  EXPECT_EQ(intrinsic_gas(fields), 53000u);
}

TEST(IntrinsicGas, DataCosts4PerZeroByteAnd16PerOther) {
  TxFields fields = samples::transfer(TxType::legacy);
  fields.data = {0x00, 0x01, 0x00, 0xff, 0x00};
  EXPECT_EQ(intrinsic_gas(fields), 21000u + 3 * 4 + 2 * 16);
}

TEST(IntrinsicGas, InitCodeCosts2PerWordRoundedUp) {
  TxFields fields = samples::transfer(TxType::dynamic_fee);
  fields.to.reset();
  fields.data = Bytes(32, 0x01);
  EXPECT_EQ(intrinsic_gas(fields), 53000u + 32 * 16 + 1 * 2);
  fields.data.push_back(0x00);
  EXPECT_EQ(intrinsic_gas(fields), 53000u + 32 * 16 + 4 + 2 * 2);
  // A call pays no word cost for the same data.
  fields.to = samples::address_of("0x3535353535353535353535353535353535353535");
  EXPECT_EQ(intrinsic_gas(fields), 21000u + 32 * 16 + 4);
}

TEST(IntrinsicGas, AccessListCosts2400PerAddressAnd1900PerKey) {
  const TxFields fields = samples::call(TxType::access_list);  // two addresses, two keys
  const std::uint64_t data = 5 * 16 + 31 * 4;  // a selector, then a 32-byte word holding 42
  EXPECT_EQ(intrinsic_gas(fields), 21000u + data + 2 * 2400 + 2 * 1900);
}

TEST(IntrinsicGas, LargestInitCode) {
  TxFields fields = samples::transfer(TxType::legacy);
  fields.to.reset();
  fields.data = Bytes(kMaxInitCodeSize, 0x60);
  EXPECT_EQ(intrinsic_gas(fields), 53000u + kMaxInitCodeSize * 16 + kMaxInitCodeSize / 32 * 2);
}

TEST(IntrinsicGas, ATotalPast64BitsIsOverflowNotAWrappedValue) {
  IntrinsicGasCounts counts;
  counts.data_nonzero_bytes = (UINT64_MAX - 21000) / 16;  // the most that fits
  EXPECT_EQ(intrinsic_gas(counts), counts.data_nonzero_bytes * 16 + 21000);
  ++counts.data_nonzero_bytes;
  EXPECT_EQ(intrinsic_gas(counts).error().code, Errc::overflow);
  counts = IntrinsicGasCounts{};
  counts.creation = true;
  counts.data_zero_bytes = UINT64_MAX;
  counts.data_nonzero_bytes = 1;
  EXPECT_EQ(intrinsic_gas(counts).error().code, Errc::overflow);
  counts = IntrinsicGasCounts{};
  counts.access_list_addresses = UINT64_MAX / 2400;
  counts.access_list_storage_keys = UINT64_MAX / 1900;
  EXPECT_EQ(intrinsic_gas(counts).error().code, Errc::overflow);
}

}  // namespace
}  // namespace tally::chain
