#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tally/adapters/camt.hpp>
#include <tally/adapters/profile_loader.hpp>
#include <tally/adapters/profile_parser.hpp>

#include "adapters/fixtures.hpp"
#include "adapters/parsed.hpp"
#include "support/testdata.hpp"

namespace tally::adapters {
namespace {

Parsed parse(std::string_view bytes, const Profile& profile, const ParseOptions& options) {
  MemorySource source(as_bytes(bytes));
  Parsed parsed;
  parsed.report =
      parse_with_profile(source, profile, options, [&](Record&& record) -> Result<void> {
        EXPECT_TRUE(record.check());
        parsed.records.push_back(std::move(record));
        return {};
      });
  return parsed;
}

TEST(ProfileParser, Camt053GoesThroughTheCamtParserWithTheProfilesInstitution) {
  const std::string bytes = test::read_file(test::testdata_dir() / "statements" / "camt" /
                                            "camt053.v2.multi.statement.xml");
  const Profile profile = load_embedded_profile("generic-camt053").value();
  const Parsed parsed = parse(bytes, profile, {"stmt.xml", ""});
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 2u);
  EXPECT_EQ(parsed.records[0].institution, "CAMT-BANK");
  EXPECT_EQ(parsed.records[0].amount.minor_units(), 885);
  EXPECT_EQ(parsed.records[0].account, "NL26VAYB8060476890");
  EXPECT_EQ(parsed.records[1].end_to_end_id, "000000002");
  // A caller that names the institution wins over the profile.
  EXPECT_EQ(parse(bytes, profile, {"stmt.xml", "OTHER"}).records[0].institution, "OTHER");
}

TEST(ProfileParser, KeysOfStandardFormatsAreNormalizedAsTheProfileSays) {
  const Profile profile =
      load_profile(
          R"({"name": "m", "institution": "M", "format": "mt940", "keys": {"upper_case": true}})",
          "m.json")
          .value();
  const Parsed parsed = parse(
      ":20:S1\n:25:acct-1\n:28C:1\n:60F:C240101EUR0,\n:61:2401020102C1,00NTRFＲＥＦ－１//b1\n"
      ":62F:C240102EUR1,00\n-\n",
      profile, {"s.sta", ""});
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 1u);
  EXPECT_EQ(parsed.records[0].account, "ACCT-1");
  EXPECT_EQ(parsed.records[0].institution, "M");
}

TEST(ProfileParser, CsvAndFixedWidthProfilesReachTheirParsers) {
  const Parsed csv = parse(test::read_file(fixture("joint-loan.csv")),
                           load_embedded_profile("platform-joint-loan").value(), {"j", ""});
  EXPECT_TRUE(csv.report.ok());
  ASSERT_EQ(csv.records.size(), 4u);
  EXPECT_EQ(csv.records[0].institution, "PLATFORM-BANK");
  const Parsed fixed = parse(test::read_file(fixture("partner-settlement.txt")),
                             load_embedded_profile("partner-gbk-fixed").value(), {"p", ""});
  EXPECT_TRUE(fixed.report.ok());
  ASSERT_EQ(fixed.records.size(), 3u);
  EXPECT_EQ(fixed.records[0].institution, "PARTNER-BANK");
}

}  // namespace
}  // namespace tally::adapters
