#include <gtest/gtest.h>

#include <tally/chain/nibbles.hpp>

namespace tally::chain {
namespace {

Bytes hex(std::string_view text) {
  return from_hex(text).value();
}

TEST(Nibbles, SplitBytesHighNibbleFirst) {
  EXPECT_EQ(to_nibbles(hex("0x12ab")), (Nibbles{1, 2, 10, 11}));
  EXPECT_EQ(nibbles_to_bytes(Nibbles{1, 2, 10, 11}), hex("0x12ab"));
  EXPECT_TRUE(to_nibbles({}).empty());
}

// The Yellow Paper's appendix C cases: flags in the first nibble, odd paths share its byte.
TEST(HexPrefix, EncodesFlagsAndParity) {
  EXPECT_EQ(hex_prefix_encode(Nibbles{1, 2, 3, 4, 5}, false), hex("0x112345"));
  EXPECT_EQ(hex_prefix_encode(Nibbles{0, 1, 2, 3, 4, 5}, false), hex("0x00012345"));
  EXPECT_EQ(hex_prefix_encode(Nibbles{0, 15, 1, 12, 11, 8}, true), hex("0x200f1cb8"));
  EXPECT_EQ(hex_prefix_encode(Nibbles{15, 1, 12, 11, 8}, true), hex("0x3f1cb8"));
  EXPECT_EQ(hex_prefix_encode(Nibbles{}, true), hex("0x20"));
  EXPECT_EQ(hex_prefix_encode(Nibbles{}, false), hex("0x00"));
}

TEST(HexPrefix, DecodesWhatItEncodes) {
  for (const Nibbles& path : {Nibbles{}, Nibbles{7}, Nibbles{1, 2}, Nibbles{15, 0, 3}}) {
    for (const bool leaf : {false, true}) {
      const auto decoded = hex_prefix_decode(hex_prefix_encode(path, leaf));
      ASSERT_TRUE(decoded.has_value());
      EXPECT_EQ(decoded->path, path);
      EXPECT_EQ(decoded->leaf, leaf);
      EXPECT_EQ(hex_prefix_size(path), hex_prefix_encode(path, leaf).size());
    }
  }
}

TEST(HexPrefix, RefusesEverythingButOneEncodingPerPath) {
  EXPECT_EQ(hex_prefix_decode({}).error().code, Errc::malformed);
  EXPECT_EQ(hex_prefix_decode(hex("0x40")).error().code, Errc::malformed);  // flags 4
  EXPECT_EQ(hex_prefix_decode(hex("0xf0")).error().code, Errc::malformed);
  EXPECT_EQ(hex_prefix_decode(hex("0x0112")).error().code, Errc::malformed);  // pad not zero
  EXPECT_EQ(hex_prefix_decode(hex("0x21")).error().code, Errc::malformed);
}

TEST(Nibbles, PrefixHelpers) {
  const Nibbles a{1, 2, 3};
  const Nibbles b{1, 2, 4, 5};
  EXPECT_EQ(common_prefix_length(a, b), 2u);
  EXPECT_EQ(common_prefix_length(a, a), 3u);
  EXPECT_TRUE(starts_with(b, Nibbles{1, 2}));
  EXPECT_FALSE(starts_with(a, b));
  EXPECT_TRUE(starts_with(a, Nibbles{}));
}

}  // namespace
}  // namespace tally::chain
