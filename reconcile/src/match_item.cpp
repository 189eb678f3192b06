#include "match_item.hpp"

#include <bit>
#include <sys/stat.h>

#include <tally/core/str_cat.hpp>

namespace tally::reconcile {
namespace {

constexpr std::uint64_t kBlockMagic = 0x314b4c4259414c54ULL;  // "TALYBLK1"
constexpr std::size_t kMaxArenaBytes = std::numeric_limits<std::uint32_t>::max();

struct BlockHeader {
  std::uint64_t magic = kBlockMagic;
  std::uint64_t items = 0;
  std::uint64_t arena_bytes = 0;
};

}  // namespace

std::uint64_t key_hash(std::string_view key, std::uint16_t currency) noexcept {
  // Eight bytes at a time, read little-endian on any machine, each word folded in by a multiply;
  // the length and currency, then splitmix64's finaliser, so the low bits (the partition) and the
  // high ones (the bucket sort) both depend on every byte.
  constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;
  const auto load = [](const char* at, auto width) {
    decltype(width) word;
    std::memcpy(&word, at, sizeof word);
    if constexpr (std::endian::native == std::endian::big)
      word = std::byteswap(word);
    return std::uint64_t{word};
  };
  // The last `size` (1 to 7) bytes from `at`, zero-extended, built in registers from loads that
  // stay inside the key (a memcpy into a zeroed word on the stack, read back whole, stalled).
  const auto tail = [&load, &key](std::size_t at, std::size_t size) {
    if (key.size() >= 8)  // the key's last 8 bytes, the ones before the tail shifted out
      return load(key.data() + key.size() - 8, std::uint64_t{}) >> (8 * (8 - size));
    if (size >= 4) {  // two 4-byte loads, overlapping when size < 8
      return load(key.data() + at, std::uint32_t{}) |
             load(key.data() + at + size - 4, std::uint32_t{}) << (8 * (size - 4));
    }
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < size; ++i)
      word |= std::uint64_t{static_cast<std::uint8_t>(key[at + i])} << (8 * i);
    return word;
  };
  std::uint64_t hash = 0x243F6A8885A308D3ULL;
  std::size_t at = 0;
  for (; at + 8 <= key.size(); at += 8) {
    hash = (hash ^ load(key.data() + at, std::uint64_t{})) * kMultiplier;
    hash ^= hash >> 32;
  }
  if (at < key.size()) {
    hash = (hash ^ tail(at, key.size() - at)) * kMultiplier;
    hash ^= hash >> 32;
  }
  hash ^= (std::uint64_t{currency} << 32) ^ key.size();
  hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9ULL;
  hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBULL;
  return hash ^ (hash >> 31);
}

Result<void> ItemArena::add(MatchItem& item, std::string_view key, const JointShare* joint) {
  if (key.size() > kMaxKeyBytes)
    return fail(Errc::limit_exceeded, str_cat("key of ", key.size(), " bytes"));
  const auto size = static_cast<std::uint16_t>(key.size());
  const std::size_t entry = sizeof size + key.size() + (joint ? sizeof(JointShare) : 0);
  if (bytes_.size() + entry > kMaxArenaBytes)
    return fail(Errc::limit_exceeded, "match: a partition's keys pass 4 GiB (use more partitions)");
  item.key = static_cast<std::uint32_t>(bytes_.size());
  bytes_.resize(bytes_.size() + entry);
  char* at = bytes_.data() + item.key;
  std::memcpy(at, &size, sizeof size);
  std::memcpy(at + sizeof size, key.data(), key.size());
  if (joint) {
    std::memcpy(at + sizeof size + key.size(), joint, sizeof(JointShare));
    item.flags |= kJointShare;
  }
  return {};
}

JointShare ItemArena::joint(const MatchItem& item) const noexcept {
  JointShare share;
  if (item.flags & kJointShare) {
    std::uint16_t size;
    std::memcpy(&size, bytes_.data() + item.key, sizeof size);
    std::memcpy(&share, bytes_.data() + item.key + sizeof size + size, sizeof share);
  }
  return share;
}

Result<std::uint32_t> ItemArena::append(const char* bytes, std::size_t size) {
  if (bytes_.size() + size > kMaxArenaBytes)
    return fail(Errc::limit_exceeded, "match: a partition's keys pass 4 GiB (use more partitions)");
  const auto base = static_cast<std::uint32_t>(bytes_.size());
  bytes_.insert(bytes_.end(), bytes, bytes + size);
  return base;
}

Result<void> ItemChunk::append(const ItemChunk& other) {
  TALLY_TRY(const auto base, arena.append(other.arena.data(), other.arena.size()));
  const std::size_t first = items.size();
  items.insert(items.end(), other.items.begin(), other.items.end());
  for (std::size_t i = first; i < items.size(); ++i)
    items[i].key += base;
  return {};
}

Result<void> write_block(std::FILE* file, const ItemChunk& chunk) {
  const BlockHeader header{kBlockMagic, chunk.items.size(), chunk.arena.size()};
  if (std::fwrite(&header, sizeof header, 1, file) != 1 ||
      std::fwrite(chunk.items.data(), sizeof(MatchItem), chunk.items.size(), file) !=
          chunk.items.size() ||
      std::fwrite(chunk.arena.data(), 1, chunk.arena.size(), file) != chunk.arena.size())
    return fail(Errc::io_error, "spill file: write failed");
  return {};
}

Result<void> read_blocks(std::FILE* file, std::vector<ItemChunk>& into) {
  struct stat status {};
  if (::fstat(::fileno(file), &status) != 0)
    return fail(Errc::io_error, "spill file: cannot stat");
  const auto file_bytes = static_cast<std::uint64_t>(status.st_size);
  std::vector<char> arena;
  for (;;) {
    const auto at = static_cast<std::uint64_t>(std::ftell(file));
    BlockHeader header;
    const std::size_t got = std::fread(&header, 1, sizeof header, file);
    if (got == 0 && std::feof(file))
      return {};
    // The sizes are checked against the file before anything is allocated for them.
    const std::uint64_t left = file_bytes - std::min(file_bytes, at + sizeof header);
    if (got != sizeof header || header.magic != kBlockMagic ||
        header.arena_bytes > kMaxArenaBytes || header.items > left / sizeof(MatchItem) ||
        header.items * sizeof(MatchItem) + header.arena_bytes > left)
      return fail(Errc::corrupted, "spill file: a malformed block header");
    ItemChunk& chunk = into.emplace_back();
    chunk.items.resize(header.items);
    arena.resize(header.arena_bytes);
    if (std::fread(chunk.items.data(), sizeof(MatchItem), header.items, file) != header.items ||
        std::fread(arena.data(), 1, arena.size(), file) != arena.size())
      return fail(Errc::corrupted, "spill file: a truncated block");
    for (const MatchItem& item : chunk.items) {
      const auto side = static_cast<std::uint8_t>(item.side);
      if (side < 1 || side > 3)
        return fail(Errc::corrupted, "spill file: an item's side");
      std::uint16_t size = 0;
      if (item.key + sizeof size <= arena.size())
        std::memcpy(&size, arena.data() + item.key, sizeof size);
      const std::size_t end = std::size_t{item.key} + sizeof size + size +
                              ((item.flags & kJointShare) ? sizeof(JointShare) : 0);
      if (item.key + sizeof size > arena.size() || end > arena.size())
        return fail(Errc::corrupted, "spill file: an item's key outside its block");
    }
    TALLY_TRY_VOID(chunk.arena.append(arena.data(), arena.size()));
  }
}

}  // namespace tally::reconcile
