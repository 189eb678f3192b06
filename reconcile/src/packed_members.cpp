#include <tally/core/str_cat.hpp>
#include <tally/reconcile/packed_members.hpp>

namespace tally::reconcile {
namespace {

void put_varint(std::uint64_t value, Bytes& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<Byte>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<Byte>(value));
}

// Reads an unsigned LEB128 at `offset`, moving it past; refuses truncation and overlong forms.
Result<std::uint64_t> get_varint(BytesView packed, std::size_t& offset, std::string_view what) {
  const std::size_t start = offset;
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (offset == packed.size())
      return fail(Errc::corrupted, str_cat("packed members: ", what, " at byte ", start, " cut"));
    const Byte byte = packed[offset++];
    const std::uint64_t bits = byte & 0x7fu;
    if (shift == 63 && bits > 1)
      break;  // past 64 bits
    value |= bits << shift;
    if ((byte & 0x80) == 0) {
      if (byte == 0 && offset - start > 1)
        return fail(Errc::corrupted,
                    str_cat("packed members: ", what, " at byte ", start, " is overlong"));
      return value;
    }
  }
  return fail(Errc::corrupted,
              str_cat("packed members: ", what, " at byte ", start, " is longer than 64 bits"));
}

}  // namespace

void pack_members(std::span<const MemberRef> members, Bytes& out) {
  out.clear();
  out.push_back(kPackedMembersVersion);
  for (const MemberRef& member : members) {
    out.push_back(static_cast<Byte>(member.side));
    put_varint(member.source, out);
    put_varint(member.seq, out);
  }
}

Result<std::vector<MemberRef>> unpack_members(BytesView packed) {
  if (packed.empty() || packed[0] != kPackedMembersVersion) {
    return fail(Errc::corrupted,
                str_cat("packed members: byte 0: version ", packed.empty() ? -1 : int{packed[0]},
                        ", this build reads ", int{kPackedMembersVersion}));
  }
  std::vector<MemberRef> members;
  std::size_t offset = 1;
  while (offset < packed.size()) {
    const Byte side = packed[offset];
    if (side < 1 || side > 3)
      return fail(Errc::corrupted, str_cat("packed members: byte ", offset, ": side ", int{side}));
    ++offset;
    TALLY_TRY(const std::uint64_t source, get_varint(packed, offset, "source"));
    if (source > UINT32_MAX)
      return fail(Errc::corrupted, str_cat("packed members: source ", source, " past 32 bits"));
    TALLY_TRY(const std::uint64_t seq, get_varint(packed, offset, "seq"));
    members.push_back({static_cast<Side>(side), static_cast<std::uint32_t>(source), seq});
  }
  if (members.empty())
    return fail(Errc::corrupted, "packed members: no member");
  return members;
}

}  // namespace tally::reconcile
