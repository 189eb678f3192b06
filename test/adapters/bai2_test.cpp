// BAI2 statements: the sample files of the shared test data with their concrete values, the
// checks one rule at a time, both physical record conventions, and generated files that must
// parse back to what was generated.
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tally/adapters/bai2.hpp>
#include <tally/adapters/bai2_tokenizer.hpp>
#include <tally/adapters/bai2_type_codes.hpp>
#include <tally/adapters/line_reader.hpp>
#include <tally/core/str_cat.hpp>

#include "parsed.hpp"
#include "support/seed.hpp"
#include "support/testdata.hpp"

namespace tally::adapters {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Parsed parse_bytes(ByteSource& source, std::string file_id = "f") {
  return parse_all(parse_bai2, source, {std::move(file_id), "bank-a"});
}

Parsed parse_text(std::string_view text) {
  MemorySource source(as_bytes(text));
  return parse_bytes(source);
}

Parsed parse_sample(const std::string& name) {
  return parse_file(parse_bai2, test::testdata_dir() / "statements" / "bai2" / name,
                    {name, "bank-a"});
}

std::int64_t sum_minor(const std::vector<Record>& records, Direction direction) {
  std::int64_t sum = 0;
  for (const Record& record : records)
    if (record.direction == direction)
      sum += record.amount.minor_units();
  return sum;
}

Amount usd(std::int64_t minor) {
  return Amount(minor, *Currency::from_code("USD"));
}

// A minimal valid file around one account's records; `account_total` and `account_records`
// are the 49's, the group and file trailers are computed from them.
std::string wrap(std::string_view account_body,
                 std::int64_t account_total,
                 int account_records,
                 std::string_view group_currency = "") {
  const std::string total = std::to_string(account_total);
  return str_cat("01,BANK,CUST,240131,1200,7,,,2/\n02,CUST,BANK,1,240130,2400,", group_currency,
                 ",/\n", account_body, "49,", total, ",", account_records, "/\n98,", total, ",1,",
                 account_records + 2, "/\n99,", total, ",1,", account_records + 4, "/\n");
}

TEST(Bai2Samples, Sample1CanadianDollarsWithValueDatedDetails) {
  const Parsed parsed = parse_sample("sample1.txt");
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 17u);
  EXPECT_EQ(parsed.report.records(), 17u);
  const Record& first = parsed.records[0];
  EXPECT_EQ(first.account, "10200123456");
  EXPECT_EQ(first.amount, Amount(2500, *Currency::from_code("CAD")));  // the 03 says CAD
  EXPECT_EQ(first.direction, Direction::debit);                        // 409
  EXPECT_EQ(first.value_date, Date(year(2006), month(3), day(16)));
  EXPECT_EQ(first.business_date, Date(year(2006), month(3), day(17)));
  EXPECT_EQ(first.text, "RETURNED CHEQUE");
  EXPECT_EQ(first.institution, "bank-a");
  EXPECT_EQ(first.source.line, 5u);
  EXPECT_EQ(first.source.byte_offset, 204u);
  EXPECT_EQ(std::string(first.raw.begin(), first.raw.end()),
            "16,409,000000000002500,V,060316,,,,RETURNED CHEQUE     /");
  EXPECT_EQ(parsed.records[3].direction, Direction::credit);  // 108
  EXPECT_EQ(parsed.records[3].amount.minor_units(), 203500);
  EXPECT_EQ(parsed.records[3].text, "TFR 1020 0345678");
  EXPECT_EQ(parsed.records[16].value_date, Date(year(2006), month(3), day(17)));
  EXPECT_EQ(sum_minor(parsed.records, Direction::credit), 320000);
  EXPECT_EQ(sum_minor(parsed.records, Direction::debit), 320000);
}

