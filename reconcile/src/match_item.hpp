#pragma once
// Internal to the engine: the compact form of one record while it is matched, and its binary
// form in spill files (little-endian fields, then the key; see write_item).

#include <array>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

#include <tally/core/error.hpp>
#include <tally/reconcile/match_result.hpp>

namespace tally::reconcile {

inline constexpr std::int32_t kNoDay = std::numeric_limits<std::int32_t>::min();
inline constexpr std::size_t kComponentCount = 4;  // principal, interest, penalty, fee
inline constexpr std::size_t kMaxKeyBytes = 4096;

enum ItemFlag : std::uint8_t {
  kNoFundingRatio = 1,  // joint loan, left: no platform share in the rules or the record
};

struct MatchItem {
  MemberRef ref;
  std::uint16_t currency = 0;  // ISO 4217 numeric code
  std::uint8_t flags = 0;
  std::uint8_t component_mask = 0;  // bit i: components[i] is given
  std::int32_t day = kNoDay;        // days since 1970-01-01 of the rule set's date field
  std::int64_t amount = 0;          // compared: signed by direction (right flipped for "opposite"),
                                    // a joint-loan left record's partner share
  std::int64_t stated = 0;          // the record's own amount, signed by its direction
  std::uint32_t share_bp = 0;       // joint loan, left: the partner's share used
  std::array<std::int64_t, kComponentCount> components{};  // left: expected share; right: stated
  std::string key;                                         // normalised key fields joined by '\x1f'

  // Bytes held in memory, for the engine's bound.
  std::size_t footprint() const noexcept { return sizeof(MatchItem) + key.capacity(); }
};

// Appends the item to a spill file; io_error when the write fails.
Result<void> write_item(std::FILE* file, const MatchItem& item);
// The next item, nullopt at the end; corrupted for a truncated or malformed item.
Result<std::optional<MatchItem>> read_item(std::FILE* file);

}  // namespace tally::reconcile
