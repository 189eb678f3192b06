#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <tally/core/str_cat.hpp>

#include "commands.hpp"
#include "support/joint_loan_portfolio.hpp"
#include "support/temp_dir.hpp"

namespace tally::cli {
namespace {

class ReconcileCommandTest : public ::testing::Test {
 protected:
  void write_portfolio(std::size_t injected_per_class) {
    tally::test::PortfolioOptions options;
    options.loans = 30;
    options.injected_per_class = injected_per_class;
    options.ledger = false;
    std::ofstream platform(platform_, std::ios::binary);
    std::ofstream partner(partner_, std::ios::binary);
    portfolio_ = tally::test::write_joint_loan_portfolio(options, platform, partner);
  }

  int run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    std::vector<std::string_view> views(args.begin(), args.end());
    return run_tally(views, out_, err_);
  }

  std::vector<std::string> from_files(std::string format) {
    return {"reconcile", "--rules",         "joint-loan",          "--left",
            platform_,   "--left-profile",  "platform-joint-loan", "--right",
            partner_,    "--right-profile", "partner-gbk-fixed",   "--db",
            db_,         "--format",        std::move(format)};
  }

  tally::test::TempDir dir_;
  std::string platform_ = (dir_ / "platform.csv").string();
  std::string partner_ = (dir_ / "partner.txt").string();
  std::string db_ = (dir_ / "records.db").string();
  tally::test::Portfolio portfolio_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(ReconcileCommandTest, IngestsMatchesStoresAndReportsTheBreaksAsJson) {
  write_portfolio(2);
  ASSERT_EQ(run(from_files("json")), kExitRefused) << err_.str();
  const auto json = boost::json::parse(out_.str()).as_object();
  EXPECT_EQ(json.at("rules").as_string(), "joint-loan");
  EXPECT_EQ(json.at("records").at("left").as_int64(),
            static_cast<std::int64_t>(portfolio_.platform_rows));
  const auto& breaks = json.at("breaks").as_array();
  EXPECT_EQ(breaks.size(), portfolio_.injected.size());
  EXPECT_EQ(breaks.size(), 6u * 2u);  // no ledger: its two classes are not injected
  const std::string digest(json.at("result_digest").as_string());

  // The same sources by their hashes, already in the store: the same result.
  const std::string left_hash(breaks[0].at("members").as_array()[0].at("side").as_string() == "left"
                                  ? breaks[0].at("members").as_array()[0].at("source").as_string()
                                  : "");
  ASSERT_EQ(run(from_files("json")), kExitRefused) << err_.str();
  EXPECT_EQ(boost::json::parse(out_.str()).at("result_digest").as_string(), digest);
  EXPECT_EQ(boost::json::parse(out_.str()).at("run_id").as_int64(), 2);
}

TEST_F(ReconcileCommandTest, StoredFilesAreNamedByTheirHashes) {
  write_portfolio(1);
  ASSERT_EQ(run(from_files("json")), kExitRefused) << err_.str();
  const auto first = boost::json::parse(out_.str()).as_object();
  std::string left;
  std::string right;
  for (const auto& b : first.at("breaks").as_array()) {
    for (const auto& m : b.at("members").as_array()) {
      (m.at("side").as_string() == "left" ? left : right) = m.at("source").as_string();
    }
  }
  ASSERT_FALSE(left.empty());
  ASSERT_FALSE(right.empty());
  ASSERT_EQ(run({"reconcile", "--rules", "joint-loan", "--left", left, "--right", right, "--db",
                 db_, "--format", "csv"}),
            kExitRefused)
      << err_.str();
  const std::string csv = out_.str();
  EXPECT_TRUE(csv.starts_with("break_id,class,business_date,currency,amount,key,detail,members\n"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'),
            static_cast<std::ptrdiff_t>(first.at("breaks").as_array().size() + 1));
}

TEST_F(ReconcileCommandTest, ACleanRunExitsZeroWithATable) {
  write_portfolio(0);
  ASSERT_EQ(run(from_files("table")), kExitOk) << err_.str();
  EXPECT_NE(out_.str().find("breaks   0"), std::string::npos) << out_.str();
}

TEST_F(ReconcileCommandTest, UsageErrorsExitTwoAndNameTheProblem) {
  EXPECT_EQ(run({"reconcile", "--rules", "joint-loan"}), kExitFailed);
  EXPECT_NE(err_.str().find("needs --rules, --left and --right"), std::string::npos);
  write_portfolio(0);
  EXPECT_EQ(run({"reconcile", "--rules", "no-such", "--left", platform_, "--right", partner_,
                 "--db", db_}),
            kExitFailed);
  EXPECT_NE(err_.str().find("no-such"), std::string::npos) << err_.str();
  EXPECT_EQ(run({"reconcile", "--rules", "joint-loan", "--left", platform_, "--right", partner_,
                 "--db", db_}),
            kExitFailed);
  EXPECT_NE(err_.str().find("--*-profile"), std::string::npos) << err_.str();
  EXPECT_EQ(run({"reconcile", "--rules", "joint-loan", "--left", "a", "--right", "b", "--date",
                 "2024-02-30"}),
            kExitFailed);
  EXPECT_NE(err_.str().find("--date"), std::string::npos) << err_.str();
}

TEST_F(ReconcileCommandTest, ASourceGivenTwiceOnASideIsRefusedAndNoRunIsStored) {
  write_portfolio(0);
  auto args = from_files("json");
  args[4] = str_cat(platform_, ",", platform_);  // --left
  EXPECT_EQ(run(args), kExitFailed);
  EXPECT_NE(err_.str().find("is given twice on the left side"), std::string::npos) << err_.str();
  // The file went into the store once; no run was written.
  ASSERT_EQ(run(from_files("json")), kExitOk) << err_.str();
  EXPECT_EQ(boost::json::parse(out_.str()).at("run_id").as_int64(), 1);
}

TEST_F(ReconcileCommandTest, ARefusedFileExitsOne) {
  write_portfolio(0);
  std::ofstream(platform_, std::ios::app) << "garbage row\r\n";
  EXPECT_EQ(run(from_files("table")), kExitRefused);
  EXPECT_NE(err_.str().find("refused"), std::string::npos) << err_.str();
}

// Plain CSV files (reference,amount,value_date) with their own profile and rules, for sizes and
// contents the portfolio generator does not make.
class ReconcileCsvTest : public ReconcileCommandTest {
 protected:
  void SetUp() override {
    std::ofstream(profile_) << R"({
      "name": "plain", "institution": "BANK", "format": "csv", "encoding": "utf-8",
      "csv": {"delimiter": ",", "quote": "\"", "header": "row"},
      "fields": {"reference": {"column": "reference"}, "amount": {"column": "amount"},
                 "value_date": {"column": "value_date"}},
      "dates": ["YYYY-MM-DD"], "amounts": {"decimal_separator": "."}, "currency": "CNY",
      "direction": {"from": "sign", "negative": "debit"},
      "keys": {"trim": false, "nfkc": false, "upper_case": false}})";
    std::ofstream(rules_) << R"({"name": "plain", "date_field": "value_date",
      "key": [{"left": "reference", "nfkc": false, "trim": false, "case": "keep"}],
      "rules": [{"name": "exact", "priority": 1, "kind": "one_to_one"}]})";
  }

  // `rows` movements R0, R1, ..., then `tail` as written.
  void write_csv(const std::string& path, std::size_t rows, std::string_view tail = "") {
    std::ofstream file(path, std::ios::binary);
    file << "reference,amount,value_date\n";
    for (std::size_t i = 0; i < rows; ++i)
      file << 'R' << i << ',' << (i % 1000) + 1 << ".00,2024-01-02\n";
    file << tail;
  }

  int reconcile(const std::string& left, const std::string& right) {
    return run({"reconcile", "--rules", rules_, "--left", left, "--right", right, "--left-profile",
                profile_, "--right-profile", profile_, "--db", db_, "--format", "json"});
  }

  std::string profile_ = (dir_ / "plain-profile.json").string();
  std::string rules_ = (dir_ / "plain-rules.json").string();
  std::string left_ = (dir_ / "left.csv").string();
  std::string right_ = (dir_ / "right.csv").string();
};