TEST(Bai2Samples, Sample2ContinuedSummariesDistributionsAndText) {
  const Parsed parsed = parse_sample("sample2.txt");
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 4u);
  const Date as_of(year(2004), month(6), day(20));
  EXPECT_EQ(parsed.records[0].account, "0123456789");
  EXPECT_EQ(parsed.records[0].amount, usd(450000));  // no currency anywhere: USD
  EXPECT_EQ(parsed.records[0].direction, Direction::credit);
  EXPECT_EQ(parsed.records[0].business_date, as_of);
  EXPECT_EQ(parsed.records[0].value_date, std::nullopt);  // funds type S
  EXPECT_EQ(parsed.records[1].text, "LOCK BOX NO.68751");
  EXPECT_EQ(parsed.records[1].amount, usd(500000));
  const Record& letter = parsed.records[2];  // its text is in the 88 after it
  EXPECT_EQ(letter.account, "4589761203");
  EXPECT_EQ(letter.amount, usd(20000000));
  EXPECT_EQ(letter.value_date, Date(year(2004), month(6), day(22)));
  EXPECT_EQ(letter.reference, "SP4738");
  EXPECT_EQ(letter.end_to_end_id, "YRC065321");
  EXPECT_EQ(letter.text, "PROCEEDS OF LETTER OF CREDIT FROM THE ARAMCO OIL CO");
  EXPECT_EQ(std::string(letter.raw.begin(), letter.raw.end()),
            "16,218,20000000,V,040622,,SP4738,YRC065321/\n"
            "88,PROCEEDS OF LETTER OF CREDIT FROM THE ARAMCO OIL CO/");
  EXPECT_EQ(parsed.records[3].kind, RecordKind::transfer);  // 195 incoming money transfer
  EXPECT_EQ(parsed.records[3].amount, usd(10000000));
}

TEST(Bai2Samples, Sample3SeveralRecordsPerLineAndAWrappedText) {
  const Parsed parsed = parse_sample("sample3.txt");
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 26u);
  EXPECT_EQ(parsed.records[0].text, "TRANSFER   PAYPAL             PPD");
  EXPECT_EQ(parsed.records[1].source.line, 3u);  // the second record of line 3
  EXPECT_EQ(parsed.records[1].amount, usd(500));
  EXPECT_EQ(parsed.records[6].amount, usd(27500));
  EXPECT_EQ(parsed.records[7].text, "Visa Billing Sept 22");
  EXPECT_EQ(parsed.records[7].direction, Direction::debit);
  // Line 18's text runs on to line 19 without an 88; the 49 counts 14 records without it.
  EXPECT_EQ(parsed.records[8].source.line, 18u);
  EXPECT_EQ(parsed.records[8].text,
            "111111     ACH_SETL           1111111111 111111111111111       1111111111");
  EXPECT_EQ(parsed.records[8].amount, usd(2500));
  EXPECT_EQ(parsed.records[18].text,
            "Wire Transfer Credit          VISA INTERNATIONAL            900 METRO CENTER BLVD  "
            "      FOSTER CITY       CA 94404");
  EXPECT_EQ(sum_minor(parsed.records, Direction::credit), 3100 + 3700 + 320 + 32593);
  EXPECT_EQ(sum_minor(parsed.records, Direction::debit), 3200 + 30703 + 18651 + 5944 + 920);
}

TEST(Bai2Samples, Sample4ParsesItsDetailsButItsTrailersDoNotAddUp) {
  const Parsed parsed = parse_sample("sample4-continuations-newline-delimited.txt");
  const std::string f = "sample4-continuations-newline-delimited.txt";
  EXPECT_FALSE(parsed.report.ok());
  EXPECT_THAT(parsed.errors(),
              ::testing::ElementsAre(
                  f + ":22:4: account control total -1260161341762 is not the sum of its "
                      "amounts, 7999960",
                  f + ":22:19: account states 26 records, it has 18",
                  f + ":110:4: account control total 6869722 is not the sum of its amounts, "
                      "666917818",
                  f + ":110:12: account states 8 records, it has 88",
                  f + ":115:4: group control total 13060195162 is not the sum of its amounts, "
                      "13728243218",
                  f + ":115:16: group states 4 accounts, it has 5",
                  f + ":115:18: group states 16 records, it has 114",
                  f + ":116:4: file control total 13060195162 is not the sum of its amounts, "
                      "13728243218",
                  f + ":116:18: file states 18 records, it has 116"));
  ASSERT_EQ(parsed.records.size(), 17u);
  const Record& first = parsed.records[0];
  EXPECT_EQ(first.amount, usd(60000));
  EXPECT_EQ(first.direction, Direction::debit);  // 447
  EXPECT_EQ(first.reference, "SPB2322984714570");
  EXPECT_EQ(first.end_to_end_id, "1111");
  EXPECT_EQ(first.text,
            "ACH Credit Payment,Entry Description: EXP; -, SEC: CCD, Client Ref ID: 1111, GS ID: "
            "SPB2322984714570 EREF: 1111 DBNM: TEST INC CACT: ACHCONTROLOUTUSD01");
  EXPECT_EQ(first.business_date, Date(year(2023), month(9), day(6)));
  EXPECT_EQ(parsed.records[3].kind, RecordKind::reversal);  // 557
  EXPECT_EQ(parsed.records[3].direction, Direction::debit);
  EXPECT_EQ(parsed.records[3].amount, usd(200000));
}

