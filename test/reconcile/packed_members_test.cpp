#include <random>

#include <gtest/gtest.h>

#include <tally/reconcile/packed_members.hpp>

#include "support/seed.hpp"

namespace tally::reconcile {
namespace {

Bytes packed(std::span<const MemberRef> members) {
  Bytes out;
  pack_members(members, out);
  return out;
}

TEST(PackedMembersTest, TheEncodingIsPinned) {
  const std::vector<MemberRef> members = {{Side::left, 0, 5}, {Side::right, 1, 300}};
  // version, then side, source, seq: 300 is 0xac 0x02 in LEB128.
  EXPECT_EQ(to_hex(packed(members)), "0x010100050201ac02");
  const auto back = unpack_members(packed(members));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, members);
}

TEST(PackedMembersTest, TheExtremesRoundTrip) {
  const std::vector<MemberRef> members = {{Side::ledger, UINT32_MAX, UINT64_MAX},
                                          {Side::left, 0, 0}};
  const Bytes bytes = packed(members);
  EXPECT_EQ(bytes.size(), 1u + (1 + 5 + 10) + 3);
  EXPECT_EQ(unpack_members(bytes).value(), members);
}

TEST(PackedMembersTest, RandomGroupsRoundTrip) {
  const auto seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  Bytes buffer;  // reused, as RunWriter does
  for (std::uint64_t i = 0; i < test::property_iterations(2'000); ++i) {
    std::vector<MemberRef> members(1 + rng() % 8);
    for (MemberRef& member : members) {
      member.side = static_cast<Side>(1 + rng() % 3);
      member.source = static_cast<std::uint32_t>(rng() >> (rng() % 64 / 2 + 32));
      member.seq = rng() >> (rng() % 64);
    }
    pack_members(members, buffer);
    const auto back = unpack_members(buffer);
    ASSERT_TRUE(back) << back.error().message;
    ASSERT_EQ(*back, members);
  }
}

struct Refusal {
  std::string_view hex;
  std::string_view says;
};

TEST(PackedMembersTest, MalformedBytesAreRefusedWithTheirPlace) {
  const Refusal refusals[] = {
      {"", "byte 0: version -1"},
      {"02010005", "byte 0: version 2"},
      {"01", "no member"},
      {"01040005", "byte 1: side 4"},
      {"01000005", "byte 1: side 0"},
      {"0101", "source at byte 2 cut"},
      {"010100", "seq at byte 3 cut"},
      {"01010080", "seq at byte 3 cut"},
      {"0101008000", "seq at byte 3 is overlong"},
      {"010100ffffffffffffffffff81", "seq at byte 3 is longer than 64 bits"},
      {"010100ffffffffffffffffff02", "seq at byte 3 is longer than 64 bits"},
      {"010180808080100005", "source 4294967296 past 32 bits"},
      {"0101000501", "source at byte 5 cut"},  // a member cut after its side
  };
  for (const Refusal& refusal : refusals) {
    SCOPED_TRACE(refusal.hex);
    const auto result = unpack_members(from_hex(refusal.hex).value());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::corrupted);
    EXPECT_NE(result.error().message.find(refusal.says), std::string::npos)
        << result.error().message;
  }
}

}  // namespace
}  // namespace tally::reconcile
