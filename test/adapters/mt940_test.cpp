#include <algorithm>
#include <array>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <tally/adapters/mt940.hpp>
#include <tally/adapters/mt940_fields.hpp>
#include <tally/core/str_cat.hpp>

#include "parsed.hpp"
#include "support/seed.hpp"

namespace tally::adapters {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Parsed parse_with(ByteSource& source) {
  return parse_all(parse_mt940, source, {"f", "bank"});
}

Parsed parse_text(std::string_view text) {
  MemorySource source(as_bytes(text));
  return parse_with(source);
}

// Two statements of one account, bare tags, LF.
constexpr std::string_view kBare =
    ":20:STMT1\n"
    ":25:DE89370400440532013000\n"
    ":28C:1/1\n"
    ":60F:C231229EUR1000,00\n"
    ":61:2401021231D100,50NTRFINV-1//B1\n"
    ":86:166?00UEBERWEISUNG?20EREF+E2E-1?21SVWZ+Rent Jan\n"
    "uary?32LANDLORD\n"
    ":61:240102RD20,NMSCNONREF//B2\n"
    ":86:reversed direct debit\n"
    "second line\n"
    ":61:240102RC0,50NCHGNONREF\n"
    ":62F:C240102EUR919,\n"
    ":64:C240102EUR919,00\n"
    "-\n"
    ":20:STMT2\n"
    ":25:DE89370400440532013000\n"
    ":28C:2\n"
    ":60M:C240102EUR919,00\n"
    ":62M:C240102EUR919,00\n"
    "-\n";

TEST(Mt940, BareStatementsGiveOneRecordPerStatementLine) {
  const Parsed parsed = parse_text(kBare);
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 3u);
  const Record& rent = parsed.records[0];
  EXPECT_EQ(rent.amount, Amount(10050, *Currency::from_code("EUR")));
  EXPECT_EQ(rent.direction, Direction::debit);
  EXPECT_EQ(rent.kind, RecordKind::transfer);
  EXPECT_EQ(rent.value_date, Date(year{2024}, month{1}, day{2}));
  EXPECT_EQ(rent.booking_date, Date(year{2023}, month{12}, day{31}));
  EXPECT_EQ(rent.reference, "INV-1");
  EXPECT_EQ(rent.end_to_end_id, "E2E-1");
  EXPECT_EQ(rent.text, "Rent January");
  EXPECT_EQ(rent.counterparty, "LANDLORD");
  EXPECT_EQ(rent.account, "DE89370400440532013000");
  EXPECT_EQ(rent.institution, "bank");
  EXPECT_EQ(rent.source, (SourcePosition{"f", 5, "", 69}));
  const Record& reversed_debit = parsed.records[1];
  EXPECT_EQ(reversed_debit.direction, Direction::credit);
  EXPECT_EQ(reversed_debit.kind, RecordKind::reversal);
  EXPECT_EQ(reversed_debit.reference, "B2");
  EXPECT_EQ(reversed_debit.text, "reversed direct debit\nsecond line");
  const Record& reversed_credit = parsed.records[2];
  EXPECT_EQ(reversed_credit.direction, Direction::debit);
  EXPECT_EQ(reversed_credit.kind, RecordKind::reversal);
  EXPECT_EQ(reversed_credit.amount.minor_units(), 50);
  EXPECT_EQ(std::string(reversed_credit.raw.begin(), reversed_credit.raw.end()),
            ":61:240102RC0,50NCHGNONREF");
}

std::string to_crlf(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n')
      out += '\r';
    out += c;
  }
  return out;
}

TEST(Mt940, SwiftBlocksCrlfAndBlankLinesGiveTheSameRecords) {
  std::string wrapped = "{1:F01BANKDEFFAXXX0000000000}{2:O9401200240102BANKDEFFAXXX}{4:\n\n";
  std::string body(kBare);
  const std::size_t second = body.find("-\n:20:STMT2");
  wrapped += body.substr(0, second);
  wrapped += "-}{5:{CHK:123456789ABC}}\n{1:F01BANKDEFFAXXX0000000000}{2:O940}{4:\n";
  wrapped += body.substr(second + 2, body.size() - second - 4);
  wrapped += "-}\n";
  const Parsed bare = parse_text(kBare);
  const Parsed blocks = parse_text(to_crlf(wrapped));
  ASSERT_TRUE(blocks.report.ok()) << ::testing::PrintToString(blocks.errors());
  ASSERT_EQ(blocks.records.size(), bare.records.size());
  for (std::size_t i = 0; i < bare.records.size(); ++i) {
    EXPECT_EQ(blocks.records[i].amount, bare.records[i].amount);
    EXPECT_EQ(blocks.records[i].reference, bare.records[i].reference);
    EXPECT_EQ(blocks.records[i].text, bare.records[i].text);
    EXPECT_EQ(blocks.records[i].raw, bare.records[i].raw);  // without the CRs
  }
}

