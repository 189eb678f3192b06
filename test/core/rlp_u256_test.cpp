#include <gtest/gtest.h>

#include <tally/core/rlp_u256.hpp>

namespace tally {
namespace {

Bytes encode(const u256& value) {
  RlpWriter writer;
  add_rlp_u256(writer, value);
  return writer.finish();
}

TEST(RlpU256, EncodesMinimalBigEndianBytes) {
  EXPECT_EQ(to_hex(encode(u256(0))), "0x80");
  EXPECT_EQ(to_hex(encode(u256(0x7f))), "0x7f");
  EXPECT_EQ(to_hex(encode(u256(0x400))), "0x820400");
  EXPECT_EQ(to_hex(encode(u256::max())), "0xa0" + std::string(64, 'f'));
}

TEST(RlpU256, RoundTripsAndRefusesLeadingZeros) {
  for (const u256& value : {u256(0), u256(1), u256(0x80), u256::max(), u256(1) << 200}) {
    const Bytes encoded = encode(value);
    RlpReader reader(encoded);
    EXPECT_EQ(read_rlp_u256(reader).value(), value);
  }
  const Bytes leading_zero = from_hex("0x820001").value();
  RlpReader reader(leading_zero);
  EXPECT_FALSE(read_rlp_u256(reader));
  const Bytes too_wide = from_hex("0xa1" + std::string(66, 'f')).value();
  RlpReader wide(too_wide);
  EXPECT_FALSE(read_rlp_u256(wide));
}

}  // namespace
}  // namespace tally
