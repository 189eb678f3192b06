#pragma once
// A run's match groups, many to a row (match_groups.groups in schemas/sql/reconcile.sql, since
// reconcile format 2), and a break's members (breaks.members, since format 3): a row per group or
// per member made SQLite most of an end-to-end run. Sources are named by their run-local index
// (run_sources), not by a 32-byte hash per member.
//
// Encoding, version 2 (a store holds only this version: reconcile format 3):
//   byte 0     kPackedGroupsVersion (2)
//   rules      count (unsigned LEB128, at least 1), then per rule its name length (unsigned
//              LEB128, 1 to kMaxRuleNameBytes) and bytes: the rules of the row's groups, each
//              once, in the order of their first group
//   per group  rule index << 2 | kind (unsigned LEB128; kind 0 "1:1", 1 "1:N", 2 "N:1",
//              3 "N:M"), member count (unsigned LEB128, at least 1), members
//   per member source index << 2 | side (unsigned LEB128; side 1 left, 2 right, 3 ledger; the
//              index at most 32 bits), seq (unsigned LEB128, at most 64 bits)
// Version 1 spelled the rule's name out in every group and gave the side a byte of its own: 23
// bytes a 1:1 group against 13. Groups and members are written in the order given (the engine's
// emission order, members sorted). The reader is strict, so each list of groups has exactly one
// encoding: an unknown version, a bad side, a truncated or overlong varint (a redundant trailing
// zero group), an out-of-range length, count or index, a rule listed twice or not in the order of
// first use, or no group at all are `corrupted`, with the byte offset.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/reconcile/match_result.hpp>

namespace tally::reconcile {

inline constexpr std::uint8_t kPackedGroupsVersion = 2;
// Groups a row holds at most: RunWriter and the engine write a row when they have this many.
inline constexpr std::size_t kGroupsPerChunk = 1024;
// The rules schema allows names of 100 code points: at most 400 bytes of UTF-8.
inline constexpr std::size_t kMaxRuleNameBytes = 400;

// Packs groups one at a time into a row. A group's kind is one of the four, its rule name 1 to
// kMaxRuleNameBytes bytes and it has a member (programmer errors otherwise: the engine makes no
// other groups).
class GroupPacker {
 public:
  void add(const MatchGroup& group);
  void add(std::string_view rule, std::string_view kind, std::span<const MemberRef> members);
  std::size_t size() const noexcept { return count_; }
  // The row of the groups added since the last finish (at least one) into `out`, replacing what
  // it held; the packer is empty afterwards.
  void finish(Bytes& out);

 private:
  std::vector<std::string> rules_;  // in the order of their first group
  Bytes groups_;
  std::size_t count_ = 0;
};

Result<std::vector<MatchGroup>> unpack_groups(BytesView chunk);

// A break's members (breaks.members, reconcile format 3): the version byte, the member count
// (unsigned LEB128, at least 1), then the members encoded as in a group. The reader is as strict,
// and refuses bytes after the last member.
void pack_members(std::span<const MemberRef> members, Bytes& out);
Result<std::vector<MemberRef>> unpack_members(BytesView packed);

}  // namespace tally::reconcile