TEST(Mt940, AnyChunkingOfTheInputGivesTheSameRecords) {
  const Parsed whole = parse_text(kBare);
  for (std::size_t chunk = 1; chunk <= 9; ++chunk) {
    SCOPED_TRACE(chunk);
    MemorySource source(as_bytes(kBare), chunk);
    const Parsed parsed = parse_with(source);
    ASSERT_TRUE(parsed.report.ok());
    EXPECT_EQ(parsed.records, whole.records);
  }
}

std::string with_replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  const std::size_t at = out.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  out.replace(at, from.size(), to);
  return out;
}

TEST(Mt940, ClosingBalanceMustBeOpeningPlusMovements) {
  const Parsed parsed =
      parse_text(with_replaced(kBare, ":62F:C240102EUR919,", ":62F:C240102EUR919,01"));
  EXPECT_FALSE(parsed.report.ok());
  EXPECT_EQ(
      parsed.errors(),
      std::vector<std::string>{"f:12:1: closing balance 919.01 is not the opening balance 1000.00 "
                               "plus movements -81.00 = 919.00"});
}

TEST(Mt940, ErrorsAreAllFoundNotJustTheFirst) {
  std::string text = with_replaced(kBare, ":61:240102RD20,", ":61:240132RD20,");
  text = with_replaced(text, ":64:C240102EUR919,00", ":64:C240102USD919,00");
  text = with_replaced(text, ":28C:2\n", ":28C:2\n:99:what\n");
  const Parsed parsed = parse_text(text);
  EXPECT_EQ(parsed.errors(), (std::vector<std::string>{
                                 "f:8:5: :61: value date: no such date '240132'",
                                 "f:13:12: :64: currency USD differs from the statement's EUR",
                                 "f:18:5: :99: unknown tag",
                             }));
  // The balance check is skipped for the broken statement rather than reporting a consequence.
}

TEST(Mt940, OrderAndPresenceOfTagsAreChecked) {
  const Parsed parsed = parse_text(
      ":20:A\n"
      ":60F:C240102EUR1,\n"
      ":25:ACCT\n"
      ":62F:C240102EUR1,\n"
      ":61:240102C1,NTRFX\n"
      "-\n"
      ":25:B\n");
  EXPECT_EQ(
      parsed.errors(),
      (std::vector<std::string>{
          "f:3:5: :25: account identification out of place or repeated",
          "f:5:5: :61: statement line after the closing balance",
          "f:1:1: message has no :28C: statement number",
          "f:4:1: closing balance 1.00 is not the opening balance 1.00 plus movements 1.00 = 2.00",
          "f:7:5: :25: tag before the message's :20: transaction reference",
          "f:7:1: message has no :28C: statement number",
          "f:7:1: message has no :60F:/:60M: opening balance",
          "f:7:1: message has no :62F:/:62M: closing balance",
      }));
}

constexpr std::string_view kMt942 =
    ":20:INTRADAY\n"
    ":25:NL91ABNA0417164300\n"
    ":28C:7/1\n"
    ":34F:EURD0,\n"
    ":34F:EURC100,00\n"
    ":13D:2401021530+0100\n"
    ":61:2401020102C150,NTRFNONREF//X1\n"
    ":86:first\n"
    ":61:2401020102D2,25NCHGNONREF//X2\n"
    ":61:2401020102D0,75NCHGNONREF//X3\n"
    ":90D:2EUR3,00\n"
    ":90C:1EUR150,\n"
    "-\n";

TEST(Mt940, Mt942EntryCountsAndSumsMatch) {
  const Parsed parsed = parse_text(kMt942);
  ASSERT_TRUE(parsed.report.ok()) << ::testing::PrintToString(parsed.errors());
  ASSERT_EQ(parsed.records.size(), 3u);
  EXPECT_EQ(parsed.records[0].amount.minor_units(), 15000);
  EXPECT_EQ(parsed.records[0].text, "first");
  EXPECT_EQ(parsed.records[2].kind, RecordKind::fee);
  EXPECT_EQ(parsed.records[2].reference, "X3");
}

TEST(Mt940, Mt942WrongEntryCountOrSumIsRefused) {
  const Parsed parsed = parse_text(with_replaced(
      with_replaced(kMt942, ":90D:2EUR3,00", ":90D:2EUR3,01"), ":90C:1EUR150,", ":90C:2EUR150,"));
  EXPECT_EQ(parsed.errors(),
            (std::vector<std::string>{
                "f:11:6: :90D: states 2 debit entries summing to 3.01, the message has 2 summing "
                "to 3.00",
                "f:12:6: :90C: states 2 credit entries summing to 150.00, the message has 1 "
                "summing to 150.00",
            }));
}

TEST(Mt940, LongDetailsAndLongLinesCrossTheirBounds) {
  const std::string details(kMt940MaxDetailsChars, 'x');
  EXPECT_TRUE(
      parse_text(with_replaced(kBare, ":86:reversed direct debit\nsecond line",
                               ":86:" + details.substr(0, 200) + "\n" + details.substr(200)))
          .report.ok());
  const Parsed too_long =
      parse_text(with_replaced(kBare, ":86:reversed direct debit", ":86:" + details + "y"));
  EXPECT_EQ(too_long.errors(), std::vector<std::string>{"f:9:5: :86: information to account owner "
                                                        "has 402 characters, more than 390"});
  const Parsed line =
      parse_text(with_replaced(kBare, "second line", std::string(kMt940MaxLineBytes + 1, 'z')));
  ASSERT_EQ(line.errors().size(), 1u);
  EXPECT_NE(line.errors()[0].find("10"), std::string::npos);  // the line reader names the line
}

