#include "support/joint_loan_portfolio.hpp"

#include <fstream>
#include <iostream>
#include <set>

#include <gtest/gtest.h>

#include <tally/adapters/profile_loader.hpp>
#include <tally/adapters/profile_parser.hpp>
#include <tally/reconcile/ingest.hpp>
#include <tally/reconcile/match_engine.hpp>

#include "support/seed.hpp"
#include "support/temp_dir.hpp"

namespace tally::reconcile {
namespace {

using Finding = std::pair<BreakClass, std::string>;

// The generated files taken through the shipped profiles into a store, then matched by the
// shipped joint-loan rules with the ledger's entries as the third source.
class PortfolioRun {
 public:
  explicit PortfolioRun(const tally::test::PortfolioOptions& options) {
    {
      std::ofstream platform(dir_ / "platform.csv", std::ios::binary);
      std::ofstream partner(dir_ / "partner.txt", std::ios::binary);
      portfolio_ = tally::test::write_joint_loan_portfolio(options, platform, partner);
    }
    store_.emplace(RecordStore::open(dir_ / "records.db").value());
    const auto platform = ingest("platform.csv", "platform-joint-loan");
    const auto partner = ingest("partner.txt", "partner-gbk-fixed");
    auto rules = load_embedded_rules("joint-loan");
    EXPECT_TRUE(rules) << rules.error().message;
    auto engine = MatchEngine::create(*rules, {}).value();
    add(engine, Side::left, platform);
    add(engine, Side::right, partner);
    if (options.ledger) {
      EXPECT_TRUE(engine.add_ledger(VectorLedgerSource(portfolio_.ledger)));
    }
    summary_ = engine.finish(sink_).value();
  }

  std::multiset<Finding> found() const {
    std::multiset<Finding> out;
    for (const auto& b : sink_.breaks)
      out.emplace(b.break_class, b.key.substr(b.key.rfind('|') + 1));
    return out;
  }
  std::multiset<Finding> injected() const {
    std::multiset<Finding> out;
    for (const auto& injected : portfolio_.injected)
      out.emplace(injected.break_class, injected.reference);
    return out;
  }

  const tally::test::Portfolio& portfolio() const { return portfolio_; }
  const MatchSummary& summary() const { return summary_; }
  const CollectingSink& sink() const { return sink_; }

 private:
  Hash256 ingest(const std::string& file, const std::string& profile_name) {
    const auto profile = adapters::load_embedded_profile(profile_name);
    EXPECT_TRUE(profile) << profile.error().message;
    const FileParser parse = [&profile](adapters::ByteSource& source,
                                        const adapters::ParseOptions& options,
                                        const adapters::RecordSink& sink) {
      return adapters::parse_with_profile(source, *profile, options, sink);
    };
    const ManualClock clock;
    const auto outcome =
        ingest_file(*store_, {dir_ / file, profile_name, profile->institution}, parse, clock);
    EXPECT_TRUE(outcome) << outcome.error().message;
    EXPECT_TRUE(outcome->accepted)
        << file << ": " << outcome->error_count
        << " errors, first: " << (outcome->errors.empty() ? "" : outcome->errors[0].reason)
        << " at line " << (outcome->errors.empty() ? 0 : outcome->errors[0].where.line);
    return outcome->file.file_hash;
  }

  void add(MatchEngine& engine, Side side, const Hash256& file) {
    const auto visited =
        store_->visit_records(file, [&](std::uint64_t seq, const adapters::Record& record) {
          return engine.add(side, file, seq, record);
        });
    EXPECT_TRUE(visited) << visited.error().message;
  }

  tally::test::TempDir dir_;
  std::optional<RecordStore> store_;
  tally::test::Portfolio portfolio_;
  CollectingSink sink_;
  MatchSummary summary_;
};

TEST(JointLoanPortfolio, ACleanPortfolioMatchesWhole) {
  tally::test::PortfolioOptions options;
  options.seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(options.seed));
  options.loans = 40;
  options.injected_per_class = 0;
  const PortfolioRun run(options);
  EXPECT_TRUE(run.sink().breaks.empty())
      << run.sink().breaks.size() << " breaks, first: " << run.sink().breaks[0].detail;
  const auto rows = run.portfolio().platform_rows;
  EXPECT_EQ(rows, 40u * 7u);
  EXPECT_EQ(run.summary().stats.matched[0], 2 * rows);  // against the partner and the ledger
  EXPECT_EQ(run.summary().stats.matched[1], rows);
  EXPECT_EQ(run.summary().stats.matched[2], rows);
}

TEST(JointLoanPortfolio, TheEngineFindsExactlyTheInjectedBreaksOfEveryClass) {
  tally::test::PortfolioOptions options;
  options.seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(options.seed));
  options.loans = 150;
  options.injected_per_class = 3;
  const PortfolioRun run(options);
  const auto found = run.found();
  const auto injected = run.injected();
  ASSERT_EQ(injected.size(), 8u * 3u);
  std::size_t true_positives = 0;
  for (const auto& finding : std::set<Finding>(found.begin(), found.end()))
    true_positives += std::min(found.count(finding), injected.count(finding));
  const double precision = found.empty() ? 1.0 : double(true_positives) / double(found.size());
  const double recall = double(true_positives) / double(injected.size());
  std::cout << "joint-loan portfolio: " << run.portfolio().platform_rows << " platform rows, "
            << run.portfolio().partner_rows << " partner rows, " << injected.size()
            << " injected breaks, " << found.size() << " found: precision " << precision
            << ", recall " << recall << '\n';
  EXPECT_EQ(found, injected);
  for (const auto& b : run.sink().breaks) {
    if (b.break_class == BreakClass::ambiguous) {
      EXPECT_EQ(b.members.size(), 3u);  // the platform record and both partner candidates
    }
    if (b.break_class == BreakClass::allocation_mismatch) {
      EXPECT_NE(b.detail.find("7000 bp"), std::string::npos) << b.detail;
    }
  }
}

TEST(JointLoanPortfolio, PartnerShareIsLargestRemainder) {
  EXPECT_EQ(tally::test::partner_share(879'167, 3'000), 615'417);
  EXPECT_EQ(tally::test::partner_share(1'001, 5'000), 500);  // a tie goes to the platform
  EXPECT_EQ(tally::test::partner_share(1, 3'000), 1);        // .7 beats .3
  EXPECT_EQ(tally::test::partner_share(0, 3'000), 0);
}

}  // namespace
}  // namespace tally::reconcile
