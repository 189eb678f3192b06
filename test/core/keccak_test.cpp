#include <random>

#include <gtest/gtest.h>

#include <tally/core/keccak.hpp>

#include "support/seed.hpp"

namespace tally {
namespace {

// Expected values not marked otherwise were computed with a from-the-spec Python Keccak (FIPS 202
// section 3, written for this purpose) that first reproduced hashlib.sha3_256 for the same inputs
// with the SHA-3 pad byte 0x06, then was run with Keccak's pad byte 0x01. The empty-string, "abc",
// "hello world" and quick-brown-fox digests are also the well-known Ethereum values.

Bytes counting_bytes(std::size_t size) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i)
    out[i] = static_cast<Byte>(i & 0xff);
  return out;
}

std::string keccak_hex(BytesView data) {
  return keccak256(data).hex(false);
}

TEST(Keccak256, EmptyInput) {
  EXPECT_EQ(keccak_hex({}), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

TEST(Keccak256, ShortKnownAnswers) {
  EXPECT_EQ(keccak_hex(as_bytes("abc")),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  EXPECT_EQ(keccak_hex(as_bytes("hello world")),
            "47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad");
  EXPECT_EQ(keccak_hex(as_bytes("The quick brown fox jumps over the lazy dog")),
            "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
  // ethereum/tests BasicTests/keyaddrtest.json: the private key of the "cow" brain wallet.
  EXPECT_EQ(keccak_hex(as_bytes("cow")),
            "c85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4");
}

TEST(Keccak256, InputsAroundTheRateBoundary) {
  // 135 bytes: both padding bits share the last byte of the block. 136: padding takes a whole
  // second block. 137: one byte into the second block.
  EXPECT_EQ(keccak_hex(counting_bytes(135)),
            "cbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62");
  EXPECT_EQ(keccak_hex(counting_bytes(136)),
            "7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e");
  EXPECT_EQ(keccak_hex(counting_bytes(137)),
            "ac73d4fae68b8453f764007c1a20ce95994187861f0c3227a3a8e99a73a3b1db");
}

TEST(Keccak256, OneMebibyteOfAPattern) {
  Bytes data(1 << 20);
  for (std::size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<Byte>(i % 251);
  EXPECT_EQ(keccak_hex(data), "2fd6b833d9e25ae8d7dda1c3ed07af04df131ce89010c888534d4e825e40e875");
}

TEST(Keccak256, PermutationOfTheZeroState) {
  // Keccak-f[1600] applied to the all-zero state, all 25 lanes in the order x + 5y. Lanes 0 and 1
  // are from the Keccak team's published intermediate values (KeccakF-1600-IntermediateValues.txt).
  // All 25 were computed with a from-the-spec Python Keccak-f[1600] (FIPS 202 section 3.2, with the
  // rho offsets and round constants derived by the spec's algorithms rather than copied), written
  // for this purpose, which first reproduced hashlib.sha3_256 and hashlib.shake_128 through the
  // same permutation, and agrees with the published lanes 0 and 1.
  constexpr std::array<std::uint64_t, 25> kExpected = {
      0xF1258F7940E1DDE7, 0x84D5CCF933C0478A, 0xD598261EA65AA9EE, 0xBD1547306F80494D,
      0x8B284E056253D057, 0xFF97A42D7F8E6FD4, 0x90FEE5A0A44647C4, 0x8C5BDA0CD6192E76,
      0xAD30A6F71B19059C, 0x30935AB7D08FFC64, 0xEB5AA93F2317D635, 0xA9A6E6260D712103,
      0x81A57C16DBCF555F, 0x43B831CD0347C826, 0x01F22F1A11A5569F, 0x05E5635A21D9AE61,
      0x64BEFEF28CC970F2, 0x613670957BC46611, 0xB87C5A554FD00ECB, 0x8C3EE88A1CCF32C8,
      0x940C7922AE3A2614, 0x1841F924A2C509E4, 0x16F53526E70465C2, 0x75F644E97F30A13B,
      0xEAF1FF7B5CECA249,
  };
  std::array<std::uint64_t, 25> lanes{};
  keccak_f1600(lanes);
  EXPECT_EQ(lanes[0], 0xF1258F7940E1DDE7u);
  EXPECT_EQ(lanes[1], 0x84D5CCF933C0478Au);
  EXPECT_EQ(lanes, kExpected);
}

TEST(Keccak256, IncrementalEqualsOneShotAtEverySplit) {
  const Bytes data = counting_bytes(3 * Keccak256::kRateBytes + 5);
  const Hash256 expected = keccak256(data);
  const BytesView view(data);
  for (std::size_t split = 0; split <= data.size(); ++split) {
    Keccak256 hasher;
    hasher.update(view.first(split)).update(view.subspan(split));
    ASSERT_EQ(hasher.finalize(), expected) << "split at " << split;
  }
}

TEST(Keccak256, IncrementalEqualsOneShotForRandomPieces) {
  const auto seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  for (std::uint64_t round = 0; round < test::property_iterations(200); ++round) {
    Bytes data(rng() % 2000);
    for (Byte& b : data)
      b = static_cast<Byte>(rng());
    Keccak256 hasher;
    std::size_t at = 0;
    while (at < data.size()) {
      const std::size_t piece = std::min<std::size_t>(rng() % 300, data.size() - at);
      hasher.update(BytesView(data).subspan(at, piece));
      at += piece;
    }
    ASSERT_EQ(hasher.finalize(), keccak256(data)) << "size " << data.size();
  }
}

TEST(Keccak256, FinalizeResetsTheHasher) {
  Keccak256 hasher;
  hasher.update(as_bytes("abc"));
  EXPECT_EQ(hasher.finalize(), keccak256(as_bytes("abc")));
  EXPECT_EQ(hasher.finalize(), keccak256({}));
  hasher.update(as_bytes("ab")).update(as_bytes("c"));
  EXPECT_EQ(hasher.finalize(), keccak256(as_bytes("abc")));
}

}  // namespace
}  // namespace tally
