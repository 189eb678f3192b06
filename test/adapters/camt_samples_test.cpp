// The camt parser on every sample of testdata/statements/camt (Genkgo's camt test files, MIT).
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/adapters/camt.hpp>

#include "parsed.hpp"
#include "support/testdata.hpp"

namespace tally::adapters {
namespace {

std::filesystem::path sample_dir() {
  return test::testdata_dir() / "statements" / "camt";
}

Parsed parse_sample(const std::string& name) {
  return parse_file(parse_camt, sample_dir() / name, {name, "genkgo"});
}

Date ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
}

// What each sample gives: taken or refused, how many records reached the sink and, when refused,
// where the errors are. Genkgo's fixtures exercise the schema, not the arithmetic: many have
// closing balances in another currency or TxDtls amounts that do not sum to their entry, and the
// parser refuses those files, naming the element.
struct Expected {
  const char* file;
  bool ok;
  std::size_t records;
  std::vector<std::string> error_paths;  // in report order
};

const std::vector<Expected>& expectations() {
  static const std::vector<Expected> all = {
      {"camt052.v1.xml", true, 1, {}},
      {"camt052.v2.other-account.xml", true, 1, {}},
      {"camt052.v2.with-account-name.xml", true, 1, {}},
      {"camt052.v2.xml", true, 1, {}},
      {"camt052.v4.xml", false, 0, {"/Document/BkToCstmrAcctRpt/Rpt[1]/Ntry[1]"}},
      {"camt052.v6.Amt-zero.xml", false, 0, {"/Document/BkToCstmrAcctRpt/Rpt[1]/Ntry[1]"}},
      {"camt052.v6.xml", false, 0, {"/Document/BkToCstmrAcctRpt/Rpt[1]/Ntry[1]"}},
      {"camt052.v8.xml", true, 1, {}},
      {"camt053.v2.all-balance-types.xml", false, 1, {"/Document/BkToCstmrStmt/Stmt[1]/Bal[4]"}},
      {"camt053.v2.five.decimals.xml", false, 1, {"/Document/BkToCstmrStmt/Stmt[1]/Bal[2]"}},
      {"camt053.v2.minimal.ultimate.xml", false, 1, {"/Document/BkToCstmrStmt/Stmt[1]/Bal[2]"}},
      {"camt053.v2.minimal.xml", false, 1, {"/Document/BkToCstmrStmt/Stmt[1]/Bal[2]"}},
      {"camt053.v2.multi.statement.xml", true, 2, {}},
      {"camt053.v2.with-account-name.xml", true, 1, {}},
      {"camt053.v2.with-party-ids.xml", false, 1, {"/Document/BkToCstmrStmt/Stmt[1]/Bal[2]"}},
      {"camt053.v2.wrong.xml", false, 0, {"/Document/BkToCstmrStmt"}},
      {"camt053.v3.xml",
       false,
       1,
       {"/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]", "/Document/BkToCstmrStmt/Stmt[1]/Bal[2]"}},
      {"camt053.v4.xml",
       false,
       1,
       {"/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]", "/Document/BkToCstmrStmt/Stmt[1]/Bal[2]"}},
      {"camt053.v8.xml",
       false,
       1,
       {"/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]", "/Document/BkToCstmrStmt/Stmt[1]/Bal[2]"}},
      {"camt054.v2.with-account-name.xml", true, 1, {}},
      {"camt054.v2.xml",
       false,
       0,
       {"/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls/TxDtls[1]",
        "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls/TxDtls[2]",
        "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls/TxDtls[3]"}},
      {"camt054.v4.xml", false, 3, {"/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]"}},
      {"camt054.v8-with-UETR.xml", true, 1, {}},
      {"camt054.v8-with-financial-institution.xml", true, 1, {}},
      {"camt054.v8.xml", false, 3, {"/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]"}},
      {"camt53.only-Dt-with-DtTm.xml", true, 0, {}},
  };
  return all;
}

TEST(CamtSamples, EverySampleHasAnExpectedOutcome) {
  std::size_t files = 0;
  for (const auto& file : std::filesystem::directory_iterator(sample_dir())) {
    if (file.path().extension() != ".xml")
      continue;
    ++files;
    const std::string name = file.path().filename().string();
    const auto& all = expectations();
    EXPECT_TRUE(
        std::any_of(all.begin(), all.end(), [&](const Expected& e) { return e.file == name; }))
        << name << " has no expectation";
  }
  EXPECT_EQ(files, expectations().size());
}

TEST(CamtSamples, EachSampleIsTakenOrRefusedWithLocatedErrors) {
  for (const Expected& expected : expectations()) {
    SCOPED_TRACE(expected.file);
    const Parsed parsed = parse_sample(expected.file);
    EXPECT_EQ(parsed.report.ok(), expected.ok);
    EXPECT_EQ(parsed.records.size(), expected.records);
    EXPECT_EQ(parsed.report.records(), expected.records);
    std::vector<std::string> paths;
    for (const auto& error : parsed.report.errors()) {
      paths.push_back(error.where.element_path);
      EXPECT_EQ(error.where.file_id, expected.file);
      EXPECT_GT(error.where.line, 0U) << error.to_string();
    }
    EXPECT_EQ(paths, expected.error_paths);
    for (const Record& record : parsed.records) {
      EXPECT_TRUE(record.check().has_value());
      EXPECT_EQ(record.institution, "genkgo");
      EXPECT_FALSE(record.raw.empty());
      EXPECT_FALSE(record.account.empty());
    }
  }
}

TEST(CamtSamples, WrongStatementIsRefusedAtTheMessage) {
  const Parsed parsed = parse_sample("camt053.v2.wrong.xml");
  ASSERT_EQ(parsed.report.errors().size(), 1U);
  const LocatedError& error = parsed.report.errors()[0];
  EXPECT_EQ(error.where.line, 3U);
  EXPECT_EQ(error.column, 5U);
  EXPECT_EQ(error.reason, "no Stmt in BkToCstmrStmt");
}

TEST(CamtSamples, MultiStatementBalancesAndValues) {
  const Parsed parsed = parse_sample("camt053.v2.multi.statement.xml");
  ASSERT_TRUE(parsed.report.ok());
  ASSERT_EQ(parsed.records.size(), 2U);
  const Record& in = parsed.records[0];
  EXPECT_EQ(in.amount.minor_units(), 885);
  EXPECT_EQ(in.amount.currency().code(), "EUR");
  EXPECT_EQ(in.direction, Direction::credit);
  EXPECT_EQ(in.account, "NL26VAYB8060476890");
  EXPECT_EQ(in.end_to_end_id, "000000001");
  EXPECT_EQ(in.text, "Transaction Description 1");
  EXPECT_EQ(in.booking_date, ymd(2014, 12, 31));
  EXPECT_EQ(in.value_date, ymd(2015, 1, 2));
  EXPECT_EQ(in.business_date, ymd(2015, 3, 10));
  EXPECT_EQ(in.source.element_path, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]");
  EXPECT_EQ(in.source.line, 83U);
  const std::string raw(in.raw.begin(), in.raw.end());
  EXPECT_TRUE(raw.starts_with("<TxDtls>")) << raw;
  EXPECT_TRUE(raw.ends_with("</TxDtls>")) << raw;
  const std::string file = test::read_file(sample_dir() / "camt053.v2.multi.statement.xml");
  EXPECT_EQ(file.substr(in.source.byte_offset, raw.size()), raw);
  const Record& out = parsed.records[1];
  EXPECT_EQ(out.amount.minor_units(), 700);
  EXPECT_EQ(out.direction, Direction::debit);
  EXPECT_EQ(out.counterparty, "Company Name 2");  // a debit: the creditor
  EXPECT_EQ(out.end_to_end_id, "000000002");
  EXPECT_EQ(out.source.element_path, "/Document/BkToCstmrStmt/Stmt[2]/Ntry[1]/NtryDtls/TxDtls[1]");
}

TEST(CamtSamples, NotificationV4BatchValues) {
  const Parsed parsed = parse_sample("camt054.v4.xml");
  ASSERT_EQ(parsed.records.size(), 3U);
  const std::int64_t expected_minor[] = {310, 320, 320};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(parsed.records[i].amount.minor_units(), expected_minor[i]);
    EXPECT_EQ(parsed.records[i].amount.currency().code(), "CHF");
    EXPECT_EQ(parsed.records[i].account, "CH2801234000123456789");
    EXPECT_EQ(parsed.records[i].counterparty, "UNIFITS GmbH");
    EXPECT_EQ(parsed.records[i].reference, "ACSR160617103200001");
    EXPECT_EQ(parsed.records[i].booking_date, ymd(2007, 10, 18));
    EXPECT_EQ(parsed.records[i].kind, RecordKind::transfer);
  }
  EXPECT_EQ(parsed.records[0].end_to_end_id, "UXC06170000006PI00001EE00001");
  EXPECT_EQ(parsed.records[0].text, "Unstructured Remittance Information V1");
  EXPECT_EQ(parsed.records[2].text,
            "Unstructured Remittance Information V3 block 1 Unstructured Remittance Information V3 "
            "block 2");
  // The batch sums to 9.50 CHF while the entry says 200000.00 SEK: refused at the entry.
  ASSERT_EQ(parsed.report.errors().size(), 1U);
  EXPECT_EQ(parsed.report.errors()[0].reason,
            "TxDtls amounts sum to 9.50 CHF, the entry amount is -200000.00 SEK");
}

