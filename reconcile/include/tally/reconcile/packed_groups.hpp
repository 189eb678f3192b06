#pragma once
// A run's match groups, many to a row (match_groups.groups in schemas/sql/reconcile.sql, since
// reconcile format 2), and a break's members (breaks.members, since format 3): a row per group or
// per member made SQLite most of an end-to-end run. Sources are named by their run-local index
// (run_sources), not by a 32-byte hash per member.
//
// Encoding, version 1:
//   byte 0     kPackedGroupsVersion (1)
//   per group  rule name length (unsigned LEB128, 1 to kMaxRuleNameBytes) and its bytes,
//              kind (1 byte: 1 "1:1", 2 "1:N", 3 "N:1", 4 "N:M"),
//              member count (unsigned LEB128, at least 1),
//              per member: side (1 byte: 1 left, 2 right, 3 ledger), source index (unsigned
//              LEB128, at most 32 bits), seq (unsigned LEB128, at most 64 bits)
// Groups and members are written in the order given (the engine's emission order, members
// sorted). The reader is strict, so each list of groups has exactly one encoding: an unknown
// version or kind, a bad side, a truncated or overlong varint (a redundant trailing zero group),
// an out-of-range length or count, or no group at all are `corrupted`, with the byte offset.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/reconcile/match_result.hpp>

namespace tally::reconcile {

inline constexpr std::uint8_t kPackedGroupsVersion = 1;
// Groups a row holds: RunWriter writes a row when it has this many (and the rest at commit).
inline constexpr std::size_t kGroupsPerChunk = 1024;
inline constexpr std::size_t kMaxRuleNameBytes = 256;

// Clears `out` and writes the version byte: the start of a chunk.
void start_chunk(Bytes& out);
// Appends one group; the group's kind is one of the four, its rule name 1 to kMaxRuleNameBytes
// bytes and it has a member (programmer errors otherwise: the engine makes no other groups).
void append_group(const MatchGroup& group, Bytes& out);
// The same for a group given by its parts, as the engine holds it before it makes a MatchGroup.
void append_group(std::string_view rule,
                  std::string_view kind,
                  std::span<const MemberRef> members,
                  Bytes& out);

Result<std::vector<MatchGroup>> unpack_groups(BytesView chunk);

// A break's members (breaks.members, reconcile format 3): the version byte, the member count
// (unsigned LEB128, at least 1), then the members encoded as in a group. The reader is as strict,
// and refuses bytes after the last member.
void pack_members(std::span<const MemberRef> members, Bytes& out);
Result<std::vector<MemberRef>> unpack_members(BytesView packed);

}  // namespace tally::reconcile