TEST(Bai2Samples, Sample5KeepsSlashesInReferencesAndFindsTheBrokenContinuation) {
  const Parsed parsed = parse_sample("sample5-issue113.txt");
  EXPECT_FALSE(parsed.report.ok());
  EXPECT_EQ(parsed.report.error_count(), 10u);
  EXPECT_THAT(parsed.errors(), ::testing::Contains("sample5-issue113.txt:63:1: expected a record "
                                                   "code: two digits and a comma"));
  ASSERT_EQ(parsed.records.size(), 20u);
  EXPECT_EQ(parsed.records[2].source.line, 18u);
  EXPECT_EQ(parsed.records[2].end_to_end_id, "AB/GS/RPFILERP0001/RPBA0001");
  EXPECT_EQ(parsed.records[2].amount, usd(928650));
  EXPECT_THAT(parsed.records[2].text,
              ::testing::HasSubstr("Client Ref ID: AB/GS/TEST0001/RPBA0001"));
  EXPECT_EQ(parsed.records[18].kind, RecordKind::fee);  // 698
  EXPECT_EQ(parsed.records[18].amount, usd(463462));
  EXPECT_EQ(parsed.records[18].text, "Fees,Fees For Account: XXXXXXXX-0186");
  EXPECT_EQ(parsed.records[19].direction, Direction::credit);  // 354 interest
  EXPECT_EQ(parsed.records[19].amount, usd(1764));
}

TEST(Bai2Samples, ParseErrorSampleIsRefusedAtItsFirstByte) {
  const Parsed parsed = parse_sample("sample-parseError.txt");
  EXPECT_FALSE(parsed.report.ok());
  EXPECT_TRUE(parsed.records.empty());
  EXPECT_THAT(parsed.errors(),
              ::testing::ElementsAre("sample-parseError.txt:1:1: unknown record code 00",
                                     "sample-parseError.txt: no BAI2 file header (01)"));
}

TEST(Bai2TypeCodes, RangesOfTheSpecificationDecideTheDirection) {
  EXPECT_EQ(bai2_detail_direction(108), Direction::credit);
  EXPECT_EQ(bai2_detail_direction(399), Direction::credit);
  EXPECT_EQ(bai2_detail_direction(401), Direction::debit);
  EXPECT_EQ(bai2_detail_direction(699), Direction::debit);
  EXPECT_EQ(bai2_detail_direction(920), Direction::credit);
  EXPECT_EQ(bai2_detail_direction(959), Direction::credit);
  EXPECT_EQ(bai2_detail_direction(960), Direction::debit);
  EXPECT_EQ(bai2_detail_direction(999), Direction::debit);
  for (const int code : {1, 10, 99, 100, 400, 700, 750, 799, 800, 899, 900, 919})
    EXPECT_EQ(bai2_detail_direction(static_cast<std::uint16_t>(code)), std::nullopt) << code;
  EXPECT_EQ(bai2_detail_kind(555), RecordKind::reversal);
  EXPECT_EQ(bai2_detail_kind(495), RecordKind::transfer);
  EXPECT_EQ(bai2_detail_kind(698), RecordKind::fee);
  EXPECT_EQ(bai2_detail_kind(409), RecordKind::other);
}

