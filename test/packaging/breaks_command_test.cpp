// `tally breaks` end to end, in-process: a store with engine-written breaks, a users file, and the
// subcommands' output and exit codes.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tally/core/str_cat.hpp>

#include "commands.hpp"
#include "reconcile/break_fixture.hpp"

namespace tally::cli {
namespace {

using ::testing::HasSubstr;

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

class BreaksCommandTest : public reconcile::test::BreakStoreFixture {
 protected:
  void SetUp() override {
    BreakStoreFixture::SetUp();
    add_break("2026-11-20", "amount_mismatch", 1'250);
    add_break("2026-10-01", "missing_right", 990'000);
    add_break(std::nullopt, "duplicate", 5);
    store_.reset();  // the command opens the file itself
    std::ofstream users(dir_ / "users.txt");
    users << "# who may act\nolga ops\noscar ops\nanna approver\narno approver\nada auditor\n";
  }

  Outcome run(std::vector<std::string> words) {
    words.push_back("--db=" + (dir_ / "breaks.db").string());
    if (words.front() != "list" && words.front() != "show" && words.front() != "audit")
      words.push_back("--users=" + (dir_ / "users.txt").string());
    const std::vector<std::string_view> args(words.begin(), words.end());
    std::ostringstream out;
    std::ostringstream err;
    Outcome result;
    result.code = run_breaks(args, out, err, clock_);
    result.out = out.str();
    result.err = err.str();
    return result;
  }
};

TEST_F(BreaksCommandTest, ListShowsEveryBreakWithAges) {
  const Outcome listed = run({"list", "--as-of", "2026-11-21"});
  ASSERT_EQ(listed.code, kExitOk) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("amount_mismatch"));
  EXPECT_THAT(listed.out, HasSubstr("CNY 12.50"));
  EXPECT_THAT(listed.out, HasSubstr("CNY 9900.00"));
  EXPECT_THAT(listed.out, HasSubstr(">30"));
  EXPECT_THAT(listed.out, HasSubstr("3 breaks"));
}

TEST_F(BreaksCommandTest, ListAsJson) {
  const Outcome listed = run({"list", "--as-of", "2026-11-21", "--format", "json"});
  ASSERT_EQ(listed.code, kExitOk) << listed.err;
  const auto document = boost::json::parse(listed.out).as_object();
  EXPECT_EQ(document.at("as_of").as_string(), "2026-11-21");
  const auto& breaks = document.at("breaks").as_array();
  ASSERT_EQ(breaks.size(), 3u);
  EXPECT_EQ(breaks[0].at("age_days").as_int64(), 1);
  EXPECT_EQ(breaks[0].at("age_bucket").as_string(), "0-1");
  EXPECT_EQ(breaks[1].at("age_bucket").as_string(), ">30");
  EXPECT_TRUE(breaks[2].at("age_days").is_null());
  EXPECT_EQ(breaks[0].at("status").as_string(), "open");
}

TEST_F(BreaksCommandTest, AFullWorkflowThenTheAuditVerifies) {
  EXPECT_EQ(run({"assign", "1", "--to", "oscar", "--by", "anna"}).code, kExitOk);
  EXPECT_EQ(run({"comment", "1", "--text", "asked the partner bank", "--by", "oscar"}).code,
            kExitOk);
  const Outcome proposed =
      run({"propose", "1", "--adjust", "-12.50", "--reason", "fee", "--by", "oscar"});
  ASSERT_EQ(proposed.code, kExitOk) << proposed.err;
  EXPECT_EQ(proposed.out, "break 1: propose by oscar; now proposed, owner oscar; audit entry 3\n");
  EXPECT_EQ(run({"approve", "1", "--by", "anna"}).code, kExitOk);
  EXPECT_EQ(run({"propose", "2", "--match", "fileA:3", "fileB:7", "--by", "olga"}).code, kExitOk);
  EXPECT_EQ(run({"reject", "2", "--reason", "wrong pair", "--by", "arno"}).code, kExitOk);
  EXPECT_EQ(run({"propose", "3", "--write-off", "duplicate fee line", "--by", "olga"}).code,
            kExitOk);
  EXPECT_EQ(run({"reopen", "1", "--reason", "fee refunded", "--by", "olga"}).code, kExitOk);

  const Outcome shown = run({"show", "1"});
  ASSERT_EQ(shown.code, kExitOk) << shown.err;
  EXPECT_THAT(shown.out,
              HasSubstr(R"(propose {"amount_minor":-1250,"kind":"adjust","reason":"fee"})"));
  EXPECT_THAT(shown.out, HasSubstr("#4 2026-11-21T09:00:00.000Z anna (approver) approve {}"));

  const Outcome verified = run({"audit", "verify"});
  EXPECT_EQ(verified.code, kExitOk) << verified.out << verified.err;
  EXPECT_THAT(verified.out, HasSubstr("audit log intact: 8 entries, head 8:"));
  EXPECT_THAT(verified.out, HasSubstr("break states agree"));

  const Outcome resolved = run({"list", "--status", "proposed"});
  EXPECT_THAT(resolved.out, HasSubstr("write_off by olga"));
  EXPECT_THAT(resolved.out, HasSubstr("1 break\n"));
}

TEST_F(BreaksCommandTest, RefusalsExitOneAndNameTheRule) {
  ASSERT_EQ(run({"propose", "1", "--write-off", "small", "--by", "anna"}).code, kExitOk);
  const Outcome own = run({"approve", "1", "--by", "anna"});
  EXPECT_EQ(own.code, kExitRefused);
  EXPECT_THAT(own.err, HasSubstr("break 1: four-eyes: anna proposed this resolution"));
  const Outcome ops = run({"approve", "1", "--by", "olga"});
  EXPECT_EQ(ops.code, kExitRefused);
  EXPECT_THAT(ops.err, HasSubstr("role: olga (ops) may not approve"));
  const Outcome not_proposed = run({"approve", "2", "--by", "arno"});
  EXPECT_EQ(not_proposed.code, kExitRefused);
  EXPECT_THAT(not_proposed.err, HasSubstr("status: approve is not allowed on an open break"));
  const Outcome reopen_open = run({"reopen", "2", "--reason", "x", "--by", "arno"});
  EXPECT_EQ(reopen_open.code, kExitRefused);
  const Outcome auditor = run({"comment", "2", "--text", "x", "--by", "ada"});
  EXPECT_EQ(auditor.code, kExitRefused);
  EXPECT_EQ(run({"audit", "verify"}).code, kExitOk);
}

TEST_F(BreaksCommandTest, BadUsageExitsTwo) {
  EXPECT_EQ(run({"approve", "1"}).code, kExitFailed);                             // no --by
  EXPECT_EQ(run({"approve", "1", "--by", "mallory"}).code, kExitFailed);          // unknown user
  EXPECT_EQ(run({"approve", "x", "--by", "anna"}).code, kExitFailed);             // bad id
  EXPECT_EQ(run({"approve", "99", "--by", "anna"}).code, kExitFailed);            // no such break
  EXPECT_EQ(run({"propose", "1", "--by", "olga"}).code, kExitFailed);             // no resolution
  EXPECT_EQ(run({"propose", "1", "--match", "--by", "olga"}).code, kExitFailed);  // no records
  EXPECT_EQ(run({"propose", "1", "--adjust", "1.234", "--by", "olga"}).code, kExitFailed);
  EXPECT_EQ(run({"list", "--status", "closed"}).code, kExitFailed);
  EXPECT_EQ(run({"list", "--as-of", "21/11/2026"}).code, kExitFailed);
  EXPECT_EQ(run({"frobnicate"}).code, kExitFailed);
  EXPECT_EQ(run({"audit", "check"}).code, kExitFailed);
  EXPECT_EQ(run({"list", "--bogus", "1"}).code, kExitFailed);
  EXPECT_EQ(run({"audit", "verify"}).code, kExitOk);  // and nothing was logged
  EXPECT_THAT(run({"audit", "verify"}).out, HasSubstr("0 entries"));
}

TEST_F(BreaksCommandTest, AuditVerifyExitsOneOnATamperedLog) {
  ASSERT_EQ(run({"comment", "1", "--text", "one", "--by", "olga"}).code, kExitOk);
  ASSERT_EQ(run({"comment", "1", "--text", "two", "--by", "olga"}).code, kExitOk);
  const Outcome before = run({"audit", "verify"});
  ASSERT_EQ(before.code, kExitOk);
  const std::string head = before.out.substr(before.out.find("head ") + 5, 2 + 64);
  {
    auto database = sqlite::Database::open(dir_ / "breaks.db");
    ASSERT_TRUE(database);
    ASSERT_TRUE(database->execute(
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET payload = '{\"text\":\"1\"}' "
        "WHERE seq = 1"));
  }
  const Outcome after = run({"audit", "verify"});
  EXPECT_EQ(after.code, kExitRefused);
  EXPECT_THAT(after.out, HasSubstr("first bad entry 1: entry 1: its hash does not match"));
  EXPECT_EQ(run({"audit", "verify", "--head", head}).code, kExitRefused);
  EXPECT_EQ(run({"audit", "verify", "--head", "nonsense"}).code, kExitFailed);
}

TEST_F(BreaksCommandTest, AKeptHeadCatchesARewrittenTail) {
  ASSERT_EQ(run({"comment", "1", "--text", "one", "--by", "olga"}).code, kExitOk);
  ASSERT_EQ(run({"comment", "1", "--text", "two", "--by", "olga"}).code, kExitOk);
  const Outcome before = run({"audit", "verify"});
  const std::string head = before.out.substr(before.out.find("head ") + 5, 2 + 64);
  EXPECT_EQ(run({"audit", "verify", "--head", head}).code, kExitOk);
  {
    auto database = sqlite::Database::open(dir_ / "breaks.db");
    ASSERT_TRUE(database);
    ASSERT_TRUE(database->execute(
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2;"
        "UPDATE audit_anchor SET seq = 1, hash = (SELECT hash FROM audit_log WHERE seq = 1);"
        "UPDATE break_state SET action_count = 1"));
  }
  EXPECT_EQ(run({"audit", "verify"}).code, kExitOk);  // undetectable without a kept head
  const Outcome kept = run({"audit", "verify", "--head", head});
  EXPECT_EQ(kept.code, kExitRefused);
  EXPECT_THAT(kept.out, HasSubstr("the trusted head is entry 2"));
}

TEST_F(BreaksCommandTest, HelpAndMissingStore) {
  std::ostringstream out;
  std::ostringstream err;
  const std::vector<std::string_view> help = {"help"};
  EXPECT_EQ(run_breaks(help, out, err, clock_), kExitOk);
  EXPECT_THAT(out.str(), HasSubstr("audit verify"));
  const std::string missing = "--db=" + (dir_ / "nope.db").string();
  const std::vector<std::string_view> list = {"list", missing};
  EXPECT_EQ(run_breaks(list, out, err, clock_), kExitFailed);
}

}  // namespace
}  // namespace tally::cli
