#include <random>

#include <gtest/gtest.h>

#include <tally/reconcile/packed_groups.hpp>

#include "support/seed.hpp"

namespace tally::reconcile {
namespace {

Bytes packed(const std::vector<MatchGroup>& groups) {
  Bytes out;
  start_chunk(out);
  for (const MatchGroup& group : groups)
    append_group(group, out);
  return out;
}

TEST(PackedGroupsTest, TheEncodingIsPinned) {
  const std::vector<MatchGroup> groups = {
      {"exact", "1:1", {{Side::left, 0, 5}, {Side::right, 1, 300}}},
      {"sum", "N:1", {{Side::left, 0, 1}, {Side::left, 0, 2}, {Side::ledger, 2, 0}}}};
  // version; "exact" (5 bytes), kind 1, 2 members: left 0 5, right 1 300 (0xac 0x02 in LEB128);
  // "sum", kind 3, 3 members.
  EXPECT_EQ(to_hex(packed(groups)),
            "0x01"
            "056578616374"
            "01"
            "02"
            "010005"
            "0201ac02"
            "0373756d"
            "03"
            "03"
            "010001"
            "010002"
            "030200");
  const auto back = unpack_groups(packed(groups));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, groups);
}

TEST(PackedGroupsTest, TheExtremesRoundTrip) {
  const std::vector<MatchGroup> groups = {
      {std::string(kMaxRuleNameBytes, 'r'),
       "N:M",
       {{Side::ledger, UINT32_MAX, UINT64_MAX}, {Side::left, 0, 0}}}};
  const Bytes bytes = packed(groups);
  EXPECT_EQ(bytes.size(), 1u + 2 + kMaxRuleNameBytes + 1 + 1 + (1 + 5 + 10) + 3);
  EXPECT_EQ(unpack_groups(bytes).value(), groups);
}

TEST(PackedGroupsTest, RandomChunksRoundTrip) {
  const auto seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  const std::string_view kinds[] = {"1:1", "1:N", "N:1", "N:M"};
  for (std::uint64_t i = 0; i < test::property_iterations(300); ++i) {
    std::vector<MatchGroup> groups(1 + rng() % 20);
    for (MatchGroup& group : groups) {
      group.rule = std::string(1 + rng() % 12, static_cast<char>('a' + rng() % 26));
      group.kind = kinds[rng() % 4];
      group.members.resize(1 + rng() % 6);
      for (MemberRef& member : group.members) {
        member.side = static_cast<Side>(1 + rng() % 3);
        member.source = static_cast<std::uint32_t>(rng() >> (32 + rng() % 32));
        member.seq = rng() >> (rng() % 64);
      }
    }
    const auto back = unpack_groups(packed(groups));
    ASSERT_TRUE(back) << back.error().message;
    ASSERT_EQ(*back, groups);
  }
}

struct Refusal {
  std::string_view hex;
  std::string_view says;
};

TEST(PackedGroupsTest, MalformedBytesAreRefusedWithTheirPlace) {
  // A good group for reference: 01 | 01 65 | 01 | 01 | 01 00 05 (rule "e", 1:1, left 0 5).
  const Refusal refusals[] = {
      {"", "byte 0: version -1"},
      {"02", "byte 0: version 2"},
      {"01", "byte 1: no group"},
      {"0100", "byte 1: rule name of 0 bytes"},
      {"0105656565", "byte 1: rule name of 5 bytes"},
      {"018102", "byte 1: rule name of 257 bytes"},
      {"010165", "byte 3: kind cut"},
      {"01016505", "byte 3: kind 5"},
      {"01016500", "byte 3: kind 0"},
      {"0101650100", "byte 4: member count 0"},
      {"0101650102010005", "byte 4: member count 2"},  // 3 bytes left: one member at most
      {"0101650101040005", "byte 5: side 4"},
      {"01016501010100", "byte 4: member count 1"},
      {"0101650101010080", "byte 7: seq cut"},
      {"010165010101008000", "byte 7: seq is overlong"},
      {"01016501010100ffffffffffffffffff81", "byte 7: seq is longer than 64 bits"},
      {"01016501010100ffffffffffffffffff02", "byte 7: seq is longer than 64 bits"},
      {"010165010101808080801000", "byte 6: source 4294967296 past 32 bits"},
      {"01016501010100050101", "byte 10: kind cut"},  // a second group cut short
  };
  for (const Refusal& refusal : refusals) {
    SCOPED_TRACE(refusal.hex);
    const auto result = unpack_groups(from_hex(refusal.hex).value());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::corrupted);
    EXPECT_NE(result.error().message.find(refusal.says), std::string::npos)
        << result.error().message;
  }
}

TEST(PackedMembersTest, TheEncodingIsPinnedAndRoundTrips) {
  const std::vector<MemberRef> members = {{Side::left, 0, 5}, {Side::right, 1, 300}};
  Bytes out;
  pack_members(members, out);
  // version, 2 members: left 0 5, right 1 300 (0xac 0x02 in LEB128)
  EXPECT_EQ(to_hex(out),
            "0x0102010005"
            "0201ac02");
  EXPECT_EQ(unpack_members(out).value(), members);
  const std::vector<MemberRef> extremes = {{Side::ledger, UINT32_MAX, UINT64_MAX}};
  pack_members(extremes, out);  // the buffer is reused: cleared first
  EXPECT_EQ(unpack_members(out).value(), extremes);
}

TEST(PackedMembersTest, MalformedBytesAreRefusedWithTheirPlace) {
  const Refusal refusals[] = {
      {"", "byte 0: version -1"},
      {"02", "byte 0: version 2"},
      {"01", "byte 1: member count cut"},
      {"0100", "byte 1: member count 0"},
      {"0102010005", "byte 1: member count 2"},
      {"0101040005", "byte 2: side 4"},
      {"010101000500", "byte 5: bytes after the last member"},
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