TEST(Bai2Parse, CurrencyComesFromTheAccountThenTheGroupThenUsd) {
  const std::string body =
      "03,A1,JPY,010,-100,,/\n16,195,1000,,R1,,yen/\n"  // 03 currency wins
      "49,900,3/\n03,A2,,010,5,,/\n16,495,7,,R2,,euro cents/\n";
  const std::string text =
      str_cat("01,BANK,CUST,240131,1200,7,,,2/\n02,CUST,BANK,1,240130,,EUR,/\n", body,
              "49,12,3/\n98,912,2,8/\n99,912,1,10/\n");
  const Parsed parsed = parse_text(text);
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 2u);
  EXPECT_EQ(parsed.records[0].amount, Amount(1000, *Currency::from_code("JPY")));
  EXPECT_EQ(parsed.records[0].amount.to_string(), "1000");
  EXPECT_EQ(parsed.records[1].amount, Amount(7, *Currency::from_code("EUR")));
  EXPECT_EQ(parsed.records[1].amount.to_string(), "0.07");
  EXPECT_EQ(parsed.records[1].kind, RecordKind::transfer);
}

TEST(Bai2Parse, FundsTypesSAndDAreReadAndTheReferencesFollowThem) {
  const Parsed parsed =
      parse_text(wrap("03,A,,010,0,,/\n16,175,600,S,100,-200,700,BREF,CREF,deposit, with comma/\n"
                      "16,175,50,D,2,0,20,1,30,BR2,CR2,two/\n16,475,25,Z,,,plain/\n",
                      675, 5));
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 3u);
  EXPECT_EQ(parsed.records[0].reference, "BREF");
  EXPECT_EQ(parsed.records[0].end_to_end_id, "CREF");
  EXPECT_EQ(parsed.records[0].text, "deposit, with comma");
  EXPECT_EQ(parsed.records[1].reference, "BR2");
  EXPECT_EQ(parsed.records[1].end_to_end_id, "CR2");
  EXPECT_EQ(parsed.records[1].text, "two");
  EXPECT_EQ(parsed.records[2].direction, Direction::debit);
}

TEST(Bai2Parse, FixedLengthPhysicalRecordsWithoutLineEnds) {
  const std::vector<std::string> records = {
      "01,BANK,CUST,240131,1200,7,48,,2/",
      "02,CUST,BANK,1,240130,2400,,/",
      "03,A,,010,100,,/",
      "16,195,250,V,240129,,REF1,,long text that",
      "88,continues here",
      "16,495,50,,REF2,,short/",
      "49,400,5/",
      "98,400,1,7/",
      "99,400,1,9/",
  };
  std::string text;
  for (const std::string& record : records) {
    ASSERT_LE(record.size(), 48u);
    text += record + std::string(48 - record.size(), ' ');
  }
  const Parsed parsed = parse_text(text);
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 2u);
  EXPECT_EQ(parsed.records[0].text, "long text that continues here");
  EXPECT_EQ(parsed.records[0].value_date, Date(year(2024), month(1), day(29)));
  EXPECT_EQ(parsed.records[0].source.line, 4u);  // the fourth physical record
  EXPECT_EQ(parsed.records[0].source.byte_offset, 144u);
  EXPECT_EQ(parsed.records[1].reference, "REF2");
  EXPECT_EQ(parsed.records[1].amount, usd(50));
}

