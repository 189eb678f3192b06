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

struct BucketOutput {
  std::vector<MatchGroup> groups;
  std::vector<Break> breaks;
  MatchStats stats;  // matched, over_search_bound
};

// `a` and `b` share one key and currency and are sorted by ref.
void match_bucket(const RuleSet& rules,
                  const BucketPass& pass,
                  std::span<const MatchItem> a,
                  std::span<const MatchItem> b,
                  BucketOutput& out);

}  // namespace tally::reconcile
