#include <array>

#include <tally/core/assert.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/reconcile/packed_groups.hpp>

namespace tally::reconcile {
namespace {

constexpr std::array<std::string_view, 4> kKinds = {"1:1", "1:N", "N:1", "N:M"};

void put_varint(std::uint64_t value, Bytes& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<Byte>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<Byte>(value));
}

Error corrupted(std::size_t offset, std::string_view what) {
  return Error{Errc::corrupted, str_cat("packed groups: byte ", offset, ": ", what)};
}

Error version_refused(BytesView bytes) {
  return corrupted(0, str_cat("version ", bytes.empty() ? -1 : int{bytes[0]}, ", this build reads ",
                              int{kPackedGroupsVersion}));
}

// Reads the chunk from the front; each read names its byte offset when it fails.
class ChunkReader {
 public:
  ChunkReader(BytesView chunk, std::size_t offset) : chunk_(chunk), offset_(offset) {}

  bool done() const { return offset_ == chunk_.size(); }
  std::size_t offset() const { return offset_; }
  std::size_t remaining() const { return chunk_.size() - offset_; }

  Result<Byte> byte(std::string_view what) {
    if (done())
      return std::unexpected(corrupted(offset_, str_cat(what, " cut")));
    return chunk_[offset_++];
  }

  // Unsigned LEB128: refuses truncation, a redundant trailing zero group and more than 64 bits.
  Result<std::uint64_t> varint(std::string_view what) {
    const std::size_t start = offset_;
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (done())
        return std::unexpected(corrupted(start, str_cat(what, " cut")));
      const Byte next = chunk_[offset_++];
      const std::uint64_t bits = next & 0x7fu;
      if (shift == 63 && bits > 1)
        break;
      value |= bits << shift;
      if ((next & 0x80) == 0) {
        if (next == 0 && offset_ - start > 1)
          return std::unexpected(corrupted(start, str_cat(what, " is overlong")));
        return value;
      }
    }
    return std::unexpected(corrupted(start, str_cat(what, " is longer than 64 bits")));
  }

  std::string_view text(std::size_t size) {
    const auto* first = reinterpret_cast<const char*>(chunk_.data() + offset_);
    offset_ += size;
    return {first, size};
  }

 private:
  BytesView chunk_;
  std::size_t offset_;
};

Result<MemberRef> read_member(ChunkReader& in) {
  const std::size_t at = in.offset();
  TALLY_TRY(const std::uint64_t head, in.varint("member"));
  const auto side = head & 3u;
  if (side == 0)
    return std::unexpected(corrupted(at, "side 0"));
  const std::uint64_t source = head >> 2;
  if (source > UINT32_MAX)
    return std::unexpected(corrupted(at, str_cat("source ", source, " past 32 bits")));
  TALLY_TRY(const std::uint64_t seq, in.varint("seq"));
  return MemberRef{static_cast<Side>(side), static_cast<std::uint32_t>(source), seq};
}

// A member count (at least one) and the members.
Result<std::vector<MemberRef>> read_members(ChunkReader& in) {
  const std::size_t count_at = in.offset();
  TALLY_TRY(const std::uint64_t count, in.varint("member count"));
  // Each member takes at least 2 bytes: a count the bytes cannot hold allocates nothing.
  if (count == 0 || count > in.remaining() / 2)
    return std::unexpected(corrupted(count_at, str_cat("member count ", count)));
  std::vector<MemberRef> members;
  members.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t i = 0; i < count; ++i) {
    TALLY_TRY(const MemberRef member, read_member(in));
    members.push_back(member);
  }
  return members;
}

// The row's rule names: at least one, each once.
Result<std::vector<std::string>> read_rules(ChunkReader& in) {
  const std::size_t count_at = in.offset();
  TALLY_TRY(const std::uint64_t count, in.varint("rule count"));
  // Each rule takes at least 2 bytes, and each is used by one of at most kGroupsPerChunk groups
  // (which also keeps the duplicate check below small).
  if (count == 0 || count > in.remaining() / 2 || count > kGroupsPerChunk)
    return std::unexpected(corrupted(count_at, str_cat("rule count ", count)));
  std::vector<std::string> rules;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::size_t name_at = in.offset();
    TALLY_TRY(const std::uint64_t name_size, in.varint("rule name length"));
    if (name_size == 0 || name_size > kMaxRuleNameBytes || name_size > in.remaining())
      return std::unexpected(corrupted(name_at, str_cat("rule name of ", name_size, " bytes")));
    std::string name(in.text(static_cast<std::size_t>(name_size)));
    if (std::ranges::find(rules, name) != rules.end())
      return std::unexpected(corrupted(name_at, str_cat("rule '", name, "' listed twice")));
    rules.push_back(std::move(name));
  }
  return rules;
}

