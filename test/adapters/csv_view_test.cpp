// parse_csv_view refuses exactly what parse_csv refuses, with the same located errors, and hands
// the same records (without their raw bytes): generated joint-loan files, valid and corrupted
// (bytes replaced, deleted, repeated; wrong trailer totals), in UTF-8 and GBK, and the fixtures.
// Random inputs, seeded (TALLY_SEED replays a failure).
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <tally/adapters/csv.hpp>
#include <tally/adapters/profile_loader.hpp>
#include <tally/core/str_cat.hpp>

#include "fixtures.hpp"
#include "support/seed.hpp"
#include "support/testdata.hpp"

namespace tally::adapters {
namespace {

using Random = std::mt19937_64;

std::size_t below(Random& random, std::size_t bound) {
  return static_cast<std::size_t>(random() % bound);
}

const Profile& joint_loan_profile() {
  static const Profile profile = load_embedded_profile("platform-joint-loan").value();
  return profile;
}

// What either parser produced: every error as text, and every record with its raw bytes cleared
// (the view parser gives none; parse_csv's are checked by csv_test).
struct Outcome {
  bool ok = false;
  std::uint64_t error_count = 0;
  std::uint64_t records_counted = 0;
  std::vector<std::string> errors;
  std::vector<Record> records;
};

Outcome full_parse(std::string_view text, const Profile& profile) {
  MemorySource source(as_bytes(text));
  Outcome out;
  const ParseReport report =
      parse_csv(source, profile, {"f.csv", "BANK"}, [&](Record&& record) -> Result<void> {
        record.raw.clear();
        out.records.push_back(std::move(record));
        return {};
      });
  out.ok = report.ok();
  out.error_count = report.error_count();
  out.records_counted = report.records();
  for (const LocatedError& error : report.errors())
    out.errors.push_back(error.to_string());
  return out;
}

Outcome view_parse(std::string_view text, const Profile& profile) {
  MemorySource source(as_bytes(text));
  Outcome out;
  const ParseReport report =
      parse_csv_view(source, profile, {"f.csv", "BANK"}, [&](const Record& record) -> Result<void> {
        EXPECT_TRUE(record.raw.empty());
        EXPECT_TRUE(record.check());
        out.records.push_back(record);
        return {};
      });
  out.ok = report.ok();
  out.error_count = report.error_count();
  out.records_counted = report.records();
  for (const LocatedError& error : report.errors())
    out.errors.push_back(error.to_string());
  return out;
}

void expect_same(const Outcome& full, const Outcome& view) {
  EXPECT_EQ(view.ok, full.ok);
  EXPECT_EQ(view.error_count, full.error_count);
  EXPECT_EQ(view.records_counted, full.records_counted);
  EXPECT_EQ(view.errors, full.errors);
  ASSERT_EQ(view.records.size(), full.records.size());
  for (std::size_t i = 0; i < full.records.size(); ++i)
    EXPECT_EQ(view.records[i], full.records[i]) << "record " << i;
}

std::string money(std::int64_t minor, bool grouped) {
  const std::string digits = std::to_string(minor / 100);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (grouped && i > 0 && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  const std::int64_t cents = minor % 100;
  return str_cat(out, ".", cents < 10 ? "0" : "", cents);
}

// A joint-loan file as the shipped profile reads it, its rows varied in every mapped field so
// that reusing one Record row after row would show a field left over from an earlier row.
std::string joint_loan_file(Random& random) {
  std::string text =
      "\xEF\xBB\xBF联合贷款对账单\r\n交易流水号,借据号,期次,交易类型,借贷标志,合作银行,出资比例,"
      "交易日期,起息日,币种,金额,本金,利息,罚息,费用,备注\r\n";
  const char* kinds[] = {"放款", "还款", "费用", "冲正"};
  const char* partners[] = {"合作银行甲", "", "Partner Bank C", "\"Bank, D\""};
  const char* notes[] = {"", "正常还款", "\"逾期, 已结清\"", "ｆｕｌｌ"};
  const std::size_t rows = below(random, 12);
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    const std::int64_t principal = static_cast<std::int64_t>(below(random, 10'000'000)) + 100;
    const std::int64_t interest = static_cast<std::int64_t>(below(random, 100'000));
    const bool components = below(random, 3) != 0;
    const std::int64_t amount = principal + (components ? interest : 0);
    sum += amount;
    text +=
        str_cat(below(random, 5) == 0 ? "" : str_cat("TX", i), ",",
                below(random, 4) == 0 ? "ＬＯＡＮ－１" : str_cat("loan-", below(random, 9)), ",",
                below(random, 3) == 0 ? "" : std::to_string(below(random, 36) + 1), ",",
                kinds[below(random, 4)], ",", below(random, 2) == 0 ? "借" : "贷", ",",
                partners[below(random, 4)], ",",
                below(random, 3) == 0 ? "" : str_cat(below(random, 101), ".00%"), ",",
                below(random, 2) == 0 ? "2024-01-31" : "20240115", ",",
                below(random, 3) == 0 ? "" : "2024/02/01", ",CNY,\"", money(amount, true), "\",");
    if (components)
      text += str_cat(money(principal, false), ",", money(interest, false), ",,,");
    else
      text += ",,,,";
    text += str_cat(notes[below(random, 4)], below(random, 2) == 0 ? "\r\n" : "\n");
  }
  const bool right_totals = below(random, 5) != 0;
  text +=
      str_cat("合计,", rows + (right_totals ? 0 : 1), ",,,,,,,,,", money(sum, false), ",,,,,\r\n");
  return text;
}

// Bytes replaced by ones that matter to a CSV parser, deleted or repeated.
void corrupt(Random& random, std::string& text) {
  constexpr std::string_view kBytes = ",\"\r\n-.0(9%\xFF\xE5 ";
  const std::size_t edits = below(random, 4);
  for (std::size_t e = 0; e < edits && !text.empty(); ++e) {
    const std::size_t at = below(random, text.size());
    switch (below(random, 3)) {
      case 0:
        text[at] = kBytes[below(random, kBytes.size())];
        break;
      case 1:
        text.erase(at, 1 + below(random, 3));
        break;
      default:
        // Rebuilt rather than inserted in place: g++ 12 misreads an overlapping insert.
        text = str_cat(std::string_view(text).substr(0, at),
                       std::string_view(text).substr(at, 1 + below(random, 20)),
                       std::string_view(text).substr(at));
        break;
    }
  }
}

TEST(CsvView, RefusesWhatTheFullParserRefusesAndGivesTheSameRecords) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  Random random(seed);
  std::size_t accepted = 0;
  std::size_t refused = 0;
  const std::uint64_t iterations = test::property_iterations(400);
  for (std::uint64_t i = 0; i < iterations; ++i) {
    std::string text = joint_loan_file(random);
    if (below(random, 3) != 0)
      corrupt(random, text);
    SCOPED_TRACE(str_cat("iteration ", i));
    const Outcome full = full_parse(text, joint_loan_profile());
    expect_same(full, view_parse(text, joint_loan_profile()));
    (full.ok ? accepted : refused) += 1;
    if (::testing::Test::HasFailure())
      return;
  }
  // Both kinds of file were seen, so neither half of the property holds vacuously.
  EXPECT_GT(accepted, iterations / 10);
  EXPECT_GT(refused, iterations / 10);
}

TEST(CsvView, GivesWhatTheFullParserGivesForTheFixtures) {
  for (const char* name :
       {"joint-loan.csv", "joint-loan-bad-rows.csv", "joint-loan-bad-totals.csv"}) {
    SCOPED_TRACE(name);
    const std::string text = test::read_file(fixture(name));
    const Outcome full = full_parse(text, joint_loan_profile());
    EXPECT_FALSE(full.records.empty() && full.errors.empty());
    expect_same(full, view_parse(text, joint_loan_profile()));
  }
}

TEST(CsvView, ReadsGbkAsTheFullParserDoes) {
  Profile profile = joint_loan_profile();
  profile.encoding = TextEncoding::gbk;
  profile.csv.delimiter = '|';
  profile.csv.header_row = true;
  profile.csv.find_header = false;
  profile.csv.trailer_tag_column.reset();
  const std::string text = test::read_file(fixture("joint-loan-gbk.csv"));
  const Outcome full = full_parse(text, profile);
  ASSERT_TRUE(full.ok);
  ASSERT_EQ(full.records.size(), 2u);
  EXPECT_EQ(full.records[0].counterparty, "東亞銀行");
  expect_same(full, view_parse(text, profile));
  const std::string_view whole(text);
  const std::string broken = str_cat(whole.substr(0, whole.size() - 3), "\x81",
                                     whole.substr(whole.size() - 3));  // a lead byte, no trail
  expect_same(full_parse(broken, profile), view_parse(broken, profile));
}

}  // namespace
}  // namespace tally::adapters
