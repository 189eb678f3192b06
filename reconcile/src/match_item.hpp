#pragma once
// Internal to the engine: the compact form of one record while it is matched (a MatchItem, 48
// bytes, no pointers), the arena its key and joint-loan share live in, a chunk of a partition
// (items and their arena) and its form in spill files.
//
// Items hold the offset of their key in their chunk's arena, so a chunk is two flat buffers: it
// grows by appending, is handed from a batch to the engine without a copy, and is spilled and
// read back a block at a time. Spill files live only as long as the engine that wrote them (a
// temporary folder removed with it), so a block is the buffers' bytes as they are in memory, under
// a header that catches truncation.

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

#include <tally/core/error.hpp>
#include <tally/reconcile/match_result.hpp>

namespace tally::reconcile {

inline constexpr std::int32_t kNoDay = std::numeric_limits<std::int32_t>::min();
inline constexpr std::size_t kComponentCount = 4;  // principal, interest, penalty, fee
inline constexpr std::size_t kMaxKeyBytes = 4096;
// A record's position in its source: 48 bits in an item.
inline constexpr std::uint64_t kMaxSeq = (std::uint64_t{1} << 48) - 1;

enum ItemFlag : std::uint8_t {
  kNoFundingRatio = 1,  // joint loan, left: no platform share in the rules or the record
  kJointShare = 2,      // a JointShare follows the key in the arena
};

// Joint loans only: what a partner's share is checked against. Kept in the arena after the key,
// so the items of every other run stay small.
struct JointShare {
  std::uint32_t share_bp = 0;                              // left: the partner's share used
  std::uint8_t component_mask = 0;                         // bit i: components[i] is given
  std::array<std::uint8_t, 3> reserved{};                  // zero: no unset bytes in the arena
  std::array<std::int64_t, kComponentCount> components{};  // left: expected share; right: stated
};

struct MatchItem {
  std::uint64_t hash = 0;   // key_hash of the key and currency: partition and bucket order
  std::int64_t amount = 0;  // compared: signed by direction (right flipped for "opposite"),
                            // a joint-loan left record's partner share
  std::int64_t stated = 0;  // the record's own amount, signed by its direction
  // MemberRef::seq in the low 48 bits, MemberRef::source (kMaxSources fits) in the high 16. One
  // word written whole: bit-fields were read back and rewritten, and the read stalled on the
  // stores just made to the item.
  std::uint64_t ref_bits = 0;
  std::uint32_t key = 0;       // offset of the key's entry in the partition's arena
  std::int32_t day = kNoDay;   // days since 1970-01-01 of the rule set's date field
  std::uint16_t currency = 0;  // ISO 4217 numeric code
  Side side = Side::left;
  std::uint8_t flags = 0;
  std::uint32_t reserved = 0;  // zero: no unset bytes in spill files

  std::uint64_t seq() const noexcept { return ref_bits & kMaxSeq; }
  std::uint32_t source() const noexcept { return static_cast<std::uint32_t>(ref_bits >> 48); }
  void set_ref(std::uint32_t source, std::uint64_t seq) noexcept {
    ref_bits = (std::uint64_t{source & 0xFFFF} << 48) | (seq & kMaxSeq);
  }
  MemberRef ref() const noexcept { return {side, source(), seq()}; }
};

// The size the engine's memory figures (README) assume; a new field should justify growing it.
static_assert(sizeof(MatchItem) == 48);

// The partition of a key hash among `partitions`: a multiply and a shift of the low 32 bits (a
// division was a tenth of adding a record). The bucket sort reads the top bits.
inline std::size_t partition_of(std::uint64_t hash, std::size_t partitions) noexcept {
  return static_cast<std::size_t>(((hash & 0xFFFFFFFFu) * partitions) >> 32);
}

// A fixed function of the key's bytes and the currency, so a key's partition and its place in the
// emission order never depend on the run, the machine or the build.
std::uint64_t key_hash(std::string_view key, std::uint16_t currency) noexcept;

// Keys and joint shares, each entry [u16 key length][key bytes][JointShare if kJointShare].
class ItemArena {
 public:
  // Appends an entry and sets item.key to it (and kJointShare when `joint` is given);
  // limit_exceeded when the arena would pass 4 GiB (use more partitions).
  Result<void> add(MatchItem& item, std::string_view key, const JointShare* joint);
  std::string_view key(const MatchItem& item) const noexcept {
    std::uint16_t size;
    std::memcpy(&size, bytes_.data() + item.key, sizeof size);
    return {bytes_.data() + item.key + sizeof size, size};
  }
  // The item's share; all zero when it has none.
  JointShare joint(const MatchItem& item) const noexcept;

  std::size_t size() const noexcept { return bytes_.size(); }
  std::size_t capacity() const noexcept { return bytes_.capacity(); }
  const char* data() const noexcept { return bytes_.data(); }
  void reserve(std::size_t bytes) { bytes_.reserve(bytes); }
  void clear() noexcept { bytes_.clear(); }
  void clear_and_free() noexcept { std::vector<char>().swap(bytes_); }

  // Appends another arena's bytes as they are: offsets into `other` move by the returned base.
  Result<std::uint32_t> append(const char* bytes, std::size_t size);

 private:
  std::vector<char> bytes_;
};

// Items of one partition and the arena their keys are in: a partition is a list of chunks until
// it is sorted into one.
struct ItemChunk {
  std::vector<MatchItem> items;
  ItemArena arena;

  // Bytes held, counting the buffers' spare capacity.
  std::size_t bytes() const noexcept {
    return items.capacity() * sizeof(MatchItem) + arena.capacity();
  }
  // Appends the other chunk's items and arena (offsets rebased).
  Result<void> append(const ItemChunk& other);
  void clear_and_free() noexcept {
    std::vector<MatchItem>().swap(items);
    arena.clear_and_free();
  }
};

// Appends the chunk to a spill file as one block; io_error when the write fails.
Result<void> write_block(std::FILE* file, const ItemChunk& chunk);
// Every block of a spill file (read from its start), a chunk each, appended to `into`; corrupted
// for a truncated or malformed block.
Result<void> read_blocks(std::FILE* file, std::vector<ItemChunk>& into);

}  // namespace tally::reconcile