// A group; `used` counts the rules whose first group has been read, so rules are used in the
// order they are listed.
Result<MatchGroup> read_group(ChunkReader& in,
                              const std::vector<std::string>& rules,
                              std::size_t& used) {
  MatchGroup group;
  const std::size_t head_at = in.offset();
  TALLY_TRY(const std::uint64_t head, in.varint("group"));
  const std::uint64_t rule = head >> 2;
  if (rule >= rules.size() || rule > used)
    return std::unexpected(
        corrupted(head_at, str_cat("rule ", rule, " (", used, " used of ", rules.size(), ")")));
  if (rule == used)
    ++used;
  group.rule = rules[static_cast<std::size_t>(rule)];
  group.kind = kKinds[head & 3u];
  TALLY_TRY(group.members, read_members(in));
  return group;
}

void put_member(const MemberRef& member, Bytes& out) {
  put_varint(std::uint64_t{member.source} << 2 | static_cast<std::uint8_t>(member.side), out);
  put_varint(member.seq, out);
}

}  // namespace

void GroupPacker::add(const MatchGroup& group) {
  add(group.rule, group.kind, group.members);
}

void GroupPacker::add(std::string_view rule,
                      std::string_view kind,
                      std::span<const MemberRef> members) {
  TALLY_ASSERT(!rule.empty() && rule.size() <= kMaxRuleNameBytes);
  TALLY_ASSERT(!members.empty());
  const auto found_kind = std::ranges::find(kKinds, kind);
  TALLY_ASSERT(found_kind != kKinds.end());
  auto found_rule = std::ranges::find(rules_, rule);
  if (found_rule == rules_.end())
    found_rule = rules_.emplace(rules_.end(), rule);
  const auto rule_index = static_cast<std::uint64_t>(found_rule - rules_.begin());
  put_varint(rule_index << 2 | static_cast<std::uint64_t>(found_kind - kKinds.begin()), groups_);
  put_varint(members.size(), groups_);
  for (const MemberRef& member : members)
    put_member(member, groups_);
  ++count_;
}

void GroupPacker::finish(Bytes& out) {
  TALLY_ASSERT(count_ > 0);
  out.clear();
  out.push_back(kPackedGroupsVersion);
  put_varint(rules_.size(), out);
  for (const std::string& rule : rules_) {
    put_varint(rule.size(), out);
    out.insert(out.end(), rule.begin(), rule.end());
  }
  out.insert(out.end(), groups_.begin(), groups_.end());
  rules_.clear();
  groups_.clear();
  count_ = 0;
}

Result<std::vector<MatchGroup>> unpack_groups(BytesView chunk) {
  if (chunk.empty() || chunk[0] != kPackedGroupsVersion)
    return std::unexpected(version_refused(chunk));
  ChunkReader in(chunk, 1);
  TALLY_TRY(const auto rules, read_rules(in));
  std::vector<MatchGroup> groups;
  std::size_t used = 0;
  while (!in.done()) {
    TALLY_TRY(auto group, read_group(in, rules, used));
    groups.push_back(std::move(group));
  }
  if (used < rules.size())
    return std::unexpected(corrupted(in.offset(), str_cat(rules.size() - used, " rules unused")));
  return groups;
}

void pack_members(std::span<const MemberRef> members, Bytes& out) {
  TALLY_ASSERT(!members.empty());
  out.clear();
  out.push_back(kPackedGroupsVersion);
  put_varint(members.size(), out);
  for (const MemberRef& member : members)
    put_member(member, out);
}

Result<std::vector<MemberRef>> unpack_members(BytesView packed) {
  if (packed.empty() || packed[0] != kPackedGroupsVersion)
    return std::unexpected(version_refused(packed));
  ChunkReader in(packed, 1);
  TALLY_TRY(auto members, read_members(in));
  if (!in.done())
    return std::unexpected(corrupted(in.offset(), "bytes after the last member"));
  return members;
}

}  // namespace tally::reconcile
