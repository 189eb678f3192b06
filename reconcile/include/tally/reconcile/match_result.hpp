#pragma once
// What a matching run produces: match groups (records of both sides that the cascade paired, with
// the rule that did it) and breaks (what is left, classified). Members name records by side,
// source (the index of a file or ledger in the run's source list) and sequence number within it.
//
// The result is deterministic: the engine emits groups and breaks partition by partition in a
// fixed order, key by key, and the run's digest (SHA-256 over the packed rows of the groups and
// the canonical text of the breaks, in emission order; match_engine.hpp) is the same for the same
// inputs whatever their order, the memory bound, the threads or whether the run spilled to disk.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tally/adapters/record.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::reconcile {

// Stable values: stored.
enum class Side : std::uint8_t { left = 1, right = 2, ledger = 3 };
std::string_view side_name(Side side) noexcept;

struct MemberRef {
  Side side = Side::left;
  std::uint32_t source = 0;  // index into the run's sources
  std::uint64_t seq = 0;     // 0-based position within that source

  auto operator<=>(const MemberRef&) const = default;
};

// Stable names: the breaks table's CHECK constraint lists them.
enum class BreakClass : std::uint8_t {
  missing_left,         // on the right (or the ledger), not on the left
  missing_right,        // on the left, not on the right
  missing_ledger,       // on the left, not on the ledger
  amount_mismatch,      // one record a side under one key, amounts beyond every tolerance
  date_mismatch,        // amounts agree, dates outside every window
  duplicate,            // repeats a matched record of its own side (key, amount, date)
  ambiguous,            // more than one equally good match: flagged, never guessed
  allocation_mismatch,  // joint loan: the partner's amount is not its exact share
};
std::string_view break_class_name(BreakClass break_class) noexcept;
Result<BreakClass> parse_break_class(std::string_view name);

struct MatchGroup {
  std::string rule;                // the rule's name
  std::string kind;                // the group's shape: "1:1", "1:N", "N:1" or "N:M"
  std::vector<MemberRef> members;  // sorted

  bool operator==(const MatchGroup&) const = default;
};

struct Break {
  BreakClass break_class = BreakClass::missing_right;
  std::optional<adapters::Date> business_date;  // the earliest dated member's
  std::string currency;
  std::int64_t amount_minor = 0;   // the largest magnitude among the members, as stated
  std::string key;                 // the normalised key the members share
  std::string detail;              // why, in words: amounts, dates, candidates
  std::vector<MemberRef> members;  // sorted

  bool operator==(const Break&) const = default;
};

struct MatchStats {
  std::uint64_t records[3] = {0, 0, 0};  // read per side (left, right, ledger), in the period
  std::uint64_t out_of_period = 0;       // read but outside the run's dates, or undated
  std::uint64_t matched[3] = {0, 0, 0};  // records in a group, per side (pass left-right and
                                         // left-ledger counted apart: ledger counts only ledger)
  std::uint64_t groups = 0;
  std::uint64_t breaks = 0;
  std::uint64_t over_search_bound = 0;  // keys whose N:M search was over its bound
  std::uint64_t spill_files = 0;        // partitions written to disk
  std::uint64_t spilled_bytes = 0;

  bool operator==(const MatchStats&) const = default;
};

// One line of text per group or break: a break's is hashed into the run's digest (groups are
// hashed as their packed rows); a group's is for people and exports.
std::string canonical_text(const MatchGroup& group);
std::string canonical_text(const Break& result_break);

// Receives the result as the engine produces it: partition by partition, in order.
struct SourceId;

class MatchSink {
 public:
  virtual ~MatchSink() = default;
  // Once, before any group or break: the sources MemberRef::source indexes.
  virtual Result<void> on_sources(const std::vector<SourceId>& sources) {
    (void)sources;
    return {};
  }
  virtual Result<void> on_group(const MatchGroup& group) = 0;
  // `count` groups packed as a row of match_groups (packed_groups.hpp: its version byte first),
  // as the engine emits them: in order with the groups given to on_group, between the sources and
  // the breaks of their partition. The default unpacks them and calls on_group for each; a sink
  // that stores them as they are (RunWriter) overrides it.
  virtual Result<void> on_packed_groups(BytesView packed, std::size_t count);
  virtual Result<void> on_break(const Break& result_break) = 0;
  // A partition's breaks, in order. The default calls on_break for each; RunWriter stores them
  // several to a statement.
  virtual Result<void> on_breaks(std::span<const Break> breaks);
};

// Keeps everything in memory: for tests and small runs.
class CollectingSink final : public MatchSink {
 public:
  Result<void> on_group(const MatchGroup& group) override;
  Result<void> on_break(const Break& result_break) override;

  std::vector<MatchGroup> groups;
  std::vector<Break> breaks;
};

}  // namespace tally::reconcile
