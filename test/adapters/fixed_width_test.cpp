#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tally/adapters/fixed_width.hpp>
#include <tally/adapters/profile_loader.hpp>
#include <tally/core/str_cat.hpp>

#include "adapters/fixtures.hpp"
#include "adapters/parsed.hpp"
#include "support/testdata.hpp"

namespace tally::adapters {
namespace {

using ::testing::ElementsAre;

const Currency kCny = Currency::from_code("CNY").value();

const Profile& partner() {
  static const Profile profile = load_embedded_profile("partner-gbk-fixed").value();
  return profile;
}

Parsed parse_bytes(std::string_view bytes,
                   const Profile& profile,
                   std::string file_id,
                   std::size_t max_read = 1 << 20) {
  MemorySource source(as_bytes(bytes), max_read);
  Parsed parsed;
  parsed.report = parse_fixed_width(source, profile, {std::move(file_id), "PARTNER"},
                                    [&](Record&& record) -> Result<void> {
                                      EXPECT_TRUE(record.check());
                                      parsed.records.push_back(std::move(record));
                                      return {};
                                    });
  return parsed;
}

Parsed parse_fixture(const std::string& name) {
  return parse_bytes(test::read_file(fixture(name)), partner(), name);
}

TEST(FixedWidth, GbkSettlementFileCutsFieldsAtBytesNotCharacters) {
  const std::string bytes = test::read_file(fixture("partner-settlement.txt"));
  const Parsed parsed = parse_bytes(bytes, partner(), "settlement");
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 3u);

  const Record& first = parsed.records[0];
  // Ten bytes are five GBK characters: a cut by characters would have taken the date's digits.
  EXPECT_EQ(first.counterparty, "欧阳修文忠");
  EXPECT_EQ(first.value_date, ymd(2024, 1, 31));
  EXPECT_EQ(first.business_date, ymd(2024, 1, 31));   // the header's settlement date
  EXPECT_EQ(first.loan_id, "LOAN-001");               // fullwidth in the file, NFKC-folded
  EXPECT_EQ(first.amount, Amount(10'000'000, kCny));  // 000000010000000, two implied decimals
  EXPECT_EQ(first.direction, Direction::debit);
  EXPECT_EQ(first.kind, RecordKind::disbursement);
  EXPECT_EQ(first.reference, "REF0001");
  EXPECT_EQ(first.institution, "PARTNER");
  EXPECT_EQ(first.source.line, 2u);
  EXPECT_EQ(first.source.byte_offset, 32u);
  EXPECT_EQ(first.raw.size(), 80u);
  EXPECT_EQ(text_of(first.raw), bytes.substr(32, 80));  // the GBK bytes, unconverted

