#include <gtest/gtest.h>

#include <tally/chain/bloom.hpp>
#include <tally/core/bytes.hpp>

namespace tally::chain {
namespace {

const Bytes kAddress = from_hex("0x0000000000000000000000000000000000000001").value();
const Bytes kTopic =
    from_hex("0x0000000000000000000000000000000000000000000000000000000000000002").value();

// Computed from the Yellow Paper's definition (M3:2048) by a separate Python implementation of
// Keccak-256 and the bloom; six distinct bits.
constexpr const char* kExpected =
    "0x04000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000020000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000100000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000100000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000100000000008000000000000000000000";

TEST(Bloom, SetsThreeBitsPerItemAsEthereumDoes) {
  Bloom bloom;
  bloom.add(kAddress);
  bloom.add(kTopic);
  EXPECT_EQ(bloom.bits().hex(), kExpected);
}

TEST(Bloom, AnswersMembershipWithoutFalseNegatives) {
  Bloom bloom;
  EXPECT_FALSE(bloom.may_contain(kAddress));
  bloom.add(kAddress);
  EXPECT_TRUE(bloom.may_contain(kAddress));
  EXPECT_FALSE(bloom.may_contain(kTopic));
}

TEST(Bloom, MergeIsTheUnionOfBits) {
  Bloom a;
  a.add(kAddress);
  Bloom b;
  b.add(kTopic);
  a.merge(b);
  Bloom both;
  both.add(kAddress);
  both.add(kTopic);
  EXPECT_EQ(a, both);
}

}  // namespace
}  // namespace tally::chain