TEST(Bai2Parse, EveryErrorOfAFileIsFoundAndLocated) {
  const std::string text =
      "01,BANK,CUST,241331,1200,7,,,3/\n"      // month 13, version 3
      "02,CUST,BANK,5,240130,2500,XXX,/\n"     // status, time, currency
      "16,195,100,,,,before any account/\n"    // detail outside an account
      "03,A,,010,1x0,,/\n"                     // amount
      "16,010,100,,,,status code/\n"           // not a detail code
      "16,195,-100,,,,signed/\n"               // a 16 amount has no sign
      "16,195,100,Q,,,bad funds/\n"            // funds type
      "16,195,100,V,240230,,,,no such day/\n"  // value date
      "77,odd/\n"                              // record code
      "49,0,8/\n";                             // and no 98 or 99
  const Parsed parsed = parse_text(text);
  EXPECT_TRUE(parsed.records.empty());
  // The tokenizer reads line 9 before line 8's record is complete, so its error comes first.
  EXPECT_THAT(parsed.errors(),
              ::testing::ElementsAre(
                  "f:1:14: date '241331' does not exist", "f:1:30: version '3' is not 2 (BAI2)",
                  "f:2:14: group status '5' is not 1-4", "f:2:23: time '2500' is not HHMM",
                  "f:2:28: currency 'XXX' is not an ISO 4217 code",
                  "f:3:1: record 16 (detail) must be inside an account (03..49)",
                  "f:4:11: amount '1x0' is not up to 18 digits",
                  "f:5:4: type code 010 is not a credit or debit detail code "
                  "(101-399, 401-699, 920-999)",
                  "f:6:8: amount '-100' may not carry a sign here",
                  "f:7:12: funds type 'Q' is not 0, 1, 2, V, S, D or Z",
                  "f:9:1: unknown record code 77", "f:8:14: date '240230' does not exist",
                  // 100 from each detail with a readable amount: 5, 7, 8
                  "f:10:4: account control total 0 is not the sum of its "
                  "amounts, 300",
                  "f:10:6: account states 8 records, it has 6",
                  "f:10: the file ends without its trailer (99)"));
}

TEST(Bai2Parse, FieldErrorsCarryTheirByteOffset) {
  const Parsed parsed = parse_text("01,BANK,CUST,240132,1200,7,,,2/\n");
  ASSERT_FALSE(parsed.report.errors().empty());
  EXPECT_EQ(parsed.report.errors()[0].reason, "date '240132' does not exist");
  EXPECT_EQ(parsed.report.errors()[0].where.byte_offset, 13u);
}

TEST(Bai2Parse, APhysicalRecordBeyondTheLineLimitStopsTheParse) {
  const std::string text =
      "01,BANK,CUST,240131,1200,7,,,2/\n02," + std::string(kDefaultMaxLineBytes + 1, 'x') + "/\n";
  const Parsed parsed = parse_text(text);
  ASSERT_EQ(parsed.report.errors().size(), 1u);
  EXPECT_THAT(parsed.report.errors()[0].reason, ::testing::HasSubstr("is longer than 65536 bytes"));
  EXPECT_EQ(parsed.report.errors()[0].where.line, 2u);
}

TEST(Bai2Parse, RecordOrderIsChecked) {
  const Parsed parsed = parse_text(
      "02,CUST,BANK,1,240130,,,/\n01,BANK,CUST,240131,1200,7,,,2/\n03,A,,/\n"
      "99,0,0,3/\n49,0,2/\n");
  EXPECT_THAT(parsed.errors(),
              ::testing::ElementsAre(
                  "f:1:1: record 02 (group header) must follow 01 or 98",
                  "f:2:1: record 01 (file header) must be the first record",
                  "f:3:1: record 03 (account) must follow 02 or 49",
                  "f:4:1: record 99 (file trailer) must close the file after its groups",
                  "f:4:6: file states 0 groups, it has 1", "f:4:8: file states 3 records, it has 4",
                  "f:5:1: record after the file trailer (99)"));
}

TEST(Bai2Parse, ContinuationWithNothingBeforeItIsRefused) {
  const Parsed parsed = parse_text("88,lost/\n");
  EXPECT_THAT(parsed.errors(), ::testing::ElementsAre(
                                   "f:1:1: continuation (88) with no record before it to continue",
                                   "f: no BAI2 file header (01)"));
}

TEST(Bai2Parse, ARecordWithTooManyFieldsIsRefusedNotBuffered) {
  std::string body = "03,A,";
  std::string line = "88";
  for (int i = 0; i < 1000; ++i)
    line += ",";
  line += "/\n";
  for (std::size_t i = 0; i * 1000 <= kMaxBai2RecordFields; ++i)
    body += "\n" + line;
  const Parsed parsed = parse_text(wrap(body + "\n", 0, 1));
  EXPECT_FALSE(parsed.report.ok());
  EXPECT_THAT(parsed.errors()[0], ::testing::HasSubstr("with its continuations is longer than"));
}

