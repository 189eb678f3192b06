// The parsers' fast paths give what the slow, fully checked paths give: plain amounts read without
// Amount::parse, conversion of bytes already found well-formed, and the CSV tokenizer's one-pass
// well-formedness flag. Random inputs, seeded (TALLY_SEED replays a failure).
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include <tally/adapters/csv_tokenizer.hpp>
#include <tally/adapters/field_formats.hpp>
#include <tally/adapters/text_encoding.hpp>
#include <tally/core/amount.hpp>
#include <tally/core/str_cat.hpp>

#include "support/seed.hpp"

namespace tally::adapters {
namespace {

using Random = std::mt19937_64;

std::size_t below(Random& random, std::size_t bound) {
  return static_cast<std::size_t>(random() % bound);
}

std::string random_from(Random& random, std::string_view alphabet, std::size_t max_length) {
  std::string out;
  const std::size_t length = below(random, max_length + 1);
  for (std::size_t i = 0; i < length; ++i)
    out += alphabet[below(random, alphabet.size())];
  return out;
}

// Digits with grouping and a fraction as files write them, so the fast path is not only refusing.
std::string written_amount(Random& random, char decimal, char grouping, std::size_t fraction) {
  const std::string digits = std::to_string(random() % 10'000'000'000'000ULL);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (grouping != '\0' && i > 0 && (digits.size() - i) % 3 == 0)
      out += grouping;
    out += digits[i];
  }
  if (fraction > 0)
    out += decimal;
  for (std::size_t i = 0; i < fraction; ++i)
    out += static_cast<char>('0' + below(random, 10));
  return out;
}

TEST(FastPaths, PlainAmountsReadAsAmountParseReadsThem) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  Random random(seed);
  const std::array currencies = {Currency::from_code("CNY").value(),
                                 Currency::from_code("JPY").value(),
                                 Currency::from_code("BHD").value()};
  const std::array<AmountFormat, 3> formats = {AmountFormat{'.', ','}, AmountFormat{',', '.'},
                                               AmountFormat{'.', '\0'}};
  std::size_t accepted = 0;
  for (std::uint64_t i = 0; i < test::property_iterations(20'000); ++i) {
    const Currency currency = currencies[below(random, currencies.size())];
    const AmountFormat format = formats[below(random, formats.size())];
    const std::string text =
        i % 2 == 0 ? random_from(random, "0123456789,.0123456789", 24)
                   : written_amount(random, format.decimal_separator, format.grouping_separator,
                                    below(random, currency.exponent() + 2u));
    SCOPED_TRACE(str_cat("'", text, "' ", currency.code(), " decimal '",
                         std::string(1, format.decimal_separator), "'"));
    const auto fast = plain_minor_units(text, currency.exponent(), format.decimal_separator,
                                        format.grouping_separator);
    if (!fast)
      continue;
    ++accepted;
    const auto slow = Amount::parse(text, currency, format);
    ASSERT_TRUE(slow) << slow.error().message;
    EXPECT_EQ(*fast, slow->minor_units());
  }
  EXPECT_GT(accepted, test::property_iterations(20'000) / 4);  // the fast path is taken
}

TEST(FastPaths, ImpliedDecimalsReadAsTheirDecimalTextReads) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  Random random(seed);
  const Currency cny = Currency::from_code("CNY").value();
  std::size_t accepted = 0;
  for (std::uint64_t i = 0; i < test::property_iterations(20'000); ++i) {
    const std::string digits = random_from(random, "0123456789", 20);
    const int implied = static_cast<int>(below(random, 4));
    SCOPED_TRACE(str_cat("'", digits, "' implied ", implied));
    const auto fast = implied_minor_units(digits, cny.exponent(), implied);
    AmountNotation notation;
    notation.implied_decimals = implied;
    const auto slow = read_amount(digits, cny, notation);  // fast or not, read_amount's answer
    if (!fast) {
      // Only what the fast path leaves to Amount::parse: no digits, more implied decimals than
      // the currency has, or more than 18 digits of minor units.
      const std::size_t scale = implied <= 2 ? static_cast<std::size_t>(2 - implied) : 0;
      EXPECT_TRUE(digits.empty() || implied > 2 || digits.size() + scale > 18);
      continue;
    }
    ++accepted;
    // The oracle: the digits with the point put back, read by Amount::parse.
    const std::size_t places = static_cast<std::size_t>(implied);
    std::string written = digits.size() > places ? digits.substr(0, digits.size() - places) : "0";
    if (places > 0) {
      written += '.';
      written += std::string(places > digits.size() ? places - digits.size() : 0, '0');
      written += digits.substr(digits.size() > places ? digits.size() - places : 0);
    }
    const auto oracle = Amount::parse(written, cny);
    ASSERT_TRUE(oracle) << oracle.error().message;
    EXPECT_EQ(*fast, oracle->minor_units());
    ASSERT_TRUE(slow);
    EXPECT_EQ(slow->minor_units(), oracle->minor_units());
  }
  EXPECT_GT(accepted, test::property_iterations(20'000) / 4);
}

// Pieces of text: ASCII, well-formed characters of each encoding, and malformed bytes.
constexpr std::array<std::string_view, 16> kPieces = {"a",
                                                      "7",
                                                      " ",
                                                      "-",
                                                      "\xE5\xBC\xA0" /* 张 in UTF-8 */,
                                                      "\xE2\x82\xAC",
                                                      "\xF0\x9F\x98\x80",
                                                      "\xD5\xC5" /* 张 in GBK */,
                                                      "\x96\x7C",
                                                      "\xA3\xCC",
                                                      "\x95\x32\x82\x36" /* GB18030 */,
                                                      "\x80",
                                                      "\xFF",
                                                      "\xC3",
                                                      "\xE0\x80\xAF",
                                                      "\x81"};

std::string random_text(Random& random, std::size_t max_pieces, std::size_t pieces) {
  std::string out;
  const std::size_t count = below(random, max_pieces + 1);
  for (std::size_t i = 0; i < count; ++i)
    out += kPieces[below(random, pieces)];
  return out;
}

TEST(FastPaths, ConversionOfCheckedBytesEqualsTheCheckedConversion) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  Random random(seed);
  std::size_t converted = 0;
  for (std::uint64_t i = 0; i < test::property_iterations(5'000); ++i) {
    const TextEncoding encoding = i % 2 == 0 ? TextEncoding::gbk : TextEncoding::gb18030;
    const std::string text = random_text(random, 12, 11);  // mostly well-formed pieces
    const BytesView bytes = as_bytes(text);
    if (!check_well_formed(bytes, encoding))
      continue;
    SCOPED_TRACE(to_hex(bytes, false));
    std::string checked;
    std::string fast;
    const auto slow_result = append_utf8(bytes, encoding, checked);
    const auto fast_result = append_utf8_well_formed(bytes, encoding, fast);
    ASSERT_EQ(slow_result.has_value(), fast_result.has_value());
    EXPECT_EQ(fast, checked);
    converted += slow_result.has_value() ? 1u : 0u;
  }
  EXPECT_GT(converted, 0u);
}

// GB18030 maps four-byte forms from 0x90308130 onto U+10000 and up in order: an oracle for the
// surrogate pairs of the UTF-16 to UTF-8 step.
TEST(FastPaths, Gb18030SupplementaryPlanesConvertByTheirLinearMapping) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  Random random(seed);
  for (std::uint64_t i = 0; i < test::property_iterations(2'000); ++i) {
    const std::uint32_t linear = static_cast<std::uint32_t>(below(random, 0x100000));
    const std::string bytes = {
        static_cast<char>(0x90 + linear / 12600), static_cast<char>(0x30 + linear / 1260 % 10),
        static_cast<char>(0x81 + linear / 10 % 126), static_cast<char>(0x30 + linear % 10)};
    const std::uint32_t code_point = 0x10000 + linear;
    const std::string expected = {static_cast<char>(0xF0 | (code_point >> 18)),
                                  static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)),
                                  static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)),
                                  static_cast<char>(0x80 | (code_point & 0x3F))};
    std::string out;
    ASSERT_TRUE(append_utf8_well_formed(as_bytes(bytes), TextEncoding::gb18030, out));
    EXPECT_EQ(out, expected) << "U+" << std::hex << code_point;
  }
}

// The tokenizer's flag says exactly what check_well_formed says of each field's bytes, for rows
// cut into reads of any size; and rows with no quotes split as a plain split at the delimiter.
TEST(FastPaths, CsvTokenizerFlagsExactlyTheWellFormedFields) {
  const std::uint64_t seed = test::test_seed();
  SCOPED_TRACE(test::seed_trace(seed));
  Random random(seed);
  const std::array encodings = {TextEncoding::utf8, TextEncoding::gbk, TextEncoding::gb18030};
  std::size_t flagged = 0;
  std::size_t unflagged = 0;
  for (std::uint64_t i = 0; i < test::property_iterations(300); ++i) {
    const TextEncoding encoding = encodings[i % encodings.size()];
    const bool quotes = i % 2 == 1;
    std::string text;
    std::vector<std::vector<std::string>> expected;
    for (std::size_t row = 0; row < 1 + below(random, 8); ++row) {
      std::vector<std::string> fields;
      for (std::size_t f = 0; f < 1 + below(random, 6); ++f) {
        std::string field = random_text(random, 6, kPieces.size());
        // In a GB file a trailing lead byte would take the delimiter along as its second byte.
        if (encoding != TextEncoding::utf8)
          field += 'z';
        if (quotes && below(random, 3) == 0)
          field = str_cat("\"", field, "\"\",\n", field, "\"");
        fields.push_back(field);
        text += (f > 0 ? "," : "") + field;
      }
      text += below(random, 2) == 0 ? "\r\n" : "\n";
      expected.push_back(std::move(fields));
    }
    SCOPED_TRACE(to_hex(as_bytes(text), false));
    MemorySource source(as_bytes(text), 1 + below(random, 64));
    CsvTokenizer tokenizer(source, {',', '"', encoding}, 4096);
    CsvRow row;
    std::size_t rows = 0;
    for (;;) {
      const auto more = tokenizer.next(row);
      ASSERT_TRUE(more) << more.error().message;
      if (!*more)
        break;
      for (const FieldText& field : row.fields) {
        const bool formed = check_well_formed(field.bytes, encoding).has_value();
        EXPECT_EQ(field.well_formed, formed) << "line " << field.line << " col " << field.column;
        (formed ? flagged : unflagged) += 1;
      }
      if (!quotes && encoding == TextEncoding::utf8 && rows < expected.size()) {
        ASSERT_EQ(row.fields.size(), expected[rows].size());
        for (std::size_t f = 0; f < row.fields.size(); ++f) {
          const std::string_view bytes(reinterpret_cast<const char*>(row.fields[f].bytes.data()),
                                       row.fields[f].bytes.size());
          EXPECT_EQ(bytes, expected[rows][f]);
        }
      }
      ++rows;
    }
    EXPECT_EQ(rows, expected.size());
  }
  EXPECT_GT(flagged, 0u);
  EXPECT_GT(unflagged, 0u);
}

}  // namespace
}  // namespace tally::adapters
