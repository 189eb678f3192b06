#pragma once
// Internal to the engine: the cascade of a rule set over the records of one key and currency
// (a bucket), between two sides, and the classification of what is left into breaks.

#include <span>
#include <vector>

#include <tally/reconcile/match_result.hpp>
#include <tally/reconcile/match_rules.hpp>

#include "match_item.hpp"

namespace tally::reconcile {

// A key whose 1:1 classes, or 1:N records, make more pairs than this is not searched by that rule
// (counted in MatchStats::over_search_bound): one hot key cannot make a run quadratic.
inline constexpr std::size_t kMaxPairsPerKey = std::size_t{1} << 16;

struct BucketPass {
  Side a_side = Side::left;
  Side b_side = Side::right;
  BreakClass a_missing = BreakClass::missing_right;  // an a record nobody matched
  BreakClass b_missing = BreakClass::missing_left;
  bool joint_loan = false;  // a is the platform, b the partner: mismatches are allocation ones
};

enum class GroupKind : std::uint8_t { one_to_one, one_to_many, many_to_one, many_to_many };
// MatchGroup::kind: "1:1", "1:N", "N:1", "N:M".
std::string_view group_kind_name(GroupKind kind) noexcept;

// A match group as the engine keeps it until it is emitted: no strings, its members in
// BucketOutput::members (sorted, as MatchGroup's).
struct GroupRow {
  std::uint32_t rule = 0;  // index into RuleSet::rules
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  GroupKind kind = GroupKind::one_to_one;
};

struct BucketOutput {
  std::vector<GroupRow> groups;
  std::vector<MemberRef> members;
  std::vector<Break> breaks;
  MatchStats stats;  // matched, over_search_bound
};

// `a` and `b` share one key and currency and are sorted by ref; `arena` holds their keys.
void match_bucket(const RuleSet& rules,
                  const BucketPass& pass,
                  const ItemArena& arena,
                  std::span<const MatchItem> a,
                  std::span<const MatchItem> b,
                  BucketOutput& out);

}  // namespace tally::reconcile