TEST(Bai2Parse, ASinkErrorStopsTheParse) {
  const std::string text = wrap("03,A,,/\n16,195,1,,,,a/\n16,195,2,,,,b/\n", 3, 4);
  MemorySource source(as_bytes(text));
  int seen = 0;
  const ParseReport report = parse_bai2(source, {"f", "b"}, [&](Record&&) -> Result<void> {
    ++seen;
    return fail(Errc::io_error, "disk full");
  });
  EXPECT_EQ(seen, 1);
  ASSERT_EQ(report.errors().size(), 1u);
  EXPECT_THAT(report.errors()[0].reason, ::testing::HasSubstr("disk full"));
}

// Generated files: random accounts and details, trailers computed, parsed back exactly, in both
// physical record conventions.
struct Generated {
  std::vector<std::string> records;  // physical records, at most 80 bytes each
  std::vector<std::int64_t> amounts;
  std::vector<Direction> directions;
  std::vector<std::string> texts;
  std::vector<std::string> customer_refs;  // with a "/" in each
};

Generated generate(std::mt19937_64& random) {
  Generated out;
  std::int64_t file_total = 0;
  std::size_t file_records = 0;
  out.records.push_back("01,BANK,CUST,240131,1200,7,80,,2/");
  const int groups = static_cast<int>(random() % 3) + 1;
  for (int g = 0; g < groups; ++g) {
    std::int64_t group_total = 0;
    const std::size_t group_start = out.records.size();
    out.records.push_back("02,CUST,BANK,1,240130,2400,,/");
    const int accounts = static_cast<int>(random() % 3) + 1;
    for (int a = 0; a < accounts; ++a) {
      const std::size_t account_start = out.records.size();
      const std::int64_t opening = static_cast<std::int64_t>(random() % 100000) - 50000;
      std::int64_t total = opening;
      out.records.push_back(str_cat("03,ACC", g, a, ",,010,", opening, ",,/"));
      const int details = static_cast<int>(random() % 5);
      for (int d = 0; d < details; ++d) {
        const bool credit = random() % 2 == 0;
        const auto amount = static_cast<std::int64_t>(random() % 10'000'000);
        const std::string text = str_cat("pay/", random() % 1000, ", inv ", d);
        out.records.push_back(str_cat("16,", credit ? "195" : "495", ",", amount, ",V,240129,,R", d,
                                      ",C/", d, ",", text));
        if (random() % 2 == 0) {
          out.records.push_back("88,more words");
          out.texts.push_back(text + " more words");
        } else {
          out.texts.push_back(text);
        }
        out.amounts.push_back(amount);
        out.customer_refs.push_back(str_cat("C/", d));
        out.directions.push_back(credit ? Direction::credit : Direction::debit);
        total += amount;
      }
      out.records.push_back(
          str_cat("49,", total, ",", out.records.size() - account_start + 1, "/"));
      group_total += total;
    }
    out.records.push_back(
        str_cat("98,", group_total, ",", accounts, ",", out.records.size() - group_start + 1, "/"));
    file_total += group_total;
  }
  file_records = out.records.size() + 1;
  out.records.push_back(str_cat("99,", file_total, ",", groups, ",", file_records, "/"));
  return out;
}

TEST(Bai2Parse, GeneratedFilesParseBackInBothConventions) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  std::mt19937_64 random(seed);
  for (std::uint64_t i = 0; i < test::property_iterations(50); ++i) {
    const Generated generated = generate(random);
    std::string lines;
    std::string fixed;
    for (const std::string& record : generated.records) {
      ASSERT_LE(record.size(), 80u);
      lines += record + (i % 2 == 0 ? "\n" : "\r\n");
      fixed += record + std::string(80 - record.size(), ' ');
    }
    for (const std::string* text : {&lines, &fixed}) {
      const Parsed parsed = parse_text(*text);
      ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors()) << *text;
      ASSERT_EQ(parsed.records.size(), generated.amounts.size());
      for (std::size_t r = 0; r < parsed.records.size(); ++r) {
        EXPECT_EQ(parsed.records[r].amount, usd(generated.amounts[r]));
        EXPECT_EQ(parsed.records[r].direction, generated.directions[r]);
        EXPECT_EQ(parsed.records[r].text, generated.texts[r]);
        EXPECT_EQ(parsed.records[r].end_to_end_id, generated.customer_refs[r]);
      }
    }
  }
}

}  // namespace
}  // namespace tally::adapters
