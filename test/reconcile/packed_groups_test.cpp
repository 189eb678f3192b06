#include <random>

#include <gtest/gtest.h>

#include <tally/reconcile/packed_groups.hpp>

#include "support/seed.hpp"

namespace tally::reconcile {
namespace {

Bytes packed(const std::vector<MatchGroup>& groups) {
  GroupPacker packer;
  for (const MatchGroup& group : groups)
    packer.add(group);
  Bytes out;
  packer.finish(out);
  return out;
}

TEST(PackedGroupsTest, TheEncodingIsPinned) {
  const std::vector<MatchGroup> groups = {
      {"exact", "1:1", {{Side::left, 0, 5}, {Side::right, 1, 300}}},
      {"sum", "N:1", {{Side::left, 0, 1}, {Side::left, 0, 2}, {Side::ledger, 2, 0}}}};
  // version; two rules, "exact" (5 bytes) and "sum"; rule 0 kind 0 (1:1), 2 members: left 0
  // (0 << 2 | 1) 5, right 1 (1 << 2 | 2) 300 (0xac 0x02 in LEB128); rule 1 kind 2 (1 << 2 | 2), 3
  // members: left 0 1, left 0 2, ledger 2 (2 << 2 | 3) 0.
  EXPECT_EQ(to_hex(packed(groups)),
            "0x02"
            "02"
            "056578616374"
            "0373756d"
            "00"
            "02"
            "0105"
            "06ac02"
            "06"
            "03"
            "0101"
            "0102"
            "0b00");
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
  // version, rule count, name length (2 bytes) and name, group head, member count, members: a
  // 34-bit head (5 bytes) and a 64-bit seq (10), then 1 and 1.
  EXPECT_EQ(bytes.size(), 1u + 1 + 2 + kMaxRuleNameBytes + 1 + 1 + (5 + 10) + 2);
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
  // A good row for reference: 02 | 01 01 65 | 00 01 01 05 (rule "e", 1:1, left 0 seq 5).
  const Refusal refusals[] = {
      {"", "byte 0: version -1"},
      {"01", "byte 0: version 1"},
      {"02", "byte 1: rule count cut"},
      {"0200", "byte 1: rule count 0"},
      {"020100", "byte 1: rule count 1"},
      {"0201006500010105", "byte 2: rule name of 0 bytes"},
      {"020181020000", "byte 2: rule name of 257 bytes"},
      {"02020165016500010105", "byte 4: rule 'e' listed twice"},
      {"0201016504010105", "byte 4: rule 1 (0 used of 1)"},
      {"0202016501660401010500010105", "byte 6: rule 1 (0 used of 2)"},
      {"02020165016600010105", "byte 10: 1 rules unused"},
      {"02010165", "byte 4: 1 rules unused"},  // no group
      {"020101650000", "byte 5: member count 0"},
      {"0201016500020105", "byte 5: member count 2"},  // 2 bytes left: one member at most
      {"0201016500010005", "byte 6: side 0"},
      {"0201016500010180", "byte 7: seq cut"},
      {"020101650001018000", "byte 7: seq is overlong"},
      {"02010165000101ffffffffffffffffff81", "byte 7: seq is longer than 64 bits"},
      {"020101650001818080804000", "byte 6: source 4294967296 past 32 bits"},
      {"020101650001010500", "byte 9: member count cut"},  // a second group cut short
  };
  // More rules than a row has groups, with bytes enough to list them.
  Bytes many_rules = from_hex("028108").value();  // 1,025 rules
  many_rules.resize(many_rules.size() + 2 * 1025 + 3, Byte{1});
  const auto too_many = unpack_groups(many_rules);
  ASSERT_FALSE(too_many);
  EXPECT_NE(too_many.error().message.find("byte 1: rule count 1025"), std::string::npos);
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
  // version, 2 members: left 0 (0 << 2 | 1) 5, right 1 (1 << 2 | 2) 300 (0xac 0x02 in LEB128)
  EXPECT_EQ(to_hex(out),
            "0x02020105"
            "06ac02");
  EXPECT_EQ(unpack_members(out).value(), members);
  const std::vector<MemberRef> extremes = {{Side::ledger, UINT32_MAX, UINT64_MAX}};
  pack_members(extremes, out);  // the buffer is reused: cleared first
  EXPECT_EQ(unpack_members(out).value(), extremes);
}

TEST(PackedMembersTest, MalformedBytesAreRefusedWithTheirPlace) {
  const Refusal refusals[] = {
      {"", "byte 0: version -1"},
      {"01", "byte 0: version 1"},
      {"02", "byte 1: member count cut"},
      {"0200", "byte 1: member count 0"},
      {"02020105", "byte 1: member count 2"},
      {"02010005", "byte 2: side 0"},
      {"0201010500", "byte 4: bytes after the last member"},
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
