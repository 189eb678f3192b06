#include <gtest/gtest.h>

#include <tally/core/bytes.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally {
namespace {

TEST(Hex, DecodesWithAndWithoutPrefixInEitherCase) {
  EXPECT_EQ(from_hex("0x00ff10Ab").value(), (Bytes{0x00, 0xff, 0x10, 0xab}));
  EXPECT_EQ(from_hex("00FF10ab").value(), (Bytes{0x00, 0xff, 0x10, 0xab}));
  EXPECT_EQ(from_hex("0X01").value(), (Bytes{0x01}));
}

TEST(Hex, EmptyInputIsEmptyBytes) {
  EXPECT_TRUE(from_hex("").value().empty());
  EXPECT_TRUE(from_hex("0x").value().empty());
}

TEST(Hex, OddLengthIsRefused) {
  const auto result = from_hex("0xabc");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::malformed);
  EXPECT_NE(result.error().message.find("odd"), std::string::npos);
}

TEST(Hex, InvalidDigitNamesItsOffset) {
  const auto result = from_hex("0x00g1");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::malformed);
  EXPECT_NE(result.error().message.find("offset 4"), std::string::npos) << result.error().message;
  EXPECT_NE(from_hex("001x").error().message.find("offset 3"), std::string::npos);
  EXPECT_FALSE(from_hex(" 0x00"));
  EXPECT_FALSE(from_hex("0x 0"));
}

TEST(Hex, FailedResultsPrintTheirError) {
  EXPECT_EQ(testing::PrintToString(from_hex("0xabc")),
            "error(malformed: hex: odd number of digits (3) ending at offset 5)");
  EXPECT_EQ(testing::PrintToString(Address::from_hex("0x01")),
            "error(out_of_range: expected 20 bytes, got 1)");
}

TEST(Hex, EncodesLowerCaseRoundTrip) {
  const Bytes bytes{0xde, 0xad, 0xbe, 0xef, 0x00};
  EXPECT_EQ(to_hex(bytes), "0xdeadbeef00");
  EXPECT_EQ(to_hex(bytes, false), "deadbeef00");
  EXPECT_EQ(from_hex(to_hex(bytes)).value(), bytes);
}

TEST(FixedBytes, ParsesExactlyItsSize) {
  const auto address = Address::from_hex("0x0000000000000000000000000000000000000001");
  ASSERT_TRUE(address);
  EXPECT_EQ(address->bytes[19], 1);
  EXPECT_FALSE(address->is_zero());
  const auto short_one = Address::from_hex("0x01");
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().code, Errc::out_of_range);
  EXPECT_FALSE(Hash256::from_hex(std::string(66, 'a')));
}

TEST(FixedBytes, OrdersAndComparesByBytes) {
  Hash256 a;
  Hash256 b;
  EXPECT_TRUE(a.is_zero());
  EXPECT_EQ(a, b);
  b.bytes[31] = 1;
  EXPECT_LT(a, b);
  EXPECT_NE(std::hash<Hash256>{}(a), std::hash<Hash256>{}(Hash256{{0xff}}));
  EXPECT_EQ(b.hex(), "0x" + std::string(62, '0') + "01");
}

}  // namespace
}  // namespace tally
