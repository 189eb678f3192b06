// The EVM's building blocks: the stack, jump destination analysis, memory and SSTORE gas,
// contract addresses.

#include <gtest/gtest.h>

#include <tally/chain/code_analysis.hpp>
#include <tally/chain/create_address.hpp>
#include <tally/chain/evm_stack.hpp>
#include <tally/chain/gas_schedule.hpp>

namespace tally::chain {
namespace {

Bytes hex(std::string_view text) {
  return from_hex(text).value();
}

TEST(EvmStack, PushPopDupAndSwapWorkOnTheTop) {
  auto space = std::make_unique<StackSpace>();
  EvmStack stack(*space);
  stack.push(1);
  stack.push(2);
  stack.push(3);
  stack.dup(3);  // DUP3 copies the third item from the top
  EXPECT_EQ(stack.size(), 4u);
  EXPECT_EQ(stack.peek(), u256(1));
  stack.swap(2);  // SWAP2 exchanges the top with the third item
  EXPECT_EQ(stack.peek(), u256(2));
  EXPECT_EQ(stack.peek(2), u256(1));
  EXPECT_EQ(stack.pop(), u256(2));
  stack.drop(2);
  EXPECT_EQ(stack.pop(), u256(1));
  EXPECT_EQ(stack.size(), 0u);
}

TEST(CodeAnalysis, JumpdestInsidePushDataIsNotADestination) {
  // PUSH2 0x5b5b, JUMPDEST, PUSH1 0x5b, JUMPDEST
  const CodeAnalysis analysis(hex("0x615b5b5b605b5b"));
  EXPECT_FALSE(analysis.is_jumpdest(0));
  EXPECT_FALSE(analysis.is_jumpdest(1));
  EXPECT_FALSE(analysis.is_jumpdest(2));
  EXPECT_TRUE(analysis.is_jumpdest(3));
  EXPECT_FALSE(analysis.is_jumpdest(5));
  EXPECT_TRUE(analysis.is_jumpdest(6));
  EXPECT_FALSE(analysis.is_jumpdest(7));
  EXPECT_FALSE(analysis.is_jumpdest(1u << 20));
}

TEST(CodeAnalysis, TruncatedPushReadsZerosAndEndsInStop) {
  // PUSH32 with two data bytes: the rest reads as zero padding.
  const CodeAnalysis analysis(hex("0x7f5b5b"));
  EXPECT_EQ(analysis.size(), 3u);
  EXPECT_FALSE(analysis.is_jumpdest(1));
  for (std::size_t i = 3; i < 3 + 33; ++i)
    EXPECT_EQ(analysis.padded()[i], 0) << i;
}

TEST(CodeAnalysis, CacheAnalysesEachCodeHashOnce) {
  CodeCache cache;
  Hash256 hash;
  hash.bytes[0] = 1;
  const CodeAnalysis& first = cache.get(hash, hex("0x5b"));
  const CodeAnalysis& second = cache.get(hash, hex("0x00"));  // same hash: the cached one
  EXPECT_EQ(&first, &second);
  EXPECT_TRUE(second.is_jumpdest(0));
}

TEST(GasSchedule, MemoryCostIsLinearPlusQuadratic) {
  EXPECT_EQ(memory_cost(0), 0);
  EXPECT_EQ(memory_cost(1), 3);
  EXPECT_EQ(memory_cost(32), 32 * 3 + 2);
  EXPECT_EQ(memory_cost(1024), 1024 * 3 + 2048);
  EXPECT_EQ(num_words(0), 0u);
  EXPECT_EQ(num_words(1), 1u);
  EXPECT_EQ(num_words(32), 1u);
  EXPECT_EQ(num_words(33), 2u);
}

TEST(GasSchedule, CancunAddsInstructionsHomesteadLacks) {
  for (const int op :
       {0x1b, 0x3d, 0x3f, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x5c, 0x5d, 0x5e, 0x5f, 0xf5, 0xfa, 0xfd}) {
    EXPECT_TRUE(opcode_table(Revision::cancun)[static_cast<std::size_t>(op)].defined) << op;
    EXPECT_FALSE(opcode_table(Revision::homestead)[static_cast<std::size_t>(op)].defined) << op;
  }
  EXPECT_FALSE(opcode_table(Revision::cancun)[0xfe].defined);  // INVALID
  EXPECT_FALSE(opcode_table(Revision::cancun)[0x0c].defined);
  EXPECT_EQ(opcode_table(Revision::cancun)[0x54].gas, 100);  // SLOAD warm; cold adds 2000
  EXPECT_EQ(opcode_table(Revision::homestead)[0x54].gas, 50);
  EXPECT_EQ(opcode_table(Revision::cancun)[0xa4].gas, 375 * 5);
}

struct SstoreCase {
  std::uint64_t original, current, new_value;
  std::int64_t gas, refund;
};

// EIP-3529's table (gas without the cold surcharge).
TEST(GasSchedule, SstoreNetMeteringFollowsEip2200And3529) {
  const SstoreCase cases[] = {
      {0, 0, 0, 100, 0},    {0, 0, 1, 20000, 0}, {0, 1, 0, 100, 19900}, {0, 1, 2, 100, 0},
      {0, 1, 1, 100, 0},    {1, 0, 0, 100, 0},   {1, 0, 1, 100, -2000}, {1, 0, 2, 100, -4800},
      {1, 2, 0, 100, 4800}, {1, 2, 3, 100, 0},   {1, 2, 1, 100, 2800},  {1, 1, 0, 2900, 4800},
      {1, 1, 2, 2900, 0},   {1, 1, 1, 100, 0},
  };
  for (const SstoreCase& c : cases) {
    const SstoreCost cost = sstore_cost(Revision::cancun, c.original, c.current, c.new_value);
    EXPECT_EQ(cost.gas, c.gas) << c.original << c.current << c.new_value;
    EXPECT_EQ(cost.refund, c.refund) << c.original << c.current << c.new_value;
  }
}

TEST(GasSchedule, HomesteadSstoreIsSetOrReset) {
  EXPECT_EQ(sstore_cost(Revision::homestead, 0, 0, 1).gas, 20000);
  EXPECT_EQ(sstore_cost(Revision::homestead, 0, 1, 2).gas, 5000);
  EXPECT_EQ(sstore_cost(Revision::homestead, 0, 1, 0).refund, 15000);
}

TEST(CreateAddress, CreateHashesSenderAndNonce) {
  const Address sender = Address::from_hex("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0").value();
  EXPECT_EQ(create_address(sender, 0).hex(), "0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d");
  EXPECT_EQ(create_address(sender, 1).hex(), "0x343c43a37d37dff08ae8c4a11544c718abb4fcf8");
}

// EIP-1014's examples.
TEST(CreateAddress, Create2HashesSenderSaltAndInitCode) {
  EXPECT_EQ(create2_address(Address{}, Hash256{}, hex("0x00")).hex(),
            "0x4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38");
  const Address deadbeef = Address::from_hex("0xdeadbeef00000000000000000000000000000000").value();
  EXPECT_EQ(create2_address(deadbeef, Hash256{}, hex("0x00")).hex(),
            "0xb928f69bb1d91cd65274e3c79d8986362984fda3");
  const Hash256 salt =
      Hash256::from_hex("0x00000000000000000000000000000000000000000000000000000000cafebabe")
          .value();
  const Address low_deadbeef =
      Address::from_hex("0x00000000000000000000000000000000deadbeef").value();
  EXPECT_EQ(create2_address(low_deadbeef, salt, hex("0xdeadbeef")).hex(),
            "0x60f3f640a8508fc6a86d45df051962668e1e8ac7");
}

}  // namespace
}  // namespace tally::chain