TEST_F(ReconcileCsvTest, AFileRefusedAfterABatchReachedTheEngineExitsOneAndStoresNoRun) {
  // More than a batch (65,536 records) goes to the engine before the bad last row refuses it.
  write_csv(left_, 70'000, "R70000,not an amount,2024-01-02\n");
  write_csv(right_, 10);
  EXPECT_EQ(reconcile(left_, right_), kExitRefused);
  EXPECT_NE(err_.str().find("left.csv refused (1 errors)"), std::string::npos) << err_.str();
  // Nothing of it stayed: a good file of the same name goes in, and the run is the first.
  write_csv(left_, 10);
  ASSERT_EQ(reconcile(left_, right_), kExitOk) << err_.str();
  const auto json = boost::json::parse(out_.str());
  EXPECT_EQ(json.at("run_id").as_int64(), 1);
  EXPECT_EQ(json.at("records").at("left").as_int64(), 10);
}

TEST_F(ReconcileCsvTest, ARecordTheEngineRefusesExitsTwoNamingItAndStoresNoRun) {
  // A key of 5,000 bytes: the file is sound, the engine takes keys up to 4,096.
  write_csv(left_, 3, str_cat(std::string(5'000, 'K'), ",1.00,2024-01-02\n"));
  write_csv(right_, 3);
  EXPECT_EQ(reconcile(left_, right_), kExitFailed);
  EXPECT_NE(err_.str().find("key of 5000 bytes"), std::string::npos) << err_.str();
  write_csv(left_, 3);
  ASSERT_EQ(reconcile(left_, right_), kExitOk) << err_.str();
  EXPECT_EQ(boost::json::parse(out_.str()).at("run_id").as_int64(), 1);
}

}  // namespace
}  // namespace tally::cli
