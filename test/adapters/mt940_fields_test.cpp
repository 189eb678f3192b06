#include <gtest/gtest.h>

#include <tally/adapters/mt940_fields.hpp>

namespace tally::adapters {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

Currency eur() {
  return *Currency::from_code("EUR");
}

TEST(Mt940Fields, DatesUseTheSwiftCenturyAndRefuseImpossibleDays) {
  EXPECT_EQ(parse_mt940_date("240229"), Date(year{2024}, month{2}, day{29}));
  EXPECT_EQ(parse_mt940_date("991231"), Date(year{1999}, month{12}, day{31}));
  EXPECT_EQ(parse_mt940_date("790101"), Date(year{2079}, month{1}, day{1}));
  EXPECT_FALSE(parse_mt940_date("230229"));
  EXPECT_FALSE(parse_mt940_date("231301"));
  EXPECT_FALSE(parse_mt940_date("2301"));
  EXPECT_FALSE(parse_mt940_date("23o101"));
}

TEST(Mt940Fields, AmountsNeedTheDecimalCommaAndAtMostFifteenCharacters) {
  EXPECT_EQ(parse_mt940_amount("1234,56", eur()), Amount(123456, eur()));
  EXPECT_EQ(parse_mt940_amount("1234,", eur()), Amount(123400, eur()));
  EXPECT_EQ(parse_mt940_amount("0,5", eur()), Amount(50, eur()));
  EXPECT_EQ(parse_mt940_amount("000000001000,00", eur()), Amount(100000, eur()));
  EXPECT_EQ(parse_mt940_amount("1234", eur()).error().reason, "amount has no decimal comma");
  EXPECT_EQ(parse_mt940_amount("0000000001000,00", eur()).error().offset, 15u);
  EXPECT_FALSE(parse_mt940_amount(",5", eur()));
  EXPECT_FALSE(parse_mt940_amount("1,2,3", eur()));
  EXPECT_FALSE(parse_mt940_amount("1,234", eur()));  // three decimals for EUR
  EXPECT_EQ(parse_mt940_amount("15,", *Currency::from_code("JPY")),
            Amount(15, *Currency::from_code("JPY")));
}

TEST(Mt940Fields, BalancesAreSignedByTheirMark) {
  auto credit = parse_mt940_balance("C230131EUR1234,56");
  ASSERT_TRUE(credit);
  EXPECT_EQ(credit->date, Date(year{2023}, month{1}, day{31}));
  EXPECT_EQ(credit->signed_amount, Amount(123456, eur()));
  auto debit = parse_mt940_balance("D230131EUR0,01 ");  // trailing blanks ignored
  ASSERT_TRUE(debit);
  EXPECT_EQ(debit->signed_amount.minor_units(), -1);
  EXPECT_EQ(parse_mt940_balance("X230131EUR1,").error().offset, 0u);
  EXPECT_EQ(parse_mt940_balance("C230132EUR1,").error().offset, 1u);
  EXPECT_EQ(parse_mt940_balance("C230131XXX1,").error().offset, 7u);
  EXPECT_EQ(parse_mt940_balance("C230131EUR1").error().offset, 11u);
}

TEST(Mt940Fields, StatementNumbers) {
  auto number = parse_mt940_statement_number("00084/001");
  ASSERT_TRUE(number);
  EXPECT_EQ(number->statement, 84u);
  EXPECT_EQ(number->sequence, 1u);
  EXPECT_FALSE(parse_mt940_statement_number("0")->sequence.has_value());
  EXPECT_FALSE(parse_mt940_statement_number("123456"));
  EXPECT_FALSE(parse_mt940_statement_number("1/"));
  EXPECT_FALSE(parse_mt940_statement_number("1/x"));
}

TEST(Mt940Fields, StatementLineWithEveryOptionalPart) {
  auto line = parse_mt940_statement_line(
      "2301310130RDR1234,56NTRFCUSTREF1//BANKREF2\nSUPPLEMENTARY", eur());
  ASSERT_TRUE(line) << line.error().reason;
  EXPECT_EQ(line->value_date, Date(year{2023}, month{1}, day{31}));
  EXPECT_EQ(line->entry_date, Date(year{2023}, month{1}, day{30}));
  EXPECT_EQ(line->mark, Mt940Mark::reversal_of_debit);
  EXPECT_EQ(mt940_mark_direction(line->mark), Direction::credit);  // a debit taken back
  EXPECT_EQ(line->funds_code, 'R');
  EXPECT_EQ(line->amount, Amount(123456, eur()));
  EXPECT_EQ(line->type_code, "NTRF");
  EXPECT_EQ(line->customer_reference, "CUSTREF1");
  EXPECT_EQ(line->bank_reference, "BANKREF2");
  EXPECT_EQ(line->supplementary, "SUPPLEMENTARY");
}

TEST(Mt940Fields, StatementLineWithOnlyTheMandatoryParts) {
  auto line = parse_mt940_statement_line("230131RC5,S051NONREF", eur());
  ASSERT_TRUE(line) << line.error().reason;
  EXPECT_FALSE(line->entry_date.has_value());
  EXPECT_EQ(line->mark, Mt940Mark::reversal_of_credit);
  EXPECT_EQ(mt940_mark_direction(line->mark), Direction::debit);  // a credit taken back
  EXPECT_EQ(line->funds_code, '\0');
  EXPECT_EQ(line->amount.minor_units(), 500);
  EXPECT_EQ(line->type_code, "S051");
  EXPECT_EQ(line->customer_reference, "NONREF");
  EXPECT_EQ(line->bank_reference, "");
  EXPECT_EQ(mt940_mark_direction(parse_mt940_statement_line("230131EC1,NMSCX", eur())->mark),
            Direction::credit);
  EXPECT_EQ(mt940_mark_direction(parse_mt940_statement_line("230131ED1,NMSCX", eur())->mark),
            Direction::debit);
}

TEST(Mt940Fields, EntryDateYearCrossesTheYearEnd) {
  // Valued 2 January 2024, booked 31 December: 2023.
  auto before = parse_mt940_statement_line("2401021231D1,NTRFX", eur());
  ASSERT_TRUE(before);
  EXPECT_EQ(before->entry_date, Date(year{2023}, month{12}, day{31}));
  // Valued 30 December 2023, booked 2 January: 2024.
  auto after = parse_mt940_statement_line("2312300102D1,NTRFX", eur());
  ASSERT_TRUE(after);
  EXPECT_EQ(after->entry_date, Date(year{2024}, month{1}, day{2}));
  // 29 February exists only in the leap year next to the value date.
  EXPECT_EQ(mt940_infer_entry_date(Date(year{2024}, month{3}, day{1}), 2, 29),
            Date(year{2024}, month{2}, day{29}));
  EXPECT_FALSE(mt940_infer_entry_date(Date(year{2022}, month{6}, day{1}), 2, 29));
  EXPECT_EQ(parse_mt940_statement_line("2306011341D1,NTRFX", eur()).error().offset, 6u);
}

TEST(Mt940Fields, StatementLineErrorsNameTheOffset) {
  EXPECT_EQ(parse_mt940_statement_line("230132D1,NTRFX", eur()).error().offset, 0u);
  EXPECT_EQ(parse_mt940_statement_line("230131X1,NTRFX", eur()).error().offset, 6u);
  EXPECT_EQ(parse_mt940_statement_line("230131D1NTRFX", eur()).error().reason,
            "amount has no decimal comma");
  EXPECT_EQ(parse_mt940_statement_line("230131D1,XTRFX", eur()).error().offset, 9u);
  EXPECT_EQ(parse_mt940_statement_line("230131D1,NTR", eur()).error().reason,
            "missing transaction type identification code");
  EXPECT_EQ(parse_mt940_statement_line("230131D1,NTRF", eur()).error().reason,
            "missing customer reference");
  EXPECT_EQ(parse_mt940_statement_line("230131D1,NTRF12345678901234567", eur()).error().reason,
            "customer reference longer than 16");
  EXPECT_EQ(parse_mt940_statement_line("230131D1,NTRFA//12345678901234567", eur()).error().reason,
            "bank reference longer than 16");
  EXPECT_EQ(parse_mt940_statement_line("230131D1,NTRFA\nB\nC", eur()).error().reason,
            "statement line has more than one supplementary line");
  EXPECT_EQ(parse_mt940_statement_line("230131D1,NTRFA\n12345678901234567890123456789012345", eur())
                .error()
                .reason,
            "supplementary details longer than 34");
}

TEST(Mt940Fields, StructuredDetailsSplitSubfieldsAndSepaKeys) {
  const Mt940Details details = parse_mt940_details(
      "166?00SEPA-UEBERWEISUNG?100399?20EREF+E2E-4711?21KREF+K1?22MREF+M-9?23SVWZ+Invoice 12\n"
      "3 paid?30DEUTDEFF?31DE89370400440532013000?32ACME GMBH?33 BERLIN?34000");
  EXPECT_TRUE(details.structured);
  EXPECT_EQ(details.transaction_code, 166);
  EXPECT_EQ(details.booking_text, "SEPA-UEBERWEISUNG");
  EXPECT_EQ(details.end_to_end_id, "E2E-4711");
  EXPECT_EQ(details.customer_reference, "K1");
  EXPECT_EQ(details.mandate_reference, "M-9");
  EXPECT_EQ(details.remittance, "Invoice 123 paid");
  EXPECT_EQ(details.text, "Invoice 123 paid");
  EXPECT_EQ(details.counterparty, "ACME GMBH BERLIN");
  EXPECT_EQ(details.counterparty_bank, "DEUTDEFF");
  EXPECT_EQ(details.counterparty_account, "DE89370400440532013000");
}

TEST(Mt940Fields, PurposeLinesSixtyToSixtyThreeFollowTwentyToTwentyNine) {
  const Mt940Details details =
      parse_mt940_details("105?00Lastschrift?20Part one ?29and two?60 then three?63 and four");
  EXPECT_EQ(details.purpose, "Part one and two then three and four");
  EXPECT_EQ(details.text, details.purpose);
}

TEST(Mt940Fields, SubfieldMarkerSplitAcrossALineBreak) {
  // "?2\n2" as in mBank's files: the line break is not part of the data.
  const Mt940Details details = parse_mt940_details("020?20First?2\n2Second");
  EXPECT_EQ(details.purpose, "FirstSecond");
}

TEST(Mt940Fields, UnstructuredDetailsAreTextAsGiven) {
  const Mt940Details details = parse_mt940_details("BEA NR:XXX1234 21.05.11\nINCL. 1,44 BTW");
  EXPECT_FALSE(details.structured);
  EXPECT_EQ(details.text, "BEA NR:XXX1234 21.05.11\nINCL. 1,44 BTW");
  EXPECT_EQ(parse_mt940_details("").text, "");
  EXPECT_FALSE(parse_mt940_details("12?00x").structured);
}

TEST(Mt940Fields, Mt942FloorLimitEntrySumsAndDateTime) {
  auto limit = parse_mt940_floor_limit("EURD0,00");
  ASSERT_TRUE(limit);
  EXPECT_EQ(limit->mark, Direction::debit);
  EXPECT_EQ(limit->amount, Amount(0, eur()));
  EXPECT_FALSE(parse_mt940_floor_limit("EUR1,")->mark.has_value());
  EXPECT_FALSE(parse_mt940_floor_limit("EURX1,"));
  auto sum = parse_mt940_entry_sum("12EUR2,30");
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum->count, 12u);
  EXPECT_EQ(sum->sum.minor_units(), 230);
  EXPECT_FALSE(parse_mt940_entry_sum("EUR2,30"));
  EXPECT_FALSE(parse_mt940_entry_sum("123456EUR2,30"));
  EXPECT_EQ(parse_mt940_date_time("1610301730+0000"), Date(year{2016}, month{10}, day{30}));
  EXPECT_FALSE(parse_mt940_date_time("1610302430+0000"));
  EXPECT_FALSE(parse_mt940_date_time("1610301730*0000"));
  EXPECT_FALSE(parse_mt940_date_time("161030"));
}

}  // namespace
}  // namespace tally::adapters
