// Every MT940/MT942 sample under testdata/statements/mt940, with its outcome: taken (and some of
// its records checked value by value) or refused with the located errors that refuse it.
//
// Many public samples are hand-made and their balances do not add up; a statement whose closing
// balance is not its opening balance plus its movements is not a statement we may reconcile, so
// those files are refused, and the table shows the exact arithmetic the error reports.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/adapters/mt940.hpp>

#include "parsed.hpp"
#include "support/testdata.hpp"

namespace tally::adapters {
namespace {

namespace fs = std::filesystem;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

fs::path samples_dir() {
  return tally::test::testdata_dir() / "statements" / "mt940";
}

Parsed parse_sample(const std::string& relative) {
  return parse_file(parse_mt940, samples_dir() / relative,
                    {fs::path(relative).filename().string(), "bank"});
}

struct ExpectedError {
  std::uint64_t line;
  std::uint32_t column;
  std::string reason;  // a substring of the reported reason
};

struct Sample {
  std::string path;
  std::size_t records;
  std::vector<ExpectedError> errors;  // empty: the file is taken
};

// The outcome of every sample. Records are counted even in refused files: they were handed to the
// sink before a later error refused the file, which the caller then discards whole.
const std::vector<Sample>& samples() {
  static const std::vector<Sample> kSamples{
      // ABN AMRO sample: 1111.10 - 14.74 is not 2222.20 (made-up balances).
      {"mt940/abnamro/mt940.sta",
       4,
       {{14, 1, "closing balance 2222.20 is not the opening balance 1111.10 plus movements -14.74"},
        {25, 1,
         "closing balance 6666.83 is not the opening balance 5555.20 plus movements -8.25"}}},
      {"mt940/betterplace/sepa_mt9401.sta", 97, {}},
      // The second statement's credits and debits net to -2501917.30, not -2501617.22.
      {"mt940/betterplace/sepa_snippet.sta",
       11,
       {{55, 1, "closing balance -4472049.09 is not the opening balance -1970431.87"}}},
      // :86: text mislabelled :25:, so a second account identification with continuation lines.
      {"mt940/betterplace/sepa_snippet_broken.sta",
       1,
       {{7, 1, ":25: unexpected continuation line"},
        {6, 5, ":25: account identification out of place or repeated"},
        {6, 5, ":25: account identification is not 1 to 35 characters"},
        {10, 1, "closing balance 1125250.40 is not the opening balance 766656.49"}}},
      {"mt940/betterplace/with_binary_character.sta", 4, {}},
      // 13564.13 - 141.04 = 13423.09, the file says 13523.09.
      {"mt940/bugs/issue-51.sta", 3, {{21, 1, "closing balance 13523.09 is not"}}},
      {"mt940/cmxl/mt940_1.sta", 2, {}},
      {"mt940/cmxl/mt940_2.sta", 3, {}},
      {"mt940/danskebank/MT940_DK_Example.sta", 89, {}},
      {"mt940/danskebank/MT940_FI_Example.sta", 6, {}},
      {"mt940/danskebank/MT940_NO_Example.sta", 24, {}},
      {"mt940/danskebank/MT940_SE_Example.sta", 103, {}},
      {"mt940/jejik/abnamro.sta",
       10,
       {{27, 1, "closing balance 876.84 is not the opening balance 3236.28 plus movements -321.44"},
        {40, 1, "closing balance 1849.75 is not the opening balance 2876.84"}}},
      {"mt940/jejik/ing.sta", 7, {{26, 1, "closing balance 3.47 is not the opening balance 0.00"}}},
      {"mt940/jejik/knab.sta", 3, {{20, 1, "closing balance 798.98 is not"}}},
      // "C500NTRF": SWIFT amounts always carry the decimal comma.
      {"mt940/jejik/knab_broken.sta", 2, {{17, 19, ":61: amount has no decimal comma"}}},
      {"mt940/jejik/postfinance.sta", 4, {{27, 1, "closing balance 159.60 is not"}}},
      {"mt940/jejik/rabobank-iban.sta", 4, {}},
      {"mt940/jejik/sns.sta", 2, {}},
      {"mt940/mBank/mt940.sta", 3, {}},
      {"mt940/mBank/with_newline_in_tnr.sta", 2, {{19, 1, "closing balance 860.17 is not"}}},
      {"mt940/sparkasse/buxtehude.sta", 3, {{22, 1, "closing balance 13523.09 is not"}}},
      {"mt940/special-cases/february_30.sta", 0, {{6, 5, "no such date '160230'"}}},
      // ":61:170914D233,15NMSC": the customer reference (16x) is mandatory.
      {"mt940/special-cases/incomplete_tag_61.sta", 0, {{5, 22, "missing customer reference"}}},
      {"mt940/special-cases/invalid_statement.sta", 0, {{10, 0, "no MT940/MT942 message"}}},
      // Latin-2 bytes, and statement lines without their mandatory reference.
      {"mt940/special-cases/invalid_utf8.sta",
       0,
       {{7, 11, "not valid UTF-8"},
        {6, 27, "missing customer reference"},
        {11, 10, "not valid UTF-8"},
        {14, 11, "not valid UTF-8"},
        {13, 25, "missing customer reference"},
        {20, 8, "not valid UTF-8"},
        {19, 27, "missing customer reference"},
        {25, 2, "not valid UTF-8"},
        {24, 24, "missing customer reference"},
        {29, 2, "not valid UTF-8"},
        {28, 23, "missing customer reference"},
        {33, 2, "not valid UTF-8"},
        {32, 24, "missing customer reference"},
        {37, 2, "not valid UTF-8"},
        {36, 24, "missing customer reference"}}},
      {"mt940/special-cases/overly_long_details.sta",
       1,
       {{6, 5, "has 474 characters, more than 390"}, {15, 1, "closing balance 12345.98 is not"}}},
      {"mt940/special-cases/unexpected_tag.sta",
       1,
       {{8, 5, ":12: unknown tag"}, {2, 1, "message has no :25: account identification"}}},
      {"mt940/special-cases/unknown_tag.sta", 1, {{9, 5, ":12: unknown tag"}}},
      {"mt942/cmxl/mt942_1.sta", 0, {{1, 0, "no MT940/MT942 message"}}},  // an empty file
      {"mt942/jejik/generic.sta", 2, {}},
      // Old Rabobank layout: counterparty name on the :61: line, 16-digit amounts.
      {"mt942/jejik/rabobank.sta",
       0,
       {{6, 47, "customer reference longer than 16"},
        {16, 31, ":60F: amount longer than 15 characters"},
        {17, 31, ":62F: amount longer than 15 characters"},
        {22, 31, ":60F: amount longer than 15 characters"},
        {28, 31, ":62F: amount longer than 15 characters"},
        {34, 47, "customer reference longer than 16"},
        {39, 47, "customer reference longer than 16"}}},
      {"mt942/jejik/triodos.sta", 2, {{12, 1, "closing balance 4370.79 is not"}}},
      // Deutsche Mark, withdrawn in 2002, is not a currency we book.
      {"mt942/mBank/mt942.sta",
       0,
       {{4, 13, ":60F: unknown currency 'DEM'"}, {27, 13, ":62F: unknown currency 'DEM'"}}},
      {"mt942/sberbank/171011_01234945.sta", 3, {}},
      {"mt942/special-cases/long_statement_number.sta",
       0,
       {{3, 5, ":28: statement number is not 1 to 5 digits"},
        {4, 31, ":60F: amount longer than 15 characters"},
        {5, 31, ":62F: amount longer than 15 characters"}}},
      // "MCI0" is not an N, F or S transaction type.
      {"mt942/special-cases/mt942.sta", 0, {{7, 20, ":61: transaction type is not N, F or S"}}},
      // DEM again, and closing balances without any currency ("C020315105000,00").
      {"mt942/special-cases/raphaelm.sta",
       0,
       {{13, 13, "unknown currency 'DEM'"},
        {27, 13, ":62M: unknown currency '105'"},
        {32, 13, "unknown currency 'DEM'"},
        {35, 13, ":62F: unknown currency '145'"},
        {43, 13, "unknown currency 'DEM'"},
        {47, 13, ":62F: unknown currency '950'"}}},
  };
  return kSamples;
}

TEST(Mt940Samples, TheTableCoversEverySampleFile) {
  std::vector<std::string> on_disk;
  for (const auto& entry : fs::recursive_directory_iterator(samples_dir())) {
    if (entry.path().extension() == ".sta")
      on_disk.push_back(fs::relative(entry.path(), samples_dir()).generic_string());
  }
  std::vector<std::string> listed;
  for (const Sample& sample : samples())
    listed.push_back(sample.path);
  std::sort(on_disk.begin(), on_disk.end());
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(on_disk, listed);
}

TEST(Mt940Samples, EachFileIsTakenOrRefusedWithItsLocatedErrors) {
  for (const Sample& sample : samples()) {
    SCOPED_TRACE(sample.path);
    const Parsed parsed = parse_sample(sample.path);
    EXPECT_EQ(parsed.records.size(), sample.records);
    EXPECT_EQ(parsed.report.records(), sample.records);
    EXPECT_EQ(parsed.report.ok(), sample.errors.empty());
    ASSERT_EQ(parsed.report.errors().size(), sample.errors.size());
    for (std::size_t i = 0; i < sample.errors.size(); ++i) {
      const LocatedError& got = parsed.report.errors()[i];
      SCOPED_TRACE(got.to_string());
      EXPECT_EQ(got.where.line, sample.errors[i].line);
      EXPECT_EQ(got.column, sample.errors[i].column);
      EXPECT_NE(got.reason.find(sample.errors[i].reason), std::string::npos);
      EXPECT_EQ(got.where.file_id, fs::path(sample.path).filename().string());
    }
  }
}

TEST(Mt940Samples, CmxlStructuredDetailsGiveCounterpartyAndPurpose) {
  const Parsed parsed = parse_sample("mt940/cmxl/mt940_1.sta");
  ASSERT_TRUE(parsed.report.ok());
  ASSERT_EQ(parsed.records.size(), 2u);
  const Record& rent = parsed.records[0];
  EXPECT_EQ(rent.amount, Amount(80000, *Currency::from_code("EUR")));
  EXPECT_EQ(rent.direction, Direction::debit);
  EXPECT_EQ(rent.value_date, Date(year{2002}, month{11}, day{1}));
  EXPECT_EQ(rent.booking_date, Date(year{2002}, month{11}, day{2}));
  EXPECT_EQ(rent.account, "10020030/1234567");
  EXPECT_EQ(rent.reference, "55555");  // NONREF: the bank's reference
  EXPECT_EQ(rent.counterparty, "MUELLER");
  EXPECT_EQ(rent.text, "Miete November");
  EXPECT_EQ(rent.institution, "bank");
  EXPECT_EQ(rent.source.line, 6u);
  const Record& salary = parsed.records[1];
  EXPECT_EQ(salary.amount.minor_units(), 300000);
  EXPECT_EQ(salary.direction, Direction::credit);
  EXPECT_EQ(salary.kind, RecordKind::transfer);
  // Purpose lines wrapped across file lines are joined without the line breaks.
  EXPECT_EQ(salary.text, "Gehalt OktoberFirmaMustermannGmbH");
  EXPECT_EQ(std::string(salary.raw.begin(), salary.raw.end()),
            ":61:0211021102CR3000,NTRFNONREF//55555\n"
            ":86:051?00UEBERWEISUNG?100599?20Gehalt Oktob\ner\n?21Firma\nMustermann\n"
            "GmbH?3050060400?31084756\n4700?32MUELLER?34339");
}

TEST(Mt940Samples, SepaSnippetGivesEndToEndIdsRemittanceAndEntryDatesBeforeValueDates) {
  const Parsed parsed = parse_sample("mt940/betterplace/sepa_snippet.sta");
  ASSERT_EQ(parsed.records.size(), 11u);
  const Record& first = parsed.records[0];
  EXPECT_EQ(first.amount.minor_units(), 5099005);
  EXPECT_EQ(first.direction, Direction::credit);  // "CR": credit, funds code R
  EXPECT_EQ(first.value_date, Date(year{2007}, month{9}, day{7}));
  EXPECT_EQ(first.booking_date, Date(year{2007}, month{9}, day{4}));
  EXPECT_EQ(first.end_to_end_id, "EndToEndId TFNR 22 004 00001");
  EXPECT_EQ(first.text, "Verw CTSc-01 BC-PPP TFNr 22 004");
  EXPECT_EQ(first.counterparty, "KARL        KAUFMANN");
  EXPECT_EQ(first.reference, "0724710333343453");
  const Record& whole = parsed.records[6];  // "CR15000,": a whole amount
  EXPECT_EQ(whole.amount.minor_units(), 1500000);
  EXPECT_EQ(whole.reference, "TFNr 40001 MSGID");
  const Record& last = parsed.records[10];
  EXPECT_EQ(last.amount.minor_units(), 357256903);
  EXPECT_EQ(last.direction, Direction::debit);
  EXPECT_EQ(last.account, "50880050/0194791600888");
  EXPECT_EQ(last.reference, "");  // NONREF with no bank reference
}

TEST(Mt940Samples, RabobankIbanMessagesWithoutDashSeparatorsBalance) {
  const Parsed parsed = parse_sample("mt940/jejik/rabobank-iban.sta");
  ASSERT_TRUE(parsed.report.ok());
  ASSERT_EQ(parsed.records.size(), 4u);
  std::int64_t net = 0;
  for (const Record& record : parsed.records) {
    EXPECT_EQ(record.account, "NL71RABO0123456789");
    EXPECT_FALSE(record.booking_date.has_value());  // no entry date given
    net += record.direction == Direction::credit ? record.amount.minor_units()
                                                 : -record.amount.minor_units();
  }
  EXPECT_EQ(net, 93000 - 100000);  // closing 930,00 minus opening 1000,00
  EXPECT_EQ(parsed.records[0].reference, "EREF");
  EXPECT_EQ(parsed.records[3].value_date, Date(year{2013}, month{1}, day{9}));
}

TEST(Mt940Samples, DanskeBankHundredsOfLinesWithStatementLevelDetails) {
  const Parsed parsed = parse_sample("mt940/danskebank/MT940_DK_Example.sta");
  ASSERT_TRUE(parsed.report.ok());
  ASSERT_EQ(parsed.records.size(), 89u);
  const Record& first = parsed.records[0];
  EXPECT_EQ(first.amount, Amount(82941978, *Currency::from_code("DKK")));
  EXPECT_EQ(first.direction, Direction::debit);  // "DK": debit, funds code K
  EXPECT_EQ(first.reference, "Dansken");
  EXPECT_EQ(first.text, "");  // no :86: follows it
  const Record& fee = parsed.records[1];
  EXPECT_EQ(fee.kind, RecordKind::fee);  // NCHG
  EXPECT_EQ(fee.reference, "Gebyrer ifolge");
  EXPECT_EQ(fee.text, "Gebyrer ifolge nota");
  EXPECT_EQ(fee.booking_date, Date(year{2009}, month{9}, day{30}));
  EXPECT_EQ(fee.value_date, Date(year{2009}, month{10}, day{1}));
}

TEST(Mt940Samples, SberbankMt942WithNonSwiftFieldsIsTaken) {
  const Parsed parsed = parse_sample("mt942/sberbank/171011_01234945.sta");
  ASSERT_TRUE(parsed.report.ok());
  ASSERT_EQ(parsed.records.size(), 3u);
  EXPECT_EQ(parsed.records[0].amount, Amount(240200, *Currency::from_code("HUF")));
  EXPECT_EQ(parsed.records[2].amount.minor_units(), 357500);
  EXPECT_EQ(parsed.records[1].reference, "X");
  EXPECT_EQ(parsed.records[1].source.line, 24u);
}

TEST(Mt940Samples, Utf8TextIsKeptAsGiven) {
  const Parsed parsed = parse_sample("mt940/betterplace/with_binary_character.sta");
  ASSERT_TRUE(parsed.report.ok());
  ASSERT_EQ(parsed.records.size(), 4u);
  EXPECT_EQ(parsed.records[3].text,
            "Belegloser Zahlungsauftrag\xC3\x9C"
            "berweisung:19.03.2010Anzahl Posten :7"
            "Anw-Nr.: 69725663086");
  EXPECT_EQ(parsed.records[3].account, "51230800/0000007304");
  EXPECT_EQ(parsed.records[0].counterparty, "PAYPAL");
}

}  // namespace
}  // namespace tally::adapters
