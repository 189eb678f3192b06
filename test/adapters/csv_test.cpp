#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tally/adapters/csv.hpp>
#include <tally/adapters/profile_loader.hpp>
#include <tally/core/str_cat.hpp>

#include "adapters/fixtures.hpp"
#include "adapters/parsed.hpp"
#include "support/testdata.hpp"

namespace tally::adapters {
namespace {

using ::testing::ElementsAre;

const Currency kCny = Currency::from_code("CNY").value();

Amount cny(std::int64_t minor) {
  return Amount(minor, kCny);
}

const Profile& joint_loan() {
  static const Profile profile = load_embedded_profile("platform-joint-loan").value();
  return profile;
}

Parsed parse_text(std::string_view text, const Profile& profile, std::size_t max_read = 1 << 20) {
  MemorySource source(as_bytes(text), max_read);
  Parsed parsed;
  parsed.report =
      parse_csv(source, profile, {"test.csv", ""}, [&](Record&& record) -> Result<void> {
        EXPECT_TRUE(record.check());
        parsed.records.push_back(std::move(record));
        return {};
      });
  return parsed;
}

Parsed parse_fixture(const std::string& name, const Profile& profile) {
  const std::string bytes = test::read_file(fixture(name));
  MemorySource source(as_bytes(bytes));
  Parsed parsed;
  parsed.report =
      parse_csv(source, profile, {name, "PLATFORM"}, [&](Record&& record) -> Result<void> {
        EXPECT_TRUE(record.check());
        parsed.records.push_back(std::move(record));
        return {};
      });
  return parsed;
}

// A small profile of index-addressed columns for the tokenizer's own cases.
Profile simple_profile(std::string_view extra = "") {
  return load_profile(str_cat(R"({"name": "t", "institution": "T", "format": "csv",
    "csv": {"header": "none"}, "currency": "CNY",
    "fields": {"reference": {"index": 0}, "amount": {"index": 1}, "text": {"index": 2}},
    "amounts": {"grouping_separator": ",", "strip": ["¥", "￥", "$", "€", "CNY"],
                "negative": ["leading_minus", "trailing_minus", "parentheses", "cr_dr_suffix"]})",
                              extra, "}"),
                      "simple.json")
      .value();
}

TEST(Csv, JointLoanFileGivesEveryRecordWithItsComponentsTermAndRatio) {
  const std::string bytes = test::read_file(fixture("joint-loan.csv"));
  const Parsed parsed = parse_fixture("joint-loan.csv", joint_loan());
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 4u);

  const Record& disbursed = parsed.records[0];
  EXPECT_EQ(disbursed.reference, "TX0001");
  EXPECT_EQ(disbursed.loan_id, "LOAN-001");  // fullwidth ＬＯＡＮ－００１ folded by NFKC
  EXPECT_EQ(disbursed.term, 1u);
  EXPECT_EQ(disbursed.kind, RecordKind::disbursement);
  EXPECT_EQ(disbursed.direction, Direction::debit);
  EXPECT_EQ(disbursed.counterparty, "合作银行甲");
  EXPECT_EQ(disbursed.funding_ratio_bp, 3000u);
  EXPECT_EQ(disbursed.business_date, ymd(2024, 1, 15));
  EXPECT_EQ(disbursed.amount, cny(10'000'000));
  EXPECT_EQ(disbursed.components.principal, cny(10'000'000));
  EXPECT_EQ(disbursed.text, "首次放款");
  EXPECT_EQ(disbursed.institution, "PLATFORM");
  EXPECT_EQ(disbursed.source.line, 4u);
  EXPECT_EQ(disbursed.source.byte_offset, bytes.find("TX0001"));
  EXPECT_THAT(text_of(disbursed.raw), ::testing::StartsWith("TX0001,ＬＯＡＮ－００１,1,放款"));
  EXPECT_THAT(text_of(disbursed.raw), ::testing::EndsWith(",首次放款"));