TEST(CamtSamples, ReportV1UsesVersionedNamesAndProprietaryAccount) {
  const Parsed parsed = parse_sample("camt052.v1.xml");
  ASSERT_TRUE(parsed.report.ok());
  ASSERT_EQ(parsed.records.size(), 1U);
  const Record& record = parsed.records[0];
  EXPECT_EQ(record.amount.minor_units(), 20'000'000);
  EXPECT_EQ(record.amount.currency().code(), "SEK");
  EXPECT_EQ(record.direction, Direction::debit);
  EXPECT_EQ(record.account, "CH2801234000123456789");
  EXPECT_EQ(record.reference, "AAAASESS-FP-ACCR-01");
  EXPECT_EQ(record.booking_date, ymd(2007, 10, 18));  // from a DtTm
  EXPECT_EQ(record.source.element_path, "/Document/BkToCstmrAcctRptV01/Rpt[1]/Ntry[1]");
}

TEST(CamtSamples, UetrStandsInForMissingReferences) {
  const Parsed parsed = parse_sample("camt054.v8-with-UETR.xml");
  ASSERT_TRUE(parsed.report.ok());
  ASSERT_EQ(parsed.records.size(), 1U);
  EXPECT_EQ(parsed.records[0].end_to_end_id, "255ae394-9965-4438-ac86-f406feada396");
  EXPECT_EQ(parsed.records[0].amount.minor_units(), 20'000'000);
}

TEST(CamtSamples, BalanceMismatchNamesTheAmounts) {
  const Parsed parsed = parse_sample("camt053.v2.five.decimals.xml");
  ASSERT_EQ(parsed.report.errors().size(), 1U);
  EXPECT_EQ(parsed.report.errors()[0].reason,
            "opening balance 18.15 plus booked entries 8.85 is 27.00, the closing balance says "
            "27.05");
  EXPECT_EQ(parsed.report.errors()[0].where.line, 49U);
  ASSERT_EQ(parsed.records.size(), 1U);
  EXPECT_EQ(parsed.records[0].amount.minor_units(), 885);  // "8.850": trailing zero is exact
}

}  // namespace
}  // namespace tally::adapters