TEST(Mt940, AFieldCannotGrowWithoutBound) {
  std::string text(kBare);
  std::string filler;
  for (std::size_t i = 0; i < kMt940MaxFieldBytes / 64 + 2; ++i)
    filler += std::string(63, 'w') + "\n";
  text = with_replaced(text, "second line\n", "second line\n" + filler);
  const Parsed parsed = parse_text(text);
  ASSERT_FALSE(parsed.report.ok());
  EXPECT_NE(parsed.errors()[0].find(":86: field longer than 8192 bytes"), std::string::npos);
}

TEST(Mt940, ASinkErrorStopsTheParse) {
  MemorySource source(as_bytes(kBare));
  int seen = 0;
  const ParseReport report =
      parse_mt940(source, ParseOptions{"f", "bank"}, [&](Record&&) -> Result<void> {
        if (++seen == 2)
          return fail(Errc::io_error, "disk full");
        return {};
      });
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(report.records(), 1u);
  ASSERT_EQ(report.errors().size(), 1u);
  EXPECT_EQ(report.errors()[0].to_string(), "f:8: record refused by its sink: disk full");
}

TEST(Mt940, BracesInDetailsAreTextNotSwiftBlocks) {
  const Parsed parsed = parse_text(with_replaced(kBare, "second line", "{ref 12}"));
  ASSERT_TRUE(parsed.report.ok());
  EXPECT_EQ(parsed.records[1].text, "reversed direct debit\n{ref 12}");
}

// Random statements written the way banks write them: every line comes back with its amount,
// direction and reference, and only the statements whose closing balance was falsified are refused.
TEST(Mt940, RandomStatementsRoundTrip) {
  const std::uint64_t seed = tally::test::test_seed();
  SCOPED_TRACE(tally::test::seed_trace(seed));
  std::mt19937_64 rng(seed);
  const auto cents = [](std::int64_t minor) {
    return str_cat(minor / 100, ",", minor % 100 < 10 ? "0" : "", minor % 100);
  };
  const auto balance = [&](std::string_view tag, std::int64_t minor) {
    return str_cat(":", tag, ":", minor < 0 ? "D" : "C", "240229EUR",
                   cents(minor < 0 ? -minor : minor), "\n");
  };
  for (std::uint64_t round = 0; round < tally::test::property_iterations(50); ++round) {
    std::string file;
    std::vector<std::pair<std::int64_t, Direction>> expected;
    std::size_t falsified = 0;
    const int statements = 1 + static_cast<int>(rng() % 4);
    for (int s = 0; s < statements; ++s) {
      std::int64_t running = static_cast<std::int64_t>(rng() % 2'000'000) - 1'000'000;
      file += str_cat(":20:S", s, "\n:25:ACC\n:28C:", s + 1, "\n", balance("60F", running));
      const int lines = static_cast<int>(rng() % 6);
      for (int i = 0; i < lines; ++i) {
        static constexpr std::array<std::string_view, 4> kMarks{"C", "D", "RC", "RD"};
        const std::string_view mark = kMarks[rng() % 4];
        const std::int64_t amount = static_cast<std::int64_t>(rng() % 100'000);
        const Direction direction =
            mark == "C" || mark == "RD" ? Direction::credit : Direction::debit;
        running += direction == Direction::credit ? amount : -amount;
        expected.emplace_back(amount, direction);
        file += str_cat(":61:2402290301", mark, rng() % 2 ? "R" : "", cents(amount), "NTRFR", s,
                        "-", i, "\n");
        if (rng() % 2)
          file += str_cat(":86:line ", i, "\nmore\n");
      }
      const bool falsify = rng() % 5 == 0;
      falsified += falsify ? 1 : 0;
      file += balance("62F", running + (falsify ? 1 : 0));
      file += rng() % 2 ? "-\n" : "";
    }
    const Parsed parsed = parse_text(rng() % 2 ? file : to_crlf(file));
    SCOPED_TRACE(file);
    ASSERT_EQ(parsed.records.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(parsed.records[i].amount.minor_units(), expected[i].first);
      EXPECT_EQ(parsed.records[i].direction, expected[i].second);
      EXPECT_EQ(parsed.records[i].booking_date, Date(year{2024}, month{3}, day{1}));
    }
    EXPECT_EQ(parsed.errors().size(), falsified);
  }
}

TEST(Mt940, EnvelopeLinesOutsideMessagesAreSkippedButAFileWithoutMessagesIsRefused) {
  EXPECT_TRUE(parse_text(std::string("ABNANL2A\n940\nABNANL2A\n") + std::string(kBare) + "\x03\n")
                  .report.ok());
  EXPECT_EQ(parse_text("").errors(),
            std::vector<std::string>{"f:1: no MT940/MT942 message (no :20: tag) found"});
}

}  // namespace
}  // namespace tally::adapters
