#pragma once
// Internal to the engine: the compact form of one record while it is matched, and its binary
// form in spill files (little-endian fields, then the key; see write_item).

#include <array>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
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

// Joint loans only: what a partner's share is checked against. Kept out of line so that the
// items of every other run stay small (80 bytes instead of 112): items are moved as partitions
// grow and when they are sorted, and written to spill files.
struct JointShare {
  std::uint32_t share_bp = 0;                              // left: the partner's share used
  std::uint8_t component_mask = 0;                         // bit i: components[i] is given
  std::array<std::int64_t, kComponentCount> components{};  // left: expected share; right: stated
};

// A JointShare owned by its item and copied with it; absent reads as all zero.
class JointShareBox {
 public:
  JointShareBox() = default;
  JointShareBox(const JointShareBox& other)
      : share_(other.share_ ? std::make_unique<JointShare>(*other.share_) : nullptr) {}
  JointShareBox& operator=(const JointShareBox& other) {
    if (this != &other)
      share_ = other.share_ ? std::make_unique<JointShare>(*other.share_) : nullptr;
    return *this;
  }
  JointShareBox(JointShareBox&&) noexcept = default;
  JointShareBox& operator=(JointShareBox&&) noexcept = default;

  const JointShare& get() const noexcept {
    static const JointShare kNone;
    return share_ ? *share_ : kNone;
  }
  JointShare& set() {
    if (!share_)
      share_ = std::make_unique<JointShare>();
    return *share_;
  }
  void reset() noexcept { share_.reset(); }
  bool held() const noexcept { return share_ != nullptr; }

 private:
  std::unique_ptr<JointShare> share_;
};

struct MatchItem {
  MemberRef ref;
  std::int64_t amount = 0;     // compared: signed by direction (right flipped for "opposite"),
                               // a joint-loan left record's partner share
  std::int64_t stated = 0;     // the record's own amount, signed by its direction
  std::int32_t day = kNoDay;   // days since 1970-01-01 of the rule set's date field
  std::uint16_t currency = 0;  // ISO 4217 numeric code
  std::uint8_t flags = 0;
  JointShareBox joint;
  std::string key;  // normalised key fields joined by '\x1f'

  // Bytes held in memory, for the engine's bound.
  std::size_t footprint() const noexcept {
    return sizeof(MatchItem) + key.capacity() + (joint.held() ? sizeof(JointShare) : 0);
  }
};

// The size the engine's memory figures (README) assume; a new field should justify growing it.
static_assert(sizeof(MatchItem) <= 80);

// Appends the item to a spill file; io_error when the write fails.
Result<void> write_item(std::FILE* file, const MatchItem& item);
// The next item, nullopt at the end; corrupted for a truncated or malformed item.
Result<std::optional<MatchItem>> read_item(std::FILE* file);

}  // namespace tally::reconcile