  const Record& repaid = parsed.records[1];
  EXPECT_EQ(repaid.loan_id, "LOAN-001");  // upper-cased key
  EXPECT_EQ(repaid.kind, RecordKind::repayment);
  EXPECT_EQ(repaid.direction, Direction::credit);
  EXPECT_EQ(repaid.amount, cny(879'167));  // "¥8,791.67"
  EXPECT_EQ(repaid.components.principal, cny(833'333));
  EXPECT_EQ(repaid.components.interest, cny(41'667));
  EXPECT_EQ(repaid.components.penalty_interest, cny(2'000));
  EXPECT_EQ(repaid.components.fee, cny(2'167));
  EXPECT_EQ(repaid.business_date, ymd(2024, 1, 31));  // 2024/01/31
  EXPECT_EQ(repaid.value_date, ymd(2024, 1, 31));     // 20240131
  EXPECT_EQ(repaid.text, "含罚息, 逾期1天");

  const Record& quoted = parsed.records[2];
  EXPECT_EQ(quoted.funding_ratio_bp, 7000u);  // "0.7"
  EXPECT_EQ(quoted.term, 3u);
  EXPECT_EQ(quoted.amount, cny(105'000));  // no currency in the row: the profile's
  EXPECT_EQ(quoted.text, "备注含\"引号\"\n第二行");
  EXPECT_EQ(quoted.source.line, 6u);
  EXPECT_THAT(text_of(quoted.raw), ::testing::EndsWith("\"备注含\"\"引号\"\"\n第二行\""));

  const Record& fee = parsed.records[3];
  EXPECT_EQ(fee.kind, RecordKind::fee);
  EXPECT_EQ(fee.amount, cny(1'250));  // "RMB 12.50"
  EXPECT_EQ(fee.components.fee, cny(1'250));
  EXPECT_EQ(fee.source.line, 8u);  // after the two-line quoted field
}

TEST(Csv, ChunkBoundariesAnywhereChangeNothing) {
  const std::string bytes = test::read_file(fixture("joint-loan.csv"));
  const Parsed whole = parse_text(bytes, joint_loan());
  ASSERT_TRUE(whole.report.ok());
  for (const std::size_t chunk : {1u, 2u, 3u, 7u, 64u}) {
    const Parsed trickled = parse_text(bytes, joint_loan(), chunk);
    EXPECT_TRUE(trickled.report.ok()) << chunk;
    EXPECT_EQ(trickled.records, whole.records) << chunk;
  }
}

TEST(Csv, ControlTotalsOfTheTrailerAreChecked) {
  const Parsed parsed = parse_fixture("joint-loan-bad-totals.csv", joint_loan());
  EXPECT_THAT(parsed.errors(),
              ElementsAre("joint-loan-bad-totals.csv:9:8: trailer record count 5 but the file has "
                          "4 records",
                          "joint-loan-bad-totals.csv:9:18: trailer sum 109854.18 but the records "
                          "sum to 109854.17"));
}

TEST(Csv, EveryBadRowIsReportedAtItsField) {
  const Parsed parsed = parse_fixture("joint-loan-bad-rows.csv", joint_loan());
  EXPECT_THAT(
      parsed.errors(),
      ElementsAre(
          "joint-loan-bad-rows.csv:4:50: business_date (field 8): date '2024-02-30' is not a "
          "calendar date",
          "joint-loan-bad-rows.csv:5:76: amount (field 11): record: components sum to 99.00, not "
          "the amount 100.00",
          "joint-loan-bad-rows.csv:6:26: direction (field 5): 'X' is not a known indicator",
          "joint-loan-bad-rows.csv:6:19: kind (field 4): '转账' is not a known kind",
          "joint-loan-bad-rows.csv:7:36: a quote inside an unquoted field"));
  ASSERT_EQ(parsed.records.size(), 1u);  // the good row, with the trailer's count of 1 matching
  EXPECT_EQ(parsed.records[0].reference, "TX0105");
}

TEST(Csv, GbkFileWithPipeDelimiterKeepsCharactersWhoseSecondByteIsThePipe) {
  Profile profile = joint_loan();
  profile.encoding = TextEncoding::gbk;
  profile.csv.delimiter = '|';
  profile.csv.header_row = true;
  profile.csv.find_header = false;
  profile.csv.trailer_tag_column.reset();
  const std::string bytes = test::read_file(fixture("joint-loan-gbk.csv"));
  ASSERT_NE(bytes.find("\x96\x7C"), std::string::npos);  // 東 in GBK
  const Parsed parsed = parse_text(bytes, profile);
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 2u);
  EXPECT_EQ(parsed.records[0].counterparty, "東亞銀行");
  EXPECT_EQ(parsed.records[0].loan_id, "LOAN-201");
  EXPECT_EQ(parsed.records[0].amount, cny(123'450));  // "￥1,234.50"
  EXPECT_EQ(parsed.records[0].text, "東區分行");
  EXPECT_EQ(parsed.records[0].funding_ratio_bp, 4000u);
  EXPECT_EQ(text_of(parsed.records[0].raw).substr(0, 7), "TX0201|");
  EXPECT_EQ(parsed.records[0].raw.size(),
            bytes.find('\n', bytes.find("TX0201")) - bytes.find("TX0201"));
  EXPECT_EQ(parsed.records[1].kind, RecordKind::disbursement);
}

TEST(Csv, InvalidGbkBytesAreLocatedNeverReplaced) {
  Profile profile = simple_profile();
  profile.encoding = TextEncoding::gbk;
  const Parsed parsed = parse_text("R1,1.00,ok\nR2,2.00,\xD5\xC5\xFF\x41\n", profile);
  EXPECT_THAT(parsed.errors(),
              ElementsAre("test.csv:2:11: text: invalid gbk byte sequence starting 0xff41"));
  ASSERT_EQ(parsed.records.size(), 1u);
}

TEST(Csv, AStrayGbkLeadByteDoesNotSwallowTheDelimiterOrLineEnd) {
  Profile profile = simple_profile();
  profile.encoding = TextEncoding::gbk;
  const Parsed parsed = parse_text("R1,1.00,ab\x81,more\nR2,2.00,\xB6\n\nR3,3.00,ok\n", profile);
  EXPECT_THAT(parsed.errors(),
              ElementsAre("test.csv:1:11: text: invalid gbk byte sequence starting 0x81",
                          "test.csv:2:9: text: invalid gbk byte sequence starting 0xb6"));
  ASSERT_EQ(parsed.records.size(), 1u);
  EXPECT_EQ(parsed.records[0].reference, "R3");
  EXPECT_EQ(parsed.records[0].source.line, 4u);
}

TEST(Csv, NegativeAmountsInEveryNotationGiveTheDebitDirection) {
  const Parsed parsed = parse_text(
      "A,-1.50,x\nB,1.50-,x\nC,(1.50),x\nD,1.50 DR,x\nE,1.50 CR,x\nF,\"¥-1,234.50\",x\n"
      "G,￥1.00,x\nH,\"-$2.00\",x\n",
      simple_profile());
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 8u);
  const std::vector<std::pair<std::int64_t, Direction>> expected = {
      {150, Direction::debit},  {150, Direction::debit},  {150, Direction::debit},
      {150, Direction::debit},  {150, Direction::credit}, {123'450, Direction::debit},
      {100, Direction::credit}, {200, Direction::debit}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(parsed.records[i].amount.minor_units(), expected[i].first) << i;
    EXPECT_EQ(parsed.records[i].direction, expected[i].second) << i;
  }
}

TEST(Csv, QuotingRulesOfRfc4180AndTheirErrors) {
  const Parsed parsed = parse_text(
      "\"R,1\",\"1.00\",\"say \"\"hi\"\"\"\r\n"
      "R2,2.00,\"two\r\nlines\"\r\n"
      "\"R3\"x,3.00,bad\r\n"
      "R4,4.00,\"never closed\r\n",
      simple_profile());
  ASSERT_EQ(parsed.records.size(), 2u);
  EXPECT_EQ(parsed.records[0].reference, "R,1");
  EXPECT_EQ(parsed.records[0].text, "say \"hi\"");
  EXPECT_EQ(parsed.records[1].text, "two\r\nlines");
  EXPECT_EQ(parsed.records[1].source.line, 2u);
  EXPECT_THAT(parsed.errors(), ElementsAre("test.csv:4:5: text after the closing quote of a field",
                                           "test.csv:5:9: a quoted field is not closed"));
}

TEST(Csv, ARecordLongerThanTheLimitEndsTheParse) {
  Profile profile = simple_profile();
  profile.max_record_bytes = 32;
  const std::string long_text(40, 'x');
  const Parsed parsed =
      parse_text(str_cat("R1,1.00,short\nR2,2.00,", long_text, "\nR3,3.00,x\n"), profile, 8);
  EXPECT_THAT(parsed.errors(),
              ElementsAre("test.csv: line 2 (byte 14): the record is longer than 32 bytes"));
  EXPECT_EQ(parsed.records.size(), 1u);
}

TEST(Csv, PreambleLinesAreSkippedAndColumnsFoundByHeaderNames) {
  const Profile profile = load_profile(R"({"name": "p", "institution": "P", "format": "csv",
    "csv": {"skip_lines": 2, "header": "row", "delimiter": ";"}, "currency": "EUR",
    "fields": {"reference": {"column": "Ref"}, "amount": {"column": "Betrag"},
               "booking_date": {"column": "Datum"}},
    "dates": ["DD.MM.YYYY"], "amounts": {"decimal_separator": ",", "grouping_separator": "."}})",
                                       "p.json")
                              .value();
  const Parsed parsed =
      parse_text("Kontoauszug \"Januar\n\n Datum ; Ref;Betrag\n31.01.2024;A1;-1.234,56\n", profile);
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 1u);
  EXPECT_EQ(parsed.records[0].booking_date, ymd(2024, 1, 31));
  EXPECT_EQ(parsed.records[0].amount.minor_units(), 123'456);
  EXPECT_EQ(parsed.records[0].direction, Direction::debit);
  EXPECT_EQ(parsed.records[0].source.line, 4u);

  const Parsed missing = parse_text("x\ny\nDatum;Betrag\n", profile);
  EXPECT_THAT(missing.errors(),
              ElementsAre("test.csv:3:1: header: no column 'Ref' for field 'reference'"));
}

TEST(Csv, SeparateDebitAndCreditColumns) {
  const Profile profile = load_profile(R"({"name": "p", "institution": "P", "format": "csv",
    "csv": {"header": "none"}, "currency": "USD", "direction": {"from": "columns"},
    "fields": {"reference": {"index": 0}, "debit_amount": {"index": 1},
               "credit_amount": {"index": 2}}})",
                                       "p.json")
                              .value();
  const Parsed parsed = parse_text("A,5.00,\nB,,7.00\nC,0.00,2.00\nD,,\nE,1.00,1.00\n", profile);
  ASSERT_EQ(parsed.records.size(), 3u);
  EXPECT_EQ(parsed.records[0].direction, Direction::debit);
  EXPECT_EQ(parsed.records[1].direction, Direction::credit);
  EXPECT_EQ(parsed.records[1].amount.minor_units(), 700);
  EXPECT_EQ(parsed.records[2].amount.minor_units(), 200);
  EXPECT_THAT(parsed.errors(),
              ElementsAre("test.csv:4:3: debit_amount (field 2): neither the debit nor the credit "
                          "column holds an amount",
                          "test.csv:5:3: debit_amount (field 2): both the debit and the credit "
                          "column hold an amount"));
}

}  // namespace
}  // namespace tally::adapters
