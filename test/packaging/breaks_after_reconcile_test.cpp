// `tally reconcile` then `tally breaks` on the same store: the workflow sees exactly the breaks the
// run stored, acts on them, and a later run neither disturbs their states nor the audit log.
#include <fstream>
#include <set>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "commands.hpp"
#include "support/joint_loan_portfolio.hpp"
#include "support/temp_dir.hpp"

namespace tally::cli {
namespace {

class BreaksAfterReconcileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tally::test::PortfolioOptions options;
    options.loans = 20;
    options.injected_per_class = 1;
    options.ledger = false;
    std::ofstream platform(platform_, std::ios::binary);
    std::ofstream partner(partner_, std::ios::binary);
    portfolio_ = tally::test::write_joint_loan_portfolio(options, platform, partner);
    std::ofstream users(dir_ / "users.txt");
    users << "olga ops\nanna approver\n";
  }

  int run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    args.push_back("--db=" + db_);
    const std::vector<std::string_view> views(args.begin(), args.end());
    return run_tally(views, out_, err_);
  }

  int reconcile() {
    return run({"reconcile", "--rules", "joint-loan", "--left", platform_, "--left-profile",
                "platform-joint-loan", "--right", partner_, "--right-profile", "partner-gbk-fixed",
                "--format", "json"});
  }

  std::set<std::int64_t> listed_ids() {
    EXPECT_EQ(run({"breaks", "list", "--format", "json"}), kExitOk) << err_.str();
    std::set<std::int64_t> ids;
    const boost::json::value listed = boost::json::parse(out_.str());
    for (const auto& b : listed.at("breaks").as_array())
      ids.insert(b.at("break_id").as_int64());
    return ids;
  }

  tally::test::TempDir dir_;
  std::string platform_ = (dir_ / "platform.csv").string();
  std::string partner_ = (dir_ / "partner.txt").string();
  std::string db_ = (dir_ / "records.db").string();
  std::string users_ = "--users=" + (dir_ / "users.txt").string();
  tally::test::Portfolio portfolio_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(BreaksAfterReconcileTest, TheWorkflowRunsOnTheStoredBreaks) {
  ASSERT_EQ(reconcile(), kExitRefused) << err_.str();
  const auto run_breaks = boost::json::parse(out_.str()).at("breaks").as_array().size();
  ASSERT_EQ(run_breaks, portfolio_.injected.size());

  const std::set<std::int64_t> ids = listed_ids();
  ASSERT_EQ(ids.size(), run_breaks);
  const std::string first = std::to_string(*ids.begin());
  ASSERT_EQ(run({"breaks", "propose", first, "--write-off", "agreed with partner", "--by", "olga",
                 users_}),
            kExitOk)
      << err_.str();
  ASSERT_EQ(run({"breaks", "approve", first, "--by", "anna", users_}), kExitOk) << err_.str();

  // A second run stores its own breaks beside the first run's; the resolved one stays resolved.
  ASSERT_EQ(reconcile(), kExitRefused) << err_.str();
  EXPECT_EQ(listed_ids().size(), 2 * run_breaks);
  ASSERT_EQ(run({"breaks", "list", "--status", "resolved", "--format", "json"}), kExitOk);
  const auto resolved = boost::json::parse(out_.str()).at("breaks").as_array();
  ASSERT_EQ(resolved.size(), 1u);
  EXPECT_EQ(resolved[0].at("break_id").as_int64(), *ids.begin());
  EXPECT_EQ(run({"breaks", "audit", "verify"}), kExitOk) << out_.str();
}

}  // namespace
}  // namespace tally::cli
