#pragma once
// The members of a stored match group in one BLOB (match_groups.members, schemas/sql/reconcile.sql,
// reconcile format 2): one row per group instead of one row per member, and sources named by their
// run-local index (run_sources) instead of a 32-byte hash each.
//
// Encoding, version 1:
//   byte 0      kPackedMembersVersion (1)
//   per member  side (1 byte: 1 left, 2 right, 3 ledger), source index (unsigned LEB128),
//               seq (unsigned LEB128)
// The member count is what the bytes hold; members are written in the order given (the engine's
// sorted order). The reader is strict: an unknown version, a bad side, a truncated or overlong
// varint (a redundant trailing zero group, or more than 64 bits), a source index past 32 bits or
// an empty group are `corrupted`, with the byte offset.

#include <cstdint>
#include <span>
#include <vector>

#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/reconcile/match_result.hpp>

namespace tally::reconcile {

inline constexpr std::uint8_t kPackedMembersVersion = 1;

// Appends the encoding of `members` to `out` (cleared first): the caller reuses one buffer.
void pack_members(std::span<const MemberRef> members, Bytes& out);

Result<std::vector<MemberRef>> unpack_members(BytesView packed);

}  // namespace tally::reconcile
