#pragma once
// Records and rule sets for the matching tests, built in a line each.

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <tally/reconcile/match_engine.hpp>

namespace tally::reconcile::test {

inline adapters::Date day(int d, unsigned month = 1) {
  return adapters::Date{std::chrono::year{2024}, std::chrono::month{month},
                        std::chrono::day{static_cast<unsigned>(d)}};
}

// A CNY credit of `minor` fen under `reference`, dated 2024-01-`d`.
inline adapters::Record record(std::string_view reference,
                               std::int64_t minor,
                               int d = 15,
                               adapters::Direction direction = adapters::Direction::credit) {
  adapters::Record r(Amount{minor, Currency::from_code("CNY").value()}, direction);
  r.reference = reference;
  r.business_date = day(d);
  return r;
}

inline RuleSet rules_from(std::string_view json) {
  auto rules = load_rules(json, "test-rules.json");
  EXPECT_TRUE(rules) << rules.error().message;
  return rules ? *rules : RuleSet{};
}

inline Hash256 source_id(std::uint8_t n) {
  Hash256 id;
  id.data()[0] = n;
  return id;
}

// A run over records added by the test, collected in memory.
class MatchRun {
 public:
  explicit MatchRun(RuleSet rules, MatchOptions options = {})
      : engine_(MatchEngine::create(std::move(rules), std::move(options)).value()) {}

  MatchRun& left(const adapters::Record& r) { return add(Side::left, 1, r); }
  MatchRun& right(const adapters::Record& r) { return add(Side::right, 2, r); }
  MatchRun& ledger(const adapters::Record& r) { return add(Side::ledger, 3, r); }
  MatchRun& add(Side side, std::uint8_t source, const adapters::Record& r) {
    auto added = engine_.add(side, source_id(source), next_seq_[static_cast<int>(side) - 1]++, r);
    EXPECT_TRUE(added) << added.error().message;
    return *this;
  }

  const CollectingSink& finish() {
    auto summary = engine_.finish(sink_);
    EXPECT_TRUE(summary) << summary.error().message;
    if (summary)
      summary_ = std::move(*summary);
    return sink_;
  }
  const MatchSummary& summary() const { return summary_; }

 private:
  MatchEngine engine_;
  CollectingSink sink_;
  MatchSummary summary_;
  std::uint64_t next_seq_[3] = {0, 0, 0};
};

}  // namespace tally::reconcile::test