  EXPECT_EQ(parsed.records[1].counterparty, "张三");
  EXPECT_EQ(parsed.records[1].amount, Amount(879'167, kCny));
  EXPECT_EQ(parsed.records[1].direction, Direction::credit);
  EXPECT_EQ(parsed.records[1].kind, RecordKind::repayment);
  EXPECT_EQ(parsed.records[2].reference, "REF0003");  // ＲＥＦ０００３
  EXPECT_EQ(parsed.records[2].value_date, ymd(2024, 1, 30));
  EXPECT_EQ(parsed.records[2].kind, RecordKind::fee);
  EXPECT_EQ(parsed.records[2].amount, Amount(1'250, kCny));
}

TEST(FixedWidth, ChunkBoundariesAnywhereChangeNothing) {
  const std::string bytes = test::read_file(fixture("partner-settlement.txt"));
  const Parsed whole = parse_bytes(bytes, partner(), "f");
  for (const std::size_t chunk : {1u, 3u, 81u}) {
    const Parsed trickled = parse_bytes(bytes, partner(), "f", chunk);
    EXPECT_TRUE(trickled.report.ok());
    EXPECT_EQ(trickled.records, whole.records);
  }
}

TEST(FixedWidth, TrailerCountAndSumAreChecked) {
  EXPECT_THAT(parse_fixture("partner-bad-totals.txt").errors(),
              ElementsAre("partner-bad-totals.txt:5:2: trailer record count 2 but the file has 3 "
                          "records",
                          "partner-bad-totals.txt:5:10: trailer sum 108804.18 but the records sum "
                          "to 108804.17"));
}

TEST(FixedWidth, ACutSplittingAGbkCharacterIsRefusedWhereItFalls) {
  const Parsed parsed = parse_fixture("partner-split-character.txt");
  EXPECT_THAT(parsed.errors(),
              ElementsAre("partner-split-character.txt:3:31: field 'counterparty' (bytes 22 to "
                          "31) would split the gbk character at byte 31"));
  EXPECT_EQ(parsed.records.size(), 1u);
}

TEST(FixedWidth, InvalidGbkBytesAreLocatedAndTheTotalsNoLongerMatch) {
  EXPECT_THAT(parse_fixture("partner-invalid-gbk.txt").errors(),
              ElementsAre("partner-invalid-gbk.txt:3:24: invalid gbk byte sequence starting 0xfffd",
                          "partner-invalid-gbk.txt:5:2: trailer record count 3 but the file has 2 "
                          "records",
                          "partner-invalid-gbk.txt:5:10: trailer sum 108804.17 but the records "
                          "sum to 100012.50"));
}

TEST(FixedWidth, BadFieldsAreEachLocated) {
  EXPECT_THAT(
      parse_fixture("partner-bad-fields.txt").errors(),
      ElementsAre("partner-bad-fields.txt:2:32: value_date: date '20240230' is not a calendar date",
                  "partner-bad-fields.txt:3:58: direction: 'X' is not a known indicator",
                  "partner-bad-fields.txt:3:59: kind: '09' is not a known kind"));
}

TEST(FixedWidth, RecordOrderLengthAndTypeAreChecked) {
  const std::string header = "H20240131PARTNER01            ";
  const std::string detail =
      "DLOAN-9              ABC       20240131CNY000000000000100C02REF9                ";
  const std::string trailer = "T0000000100000000000000100    ";
  ASSERT_EQ(detail.size(), 80u);
  const std::string text = str_cat(detail, "\n", header, "\n", detail.substr(0, 79), "\nX\n",
                                   trailer, "\n", detail, "\n");
  EXPECT_THAT(parse_bytes(text, partner(), "order").errors(),
              ElementsAre("order:1:1: the file does not start with its header record",
                          "order:2:1: the header must be the first record, and only one",
                          "order:3:80: detail record is 79 bytes, not 80",
                          "order:4:1: unknown record type 'X'",
                          "order:5:2: trailer record count 1 but the file has 0 records",
                          "order:5:10: trailer sum 1.00 but the records sum to 0.00",
                          "order:6:1: a record after the trailer"));
}

TEST(FixedWidth, Gb18030FourByteCharactersAreWholeCharacters) {
  Profile profile = partner();
  profile.encoding = TextEncoding::gb18030;
  // U+20000 is the four bytes 95 32 82 36 in GB18030; then three GBK-range characters.
  const std::string name = "\x95\x32\x82\x36\xD5\xC5\xC8\xFD";  // 𠀀张三, 8 bytes of 10
  const std::string file = str_cat("H20240131PARTNER01            \n", "DLOAN-9              ",
                                   name, "  20240131CNY000000000000100C02REF9                \n",
                                   "T0000000100000000000000100    \n");
  const Parsed parsed = parse_bytes(file, profile, "gb18030");
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 1u);
  EXPECT_EQ(parsed.records[0].counterparty, "\U00020000张三");
  // The same bytes read as GBK are not well-formed: 0x95 0x32 is no GBK character.
  profile.encoding = TextEncoding::gbk;
  EXPECT_THAT(parse_bytes(file, profile, "gbk").errors(),
              ::testing::Contains("gbk:2:22: invalid gbk byte sequence starting 0x9532"));
}

}  // namespace
}  // namespace tally::adapters
