// `tally ingest` end to end, in-process: the shipped profiles, the adapters' own GBK and UTF-8
// fixtures and a real camt.053 sample, through the records store.

#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "commands.hpp"
#include "support/temp_dir.hpp"
#include "support/testdata.hpp"

namespace tally::cli {
namespace {

const std::filesystem::path kFixtures = TALLY_ADAPTERS_FIXTURES;

class IngestCommandTest : public ::testing::Test {
 protected:
  int run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    std::vector<std::string_view> views{"ingest", "--db", db_};
    views.insert(views.end(), args.begin(), args.end());
    return run_tally(views, out_, err_);
  }

  boost::json::object json() { return boost::json::parse(out_.str()).as_object(); }

  test::TempDir dir_;
  std::string db_ = (dir_ / "records.db").string();
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(IngestCommandTest, AcceptsAJointLoanFileWithItsTotalsByKind) {
  const auto file = (kFixtures / "joint-loan.csv").string();
  ASSERT_EQ(run({"--profile", "platform-joint-loan", file}), kExitOk) << err_.str();
  const std::string table = out_.str();
  EXPECT_NE(table.find("joint-loan.csv: accepted, 4 records"), std::string::npos) << table;
  EXPECT_NE(table.find("repayment"), std::string::npos) << table;
  EXPECT_NE(table.find("1 file: 1 accepted, 0 refused"), std::string::npos) << table;
}

TEST_F(IngestCommandTest, JsonGivesTotalsInMinorUnits) {
  const auto file = (kFixtures / "joint-loan.csv").string();
  ASSERT_EQ(run({"--profile", "platform-joint-loan", "--format", "json", file}), kExitOk)
      << err_.str();
  const auto result = json();
  EXPECT_EQ(result.at("accepted").as_int64(), 1);
  const auto& accepted = result.at("files").as_array().at(0).as_object();
  EXPECT_EQ(accepted.at("status").as_string(), "accepted");
  EXPECT_EQ(accepted.at("records").as_int64(), 4);
  std::map<std::string, std::int64_t> totals;
  for (const auto& total : accepted.at("totals").as_array()) {
    const auto& row = total.as_object();
    totals[std::string(row.at("kind").as_string()) + "/" +
           std::string(row.at("direction").as_string())] = row.at("total_minor").as_int64();
  }
  EXPECT_EQ(totals, (std::map<std::string, std::int64_t>{{"disbursement/debit", 10'000'000},
                                                         {"repayment/credit", 984'167},
                                                         {"fee/debit", 1'250}}));
}

TEST_F(IngestCommandTest, TheSameFileTwiceIsRefusedAndNamesTheFirst) {
  const auto file = (kFixtures / "partner-settlement.txt").string();
  ASSERT_EQ(run({"--profile", "partner-gbk-fixed", file}), kExitOk) << err_.str() << out_.str();
  ASSERT_EQ(run({"--profile", "partner-gbk-fixed", "--format", "json", file}), kExitRefused);
  const auto result = json();
  const auto& refused = result.at("files").as_array().at(0).as_object();
  EXPECT_EQ(refused.at("status").as_string(), "refused");
  const std::string reason(refused.at("errors").as_array().at(0).at("reason").as_string());
  EXPECT_NE(reason.find("was ingested as 'partner-settlement.txt'"), std::string::npos) << reason;
}

TEST_F(IngestCommandTest, ARefusedFileListsItsLocatedErrorsAndStoresNothing) {
  const auto bad = (kFixtures / "joint-loan-bad-totals.csv").string();
  ASSERT_EQ(run({"--profile", "platform-joint-loan", "--format", "json", bad}), kExitRefused);
  const auto result = json();
  const auto& refused = result.at("files").as_array().at(0).as_object();
  const auto& errors = refused.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors.at(0).at("line").as_int64(), 9);
  EXPECT_EQ(errors.at(0).at("column").as_int64(), 8);
  EXPECT_NE(std::string(errors.at(0).at("reason").as_string()).find("trailer record count 5"),
            std::string::npos);
  // Refused bytes are not remembered, and nothing of them was kept: the good file still goes in.
  const auto good = (kFixtures / "joint-loan.csv").string();
  EXPECT_EQ(run({"--profile", "platform-joint-loan", good}), kExitOk) << out_.str();
}

TEST_F(IngestCommandTest, CheckStoresNothing) {
  const auto file = (kFixtures / "joint-loan.csv").string();
  ASSERT_EQ(run({"--profile", "platform-joint-loan", "--check", file}), kExitOk);
  ASSERT_EQ(run({"--profile", "platform-joint-loan", "--check", file}), kExitOk);
  EXPECT_EQ(run({"--profile", "platform-joint-loan", file}), kExitOk) << out_.str();
}

TEST_F(IngestCommandTest, ACamtStatementThroughTheGenericProfile) {
  const auto file = (test::testdata_dir() / "statements/camt/camt053.v2.five.decimals.xml");
  std::error_code exists;
  ASSERT_TRUE(std::filesystem::exists(file, exists)) << file;
  // This sample's balances do not add up: refused, located by element path.
  ASSERT_EQ(run({"--profile", "generic-camt053", "--format", "json", file.string()}), kExitRefused);
  const auto result = json();
  const auto& errors = result.at("files").as_array().at(0).at("errors").as_array();
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.at(0).at("path").as_string(), "/Document/BkToCstmrStmt/Stmt[1]/Bal[2]");
}

TEST_F(IngestCommandTest, UsageErrorsExitWithTwo) {
  const auto file = (kFixtures / "joint-loan.csv").string();
  EXPECT_EQ(run({file}), kExitFailed);
  EXPECT_NE(err_.str().find("needs --profile"), std::string::npos) << err_.str();
  EXPECT_EQ(run({"--profile", "platform-joint-loan", "--colour", "red", file}), kExitFailed);
  EXPECT_NE(err_.str().find("unknown option --colour"), std::string::npos) << err_.str();
  EXPECT_EQ(run({"--profile", "no-such-profile", file}), kExitFailed);
  EXPECT_EQ(run({"--profile", "platform-joint-loan", (dir_ / "absent.csv").string()}), kExitFailed);
  EXPECT_EQ(run({"--profile", "platform-joint-loan", "--format", "xml", file}), kExitFailed);
}

}  // namespace
}  // namespace tally::cli
